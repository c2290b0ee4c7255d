"""A real compute agent (fake driver) answering the service layer over RPC."""

import datetime
import os
import time
import urllib.parse

import fixtures
from oslo_config import fixture as config_fixture
from oslo_utils import timeutils
import testtools
import yaml

from console_api.compute import agent as compute_agent
from console_api.compute import api as compute_api
from console_api.compute import rpcapi
from console_api import conf
from console_api.console import auth
from console_api.console import tokens
from console_api import context
from console_api import exception
from console_api import rpc
from console_api.tests.unit.db import database

CONF = conf.CONF
HOST = 'agent1'
RUNNING = '6f9a3b8e-2c4d-4e5f-8a9b-0c1d2e3f4a5b'
SECOND = '1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9'
VNC_BASE = 'http://proxy.test:6080/vnc_lite.html'


def server(uuid, name, consoles):
    return {'uuid': uuid, 'name': name, 'project_id': 'p1',
            'user_id': 'u1', 'power_state': 'running',
            'consoles': consoles}


SERVERS = [
    server(RUNNING, 'one', {'vnc': {'host': '192.0.2.10', 'port': 5901},
                            'serial': {'host': '192.0.2.10',
                                       'port': 10001}}),
    server(SECOND, 'two', {'vnc': {'host': '192.0.2.11', 'port': 5902}}),
]


class AgentTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        tmp = self.useFixture(fixtures.TempDir()).path
        self.inventory = os.path.join(tmp, 'inventory.yaml')
        self.write_inventory(SERVERS)
        cfg = self.useFixture(config_fixture.Config(CONF))
        cfg.config(host=HOST, compute_driver='fake',
                   # The test drives syncs itself; periodics stay idle.
                   report_interval=3600, sync_instances_interval=3600,
                   service_down_time=60, rpc_call_timeout=5)
        cfg.config(group='consoleauth', purge_interval=0)
        cfg.config(group='fake_driver', inventory_file=self.inventory)
        cfg.config(group='vnc', enabled=True, novncproxy_base_url=VNC_BASE)
        cfg.config(group='serial_console', enabled=True,
                   base_url='ws://proxy.test:6083/')
        # A file, not :memory:, so the agent's RPC threads share it.
        self.database = self.useFixture(database.Database(
            'sqlite:///' + os.path.join(tmp, 'console.sqlite'))).database
        transport = rpc.create_transport(CONF, url='fake://')
        self.addCleanup(transport.cleanup)
        self.agent = compute_agent.ComputeAgent(
            CONF, transport=transport, database=self.database)
        self.agent.start()
        self.addCleanup(self.agent.stop)
        self.addCleanup(timeutils.clear_time_override)
        self.ctxt = context.RequestContext(user_id='u1', project_id='p1')
        self.api = compute_api.ConsoleAPI(
            CONF, self.database, auth.ConsoleAuth(self.database, CONF),
            rpcapi.ConsoleAgentAPI(transport, CONF), service_cache_seconds=0)

    def write_inventory(self, servers):
        # Atomic replace, as the fake driver asks.
        with open(self.inventory + '.new', 'w') as handle:
            yaml.safe_dump({'servers': servers}, handle)
        os.rename(self.inventory + '.new', self.inventory)

    def open_console(self, uuid=RUNNING, protocol='vnc', console_type='novnc'):
        instance = self.api.get_instance(self.ctxt, uuid, project_id='p1')
        url, session_id = self.api.get_console(self.ctxt, instance,
                                               protocol, console_type)
        self.assertIsNotNone(session_id)
        return url

    @staticmethod
    def novnc_token(url):
        path = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)['path']
        return path[0].split('token=', 1)[1]

    def test_startup_reports_and_syncs(self):
        admin = context.get_admin_context()
        service = self.database.service_get(admin, HOST, rpcapi.AGENT_BINARY)
        self.assertIsNotNone(service)
        self.assertEqual(
            {RUNNING, SECOND},
            {i.uuid for i in self.api.list_instances(admin)})

    def test_console_over_rpc(self):
        url = self.open_console()
        self.assertTrue(url.startswith(VNC_BASE + '?path='), url)
        token = self.novnc_token(url)
        self.assertEqual(url, tokens.access_url('novnc', VNC_BASE, token))
        row = self.api.get_token_info(self.ctxt, token)
        self.assertEqual(tokens.hash_token(token), row.token_hash)
        self.assertEqual(('192.0.2.10', 5901, HOST, RUNNING),
                         (row.host, row.port, row.compute_host,
                          row.instance_uuid))

    def test_serial_console_over_rpc(self):
        url = self.open_console(protocol='serial', console_type='serial')
        token = url.split('?token=', 1)[1]
        self.assertEqual(10001, self.api.get_token_info(self.ctxt,
                                                        token).port)

    def test_agent_exception_arrives_as_same_type(self):
        self.assertRaises(exception.ConsoleTypeInvalid,
                          self.open_console, console_type='xvpvnc')
        exc = self.assertRaises(exception.ConsoleTypeUnavailable,
                                self.open_console, SECOND, 'serial',
                                'serial')
        self.assertEqual(400, exc.code)
        self.assertIn('serial', exc.format_message())
        self.assertRaises(exception.ConsoleTypeUnavailable,
                          self.open_console, protocol='spice',
                          console_type='spice-html5')

    def test_stopped_agent_with_stale_heartbeat_is_down(self):
        self.agent.stop()
        calls = []
        real = self.api.agent_rpcapi.get_console
        self.useFixture(fixtures.MonkeyPatch(
            'console_api.compute.rpcapi.ConsoleAgentAPI.get_console',
            lambda *args, **kwargs: calls.append(args) or real(*args[1:])))
        timeutils.set_time_override(
            timeutils.utcnow() + datetime.timedelta(seconds=61))
        exc = self.assertRaises(exception.ComputeHostDown, self.open_console)
        self.assertIn(HOST, exc.format_message())
        self.assertEqual([], calls)

    def test_removed_server_loses_tokens_on_sync(self):
        first = self.novnc_token(self.open_console())
        second = self.novnc_token(self.open_console(SECOND))
        self.write_inventory(SERVERS[1:])
        result = self.agent.manager.sync_inventory()
        self.assertEqual([RUNNING], result.removed)
        self.assertRaises(exception.InvalidToken,
                          self.api.get_token_info, self.ctxt, first)
        self.api.get_token_info(self.ctxt, second)
        self.assertRaises(exception.InstanceNotFound,
                          self.api.get_instance, self.ctxt, RUNNING)

    def test_periodic_sync_revokes_tokens_of_gone_server(self):
        token = self.novnc_token(self.open_console())
        self.write_inventory(SERVERS[1:])
        self.agent.manager.sync_inventory()
        self.assertRevokedSoon(token)

    def assertRevokedSoon(self, token):
        """Casts return at once: poll briefly until the agent has acted."""
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                self.api.get_token_info(self.ctxt, token)
            except exception.InvalidToken:
                break
            time.sleep(0.02)
        self.assertRaises(exception.InvalidToken,
                          self.api.get_token_info, self.ctxt, token)

    def test_stop_is_clean_and_repeatable(self):
        self.agent.stop()
        self.agent.stop()
