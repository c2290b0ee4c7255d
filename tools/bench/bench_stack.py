"""The in-process console-api stack the benchmarks drive.

The same set-up as ``console_api/tests/functional/base.py``: a temporary
sqlite database (or a given database URL) at the schema head, the
in-process ``inproc://`` transport (``console_api.inproc_transport``,
listeners woken on delivery; ``fake://``, the stock driver that polls every
50 ms, on request), one
``ComputeAgent`` with the fake driver on a generated inventory, and the
shipped ``api-paste.ini`` pipeline with ``noauth2``. Also the bare pieces
the floors are measured with (a fixed-JSON WebOb app, a no-op RPC endpoint)
and a cheroot server in a thread for the HTTP path.
"""

import http.client
import logging
import os
import uuid

import oslo_messaging as messaging
import sqlalchemy as sa
import webob
import webob.dec
import yaml

from console_api.api import deploy
from console_api.cmd import api as cmd_api
from console_api.compute import agent as agent_module
from console_api import conf
from console_api import context
from console_api.db import api as db_api
from console_api.db import migration
from console_api import policy
from console_api import rpc

CONF = conf.CONF
REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..',
                                         '..'))
PASTE_INI = os.path.join(REPO_ROOT, 'etc', 'console_api', 'api-paste.ini')
PROJECT = 'b0b1b2b3b4b5b6b7b8b9babbbcbdbebf'
HOST = 'bench-compute'
VNC = {'host': '192.0.2.10', 'port': 5900}


def make_inventory(path, count):
    """Write an inventory of ``count`` running servers with VNC; return uuids.

    Every entry has no ``host`` key, so it belongs to the bench agent.
    """
    servers = [{'uuid': str(uuid.uuid4()), 'name': 'bench-%d' % i,
                'project_id': PROJECT, 'user_id': 'bench',
                'power_state': 'running', 'task_state': None,
                'consoles': {'vnc': dict(VNC)}} for i in range(count)]
    with open(path, 'w') as out:
        yaml.safe_dump({'servers': servers}, out)
    return [s['uuid'] for s in servers]


class Stack(object):
    """API app + compute agent + database in this process.

    :param workdir: directory for the database, inventory and log file.
    :param servers: how many servers the fake inventory lists.
    :param log_file: when set, console_api logs at INFO go to this file
        (as a production service would log); otherwise logging stays off.
    :param transport: ``inproc`` (default) or ``fake``.
    :param db_url: a database URL to use instead of a new sqlite file.
    """

    def __init__(self, workdir, servers=1, log_file=None, transport='inproc',
                 db_url=None):
        self.workdir = workdir
        self.servers = servers
        self.log_file = log_file
        self.transport = transport
        self.db_url = db_url
        self.db_path = None
        self.agent = None
        self.app = None
        self.uuids = []

    def start(self):
        """Configure, migrate, start the agent and load the paste app."""
        CONF([], project='console_api', default_config_files=[])
        inventory = os.path.join(self.workdir, 'inventory.yaml')
        self.uuids = make_inventory(inventory, self.servers)
        url = self.db_url
        if url is None:
            self.db_path = os.path.join(self.workdir, 'console_api.sqlite')
            url = 'sqlite:///' + self.db_path
        CONF.set_override('connection', url, group='database')
        for name, value in (('transport_url', self.transport + '://'),
                            ('compute_driver', 'fake'), ('host', HOST),
                            ('rpc_call_timeout', 10),
                            ('sync_instances_interval', 0),
                            ('report_interval', 60)):
            CONF.set_override(name, value)
        CONF.set_override('purge_interval', 0, group='consoleauth')
        CONF.set_override('inventory_file', inventory, group='fake_driver')
        CONF.set_override('auth_strategy', 'noauth2', group='api')
        CONF.set_override('enabled', True, group='vnc')
        policy.set_defaults(CONF)
        self._setup_logging()
        self.database = db_api.Database(CONF)
        migration.db_sync(self.database.get_engine())
        self.services = deploy.build_services(CONF, database=self.database)
        self.agent = agent_module.ComputeAgent(
            CONF, transport=self.services.transport, database=self.database)
        self.agent.start()
        self.app = deploy.loadapp(CONF, self.services, path=PASTE_INI)
        return self

    def stop(self):
        """Stop the agent and release the transport and engine."""
        if self.agent is not None:
            self.agent.stop()
            self.agent = None
        self.services.close()

    def _setup_logging(self):
        root = logging.getLogger()
        if self.log_file:
            handler = logging.FileHandler(self.log_file)
            handler.setFormatter(logging.Formatter(
                '%(asctime)s %(process)d %(levelname)s %(name)s '
                '%(message)s'))
            root.addHandler(handler)
            root.setLevel(logging.INFO)
        else:
            root.setLevel(logging.WARNING)

    def db_facts(self):
        """What kind of sqlite database the run used (pool, journal, fs)."""
        engine = self.database.get_engine()
        with engine.connect() as conn:
            journal = conn.execute(sa.text('PRAGMA journal_mode')).scalar()
            sync = conn.execute(sa.text('PRAGMA synchronous')).scalar()
        return {
            'url': str(engine.url),
            'pool': type(engine.pool).__name__,
            'journal_mode': journal,
            # 0 OFF, 1 NORMAL, 2 FULL (fsync at every commit), 3 EXTRA
            'synchronous': sync,
            'filesystem': filesystem_of(self.db_path),
            'sqlite_version': _sqlite_version(),
        }


def _sqlite_version():
    import sqlite3
    return sqlite3.sqlite_version


def filesystem_of(path):
    """The filesystem type (from /proc/mounts) that holds ``path``."""
    path = os.path.realpath(path)
    best, fstype = '', None
    try:
        with open('/proc/mounts') as mounts:
            for line in mounts:
                parts = line.split()
                mnt = parts[1]
                if (path == mnt or path.startswith(mnt.rstrip('/') + '/')) \
                        and len(mnt) > len(best):
                    best, fstype = mnt, parts[2]
    except OSError:
        pass
    return {'mount': best, 'type': fstype}


@webob.dec.wsgify
def bare_app(req):
    """The HTTP floor: a WebOb app that returns a fixed small JSON body."""
    resp = webob.Response(content_type='application/json')
    resp.body = b'{"console": {"instance_uuid": "x", "port": 5900}}'
    return resp


class NoopEndpoint(object):
    """The RPC floor's endpoint: answers at once with a small dict."""

    target = messaging.Target(version='1.0')

    def noop(self, context):
        return {'url': 'x'}


class RPCFloor(object):
    """A threaded RPC server with ``NoopEndpoint`` on ``transport``."""

    TOPIC = 'bench-floor'

    def __init__(self, transport):
        self.server = rpc.get_server(
            transport, messaging.Target(topic=self.TOPIC, server='floor'),
            [NoopEndpoint()])
        self.client = rpc.get_client(
            transport, messaging.Target(topic=self.TOPIC, version='1.0'))
        self.ctxt = context.get_admin_context()

    def start(self):
        self.server.start()
        return self

    def call(self):
        # prepare() per call, as ConsoleAgentAPI.get_console does.
        cctxt = self.client.prepare(server='floor', version='1.0', timeout=10)
        return cctxt.call(self.ctxt, 'noop')

    def stop(self):
        self.server.stop()
        self.server.wait()


class HTTPServer(object):
    """``console_api.cmd.api.ApiServer`` on 127.0.0.1:<free port>."""

    def __init__(self, app, threads=4):
        for name, value in (('osapi_compute_listen', '127.0.0.1'),
                            ('osapi_compute_listen_port', 0),
                            ('osapi_compute_workers', threads)):
            CONF.set_override(name, value)
        self.api = cmd_api.ApiServer(app)

    def start(self):
        self.api.start()
        return self

    @property
    def port(self):
        return self.api.server.bind_addr[1]

    def connect(self):
        """A persistent (keep-alive) client connection to this server."""
        return http.client.HTTPConnection('127.0.0.1', self.port, timeout=30)

    def stop(self):
        self.api.stop()
