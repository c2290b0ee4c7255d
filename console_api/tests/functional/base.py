"""The real ``api-paste.ini`` app with a real agent, in one process.

``APITestCase`` gives each test a temporary sqlite database at the schema
head, the in-process ``inproc://`` transport (or PostgreSQL/MySQL and
RabbitMQ when ``service_env`` selects them), a compute agent running the fake
driver on a temporary inventory, and the API pipeline loaded from the
shipped ``etc/console_api/api-paste.ini`` with ``noauth2``. ``self.api``
sends WebOb requests straight into that app.
"""

import os
import uuid

import fixtures
from oslo_config import fixture as config_fixture
from oslo_serialization import jsonutils
import testtools
import webob
import yaml

from console_api.api import deploy
from console_api.compute import agent as agent_module
from console_api import conf
from console_api import context
from console_api.db import api as db_api
from console_api.db import migration
from console_api import policy
from console_api.tests.functional import service_env
from console_api.virt import driver as virt_driver

CONF = conf.CONF
REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..',
                                         '..', '..'))
PASTE_INI = os.path.join(REPO_ROOT, 'etc', 'console_api', 'api-paste.ini')

PROJECT = 'a1b2c3d4e5f60718293a4b5c6d7e8f90'
OTHER_PROJECT = 'f0e1d2c3b4a5968778695a4b3c2d1e0f'
HOST = 'compute-1'


def server(name, project=PROJECT, power='running', task=None, **consoles):
    """An inventory entry with a fresh uuid."""
    entry = {'uuid': str(uuid.uuid4()), 'name': name, 'project_id': project,
             'user_id': 'user-' + name, 'power_state': power,
             'task_state': task, 'consoles': consoles}
    return entry


VNC = {'host': '192.0.2.10', 'port': 5900}
SPICE = {'host': '192.0.2.10', 'port': 5901, 'tls_port': 5902}
SERIAL = {'host': '192.0.2.10', 'port': 10000}
RDP = {'host': '192.0.2.10', 'port': 3389}
MKS = {'host': '192.0.2.10', 'port': 902,
       'internal_access_path': '{"ticket": "t-1"}'}


def default_inventory():
    return {
        'all': server('all', vnc=VNC, spice=SPICE, serial=SERIAL, rdp=RDP,
                      mks=MKS),
        'vnc_only': server('vnc-only', vnc=VNC),
        'other': server('other', project=OTHER_PROJECT, vnc=VNC),
        'stopped': server('stopped', power='shutdown', vnc=VNC),
        'paused': server('paused', power='paused', vnc=VNC),
        'deleting': server('deleting', task='deleting', vnc=VNC),
        'migrating': server('migrating', task='migrating', vnc=VNC),
    }


class APITestCase(testtools.TestCase):
    """Base class of functional tests that drive the paste app."""

    #: Console types enabled for the agent.
    enabled = ('vnc', 'spice', 'serial_console', 'rdp', 'mks')
    start_agent = True

    def setUp(self):
        super().setUp()
        self.useFixture(fixtures.NestedTempfile())
        self.tmp = self.useFixture(fixtures.TempDir()).path
        self.flags = self.useFixture(config_fixture.Config(CONF))
        CONF([], project='console_api', default_config_files=[])
        self.servers = default_inventory()
        self.inventory_path = os.path.join(self.tmp, 'inventory.yaml')
        self.write_inventory()
        # sqlite and inproc:// unless the environment selects real
        # services (see service_env).
        self.flags.config(
            connection=service_env.database_url(self, self.tmp),
            group='database')
        self.flags.config(transport_url=service_env.transport_url(self),
                          compute_driver='fake',
                          host=HOST, rpc_call_timeout=2,
                          sync_instances_interval=0, report_interval=60)
        self.flags.config(purge_interval=0, group='consoleauth')
        self.flags.config(inventory_file=self.inventory_path,
                          group='fake_driver')
        self.flags.config(auth_strategy='noauth2', group='api')
        policy.set_defaults(CONF)
        for group in self.enabled:
            self.flags.config(enabled=True, group=group)
        self.configure()
        self.database = db_api.Database(CONF)
        self.addCleanup(self.database.dispose)
        migration.db_sync(self.database.get_engine())
        self.services = deploy.build_services(CONF, database=self.database)
        self.addCleanup(self.services.transport.cleanup)
        if self.start_agent:
            self.agent = agent_module.ComputeAgent(
                CONF, transport=self.services.transport,
                database=self.database)
            self.agent.start()
            self.addCleanup(self.agent.stop)
        self.app = deploy.loadapp(CONF, self.services, path=PASTE_INI)
        self.admin_context = context.get_admin_context()

    def configure(self):
        """Hook for subclasses: set options before the agent starts.

        Runs after the defaults above (``self.flags`` and ``self.tmp`` are
        ready) and before the database, RPC and agent are set up.
        """

    def write_inventory(self):
        """Write ``self.servers`` to the inventory file atomically."""
        path = self.inventory_path + '.new'
        with open(path, 'w') as out:
            yaml.safe_dump({'servers': list(self.servers.values())}, out)
        os.replace(path, self.inventory_path)

    def add_remote_instance(self, host, name='remote', project=PROJECT):
        """Record a server on ``host``, which has no agent running."""
        entry = server(name, project=project)
        self.database.instance_sync_host(self.admin_context, host, [
            virt_driver.DomainInfo(uuid=entry['uuid'], name=name,
                                   power_state=1, project_id=project,
                                   user_id='u')])
        return entry['uuid']

    def api(self, method, path, body=None, version=None, user='demo',
            project=PROJECT, roles=None, headers=None, raw_body=None,
            content_type='application/json', auth=True):
        """Send one request to the app; return the webob response."""
        req = webob.Request.blank(path, method=method)
        if auth:
            req.headers['X-Auth-Token'] = '%s:%s' % (user, project)
        if roles is not None:
            req.headers['X-Roles'] = ','.join(roles)
        if version is not None:
            req.headers['OpenStack-API-Version'] = 'compute %s' % version
        if body is not None:
            raw_body = jsonutils.dump_as_bytes(body)
        if raw_body is not None:
            req.body = raw_body
            req.content_type = content_type
        for name, value in (headers or {}).items():
            req.headers[name] = value
        return req.get_response(self.app)

    def admin(self, method, path, **kwargs):
        kwargs.setdefault('user', 'admin')
        return self.api(method, path, **kwargs)

    def assertFault(self, response, code, name, message=None):
        """Assert ``response`` is Nova's fault body for ``code``."""
        self.assertEqual(code, response.status_int, response.body)
        self.assertTrue(response.content_type.startswith('application/json'))
        body = jsonutils.loads(response.body)
        self.assertEqual([name], list(body))
        self.assertEqual(code, body[name]['code'])
        if message is not None:
            self.assertIn(message, body[name]['message'])
        return body[name]['message']

    def console(self, server_key, protocol, console_type, version='2.6',
                **kwargs):
        uuid_ = self.servers[server_key]['uuid']
        return self.api('POST', '/v2.1/servers/%s/remote-consoles' % uuid_,
                        body={'remote_console': {'protocol': protocol,
                                                 'type': console_type}},
                        version=version, **kwargs)
