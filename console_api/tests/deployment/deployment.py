"""A console-api deployment of real processes on PostgreSQL and RabbitMQ.

``Deployment`` starts ``console-api`` under gunicorn with several worker
processes (``console_api.wsgi.api:application``) and two
``console-compute-agent`` processes with different ``host`` values, each
on its own fake-hypervisor inventory file, sharing a fresh PostgreSQL
database and a RabbitMQ virtual host. Everything lives in a temporary
directory; every process is killed in the cleanups.
"""

import os
import sys
import urllib.request
import uuid

import fixtures
import psutil
import sqlalchemy as sa
import yaml

from console_api.tests.deployment import processes
from console_api.tests.functional import service_env

PROJECT = 'a1b2c3d4e5f60718293a4b5c6d7e8f90'
OTHER_PROJECT = 'f0e1d2c3b4a5968778695a4b3c2d1e0f'

AGENT_READY = 'ready; SIGTERM or SIGINT stops it'


def server(name, project=PROJECT, power='running'):
    """An inventory entry with a fresh uuid and a VNC console."""
    return {'uuid': str(uuid.uuid4()), 'name': name, 'project_id': project,
            'user_id': 'user-' + name, 'power_state': power,
            'consoles': {'vnc': {'host': '192.0.2.10', 'port': 5900}}}


def _python(module, function='main'):
    """argv running ``module.function()`` as the process's main program."""
    return [sys.executable, '-c',
            'import sys; from %s import %s as m; sys.exit(m())'
            % (module, function)]


def _gunicorn_has_setting(name):
    from gunicorn import config
    return any(setting.name == name for setting in config.KNOWN_SETTINGS)


class Agent(object):
    """One compute agent: its host, inventory and process."""

    def __init__(self, name, host, inventory_path, config_path):
        self.name = name
        self.host = host
        self.inventory_path = inventory_path
        self.config_path = config_path
        self.servers = {}
        self.process = None

    def write_inventory(self):
        """Write ``self.servers`` atomically; the agent re-reads it."""
        tmp = self.inventory_path + '.new'
        with open(tmp, 'w') as out:
            yaml.safe_dump({'servers': list(self.servers.values())}, out)
        os.replace(tmp, self.inventory_path)

    def issued_tokens_for(self, instance_uuid):
        """How many tokens this agent's log says it issued for a server."""
        return sum(1 for line in self.process.log().splitlines()
                   if 'console token' in line and instance_uuid in line)


class Deployment(fixtures.Fixture):
    """API (gunicorn, ``workers`` processes) and agents ``a`` and ``b``.

    :param short_ttl: ``[consoleauth] token_ttl`` of agent ``b`` (agent
        ``a`` keeps the default), so one deployment shows both purging and
        long-lived tokens.
    :param agents: how many agents to start: 2 (default, ``a`` and ``b``)
        or 1 (``a`` only, as the benchmark uses it).
    """

    service_down_time = 3
    rpc_call_timeout = 30

    def __init__(self, workers=2, short_ttl=3, agents=2):
        super().__init__()
        if agents not in (1, 2):
            raise ValueError('agents must be 1 or 2, not %r' % (agents,))
        self.workers = workers
        self.short_ttl = short_ttl
        self.agent_count = agents

    def _setUp(self):
        self.dir = self.useFixture(fixtures.TempDir()).path
        self.database = service_env.ProvisionedDatabase(
            'postgresql', service_env.service_url('postgresql'))
        self.database.create()
        self.addCleanup(self.database.drop)
        # One vhost per test process; agent host names are unique per
        # deployment, so their queues never meet an earlier deployment's.
        self.transport_url = service_env.shared_vhost().url
        self.db_url = self.database.url.render_as_string(hide_password=False)
        self.common_conf = self._write('common.conf', self._common_conf())
        self._run_db_sync()

        suffix = uuid.uuid4().hex[:6]
        self.agents = {}
        for name, ttl in (('a', None), ('b', self.short_ttl))[
                :self.agent_count]:
            self.agents[name] = self._make_agent(name, 'agent-%s-%s'
                                                 % (name, suffix), ttl)
        self.agents['a'].servers = {
            'a1': server('a1'), 'a2': server('a2'), 'mover': server('mover'),
            'a_stopped': server('a-stopped', power='shutdown')}
        if 'b' in self.agents:
            self.agents['b'].servers = {
                'b1': server('b1'),
                'b_other': server('b-other', project=OTHER_PROJECT)}
        for agent in self.agents.values():
            agent.write_inventory()
        for agent in self.agents.values():
            agent.process = self._agent_process(agent)
            self.useFixture(agent.process)

        self.api_port = processes.free_port()
        self.endpoint = 'http://127.0.0.1:%d' % self.api_port
        env = dict(os.environ, CONSOLE_API_CONFIG_FILES=self.common_conf)
        argv = [sys.executable, '-m', 'gunicorn',
                '--workers', str(self.workers),
                '--bind', '127.0.0.1:%d' % self.api_port,
                '--graceful-timeout', '5', '--timeout', '60']
        if _gunicorn_has_setting('control_socket'):
            # Newer gunicorn opens one control socket per user by default;
            # parallel deployments each need their own.
            argv += ['--control-socket',
                     os.path.join(self.dir, 'gunicorn.ctl')]
        self.api = processes.Process(
            'api', argv + ['console_api.wsgi.api:application'],
            self.dir, env=env, ready=self._api_answers, ready_timeout=90)
        self.useFixture(self.api)

    # Configuration

    def _write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, 'w') as out:
            out.write(text)
        return path

    def _common_conf(self):
        return '\n'.join([
            '[DEFAULT]',
            'transport_url = %s' % self.transport_url,
            'compute_driver = fake',
            'state_path = %s' % self.dir,
            'report_interval = 1',
            'service_down_time = %d' % self.service_down_time,
            'sync_instances_interval = 1',
            'rpc_call_timeout = %d' % self.rpc_call_timeout,
            '[consoleauth]',
            'purge_interval = 1',
            '[database]',
            'connection = %s' % self.db_url,
            '[api]',
            'auth_strategy = noauth2',
            '[vnc]',
            'novncproxy_base_url = http://127.0.0.1:6080/vnc_lite.html',
            '']) + '\n'

    def _make_agent(self, name, host, ttl):
        inventory = os.path.join(self.dir, 'inventory-%s.yaml' % name)
        lines = ['[DEFAULT]', 'host = %s' % host,
                 '[fake_driver]', 'inventory_file = %s' % inventory]
        if ttl is not None:
            lines += ['[consoleauth]', 'token_ttl = %d' % ttl]
        conf = self._write('agent-%s.conf' % name, '\n'.join(lines) + '\n')
        return Agent(name, host, inventory, conf)

    # Processes

    def _run_db_sync(self):
        sync = processes.Process(
            'db-sync', _python('console_api.cmd.manage') +
            ['--config-file', self.common_conf, 'db', 'sync'], self.dir)
        sync.start()
        status = sync.popen.wait(120)
        if status:
            raise RuntimeError('db sync failed (%s):\n%s'
                               % (status, sync.log_tail()))

    def _agent_process(self, agent):
        process = processes.Process(
            'agent-' + agent.name,
            _python('console_api.cmd.compute_agent') +
            ['--config-file', self.common_conf,
             '--config-file', agent.config_path],
            self.dir, ready_timeout=90,
            ready=lambda: AGENT_READY in process.output_since_start())
        return process

    def _api_answers(self):
        try:
            urllib.request.urlopen(self.endpoint + '/', timeout=5).close()
            return True
        except OSError:
            return False

    # What the tests look at

    def api_worker_pids(self):
        """Process ids of the gunicorn workers now serving."""
        return [child.pid for child in
                psutil.Process(self.api.pid).children()]

    def sql(self, statement, **params):
        """Run one SQL statement on the deployment's database; all rows."""
        with self.database.engine().connect() as conn:
            return conn.execute(sa.text(statement), params).fetchall()

    def logs(self):
        """Every process log, by file name."""
        found = {}
        for name in sorted(os.listdir(self.dir)):
            if name.endswith('.log'):
                with open(os.path.join(self.dir, name),
                          errors='replace') as log:
                    found[name] = log.read()
        return found
