"""Tests of the compute agent's manager against an in-memory database."""

import datetime
import urllib.parse

import fixtures
from oslo_config import fixture as config_fixture
import oslo_messaging as messaging
from oslo_utils import timeutils
import testtools

from console_api.compute import manager
from console_api.compute import rpcapi
from console_api import conf
from console_api.console import auth
from console_api.console import token_store
from console_api.console import tokens
from console_api import context
from console_api import exception
from console_api.tests.unit.compute import stubs
from console_api.tests.unit.db import database

CONF = conf.CONF
TOKEN = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'
NOW = datetime.datetime(2030, 1, 2, 3, 4, 5)

BASES = {
    ('vnc', 'novncproxy_base_url'): 'http://proxy:6080/vnc_lite.html',
    ('spice', 'html5proxy_base_url'): 'http://proxy:6082/spice_auto.html',
    ('spice', 'spice_direct_proxy_base_url'): 'http://proxy:13002/nova',
    ('serial_console', 'base_url'): 'ws://proxy:6083/',
    ('rdp', 'html5_proxy_base_url'): 'http://proxy:6084/rdp',
    ('mks', 'mksproxy_base_url'): 'http://proxy:6090/',
}
GROUPS = ('vnc', 'spice', 'serial_console', 'rdp', 'mks')

# protocol, type, config group, base option
VALID = [
    ('vnc', 'novnc', 'vnc', 'novncproxy_base_url'),
    ('spice', 'spice-html5', 'spice', 'html5proxy_base_url'),
    ('spice', 'spice-direct', 'spice', 'spice_direct_proxy_base_url'),
    ('serial', 'serial', 'serial_console', 'base_url'),
    ('rdp', 'rdp-html5', 'rdp', 'html5_proxy_base_url'),
    ('mks', 'webmks', 'mks', 'mksproxy_base_url'),
]
# protocol, a type that does not belong to it
MISMATCHED = [
    ('vnc', 'xvpvnc'), ('vnc', 'spice-html5'), ('spice', 'novnc'),
    ('spice', 'webmks'), ('serial', 'novnc'), ('serial', 'spice-html5'),
    ('rdp', 'novnc'), ('mks', 'novnc'), ('mks', 'rdp-html5'),
]


def original(expected):
    """The domain exception inside oslo.messaging's ExpectedException."""
    return expected.exc_info[1]


class ManagerTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.conf = self.useFixture(config_fixture.Config(CONF))
        for (group, option), url in BASES.items():
            self.conf.config(group=group, **{option: url})
        for group in GROUPS:
            self.conf.config(group=group, enabled=True)
        self.conf.config(group='consoleauth', token_ttl=600)
        self.database = self.useFixture(database.Database()).database
        self.ctxt = context.get_admin_context()
        self.driver = stubs.StubDriver([stubs.domain()],
                                       stubs.ALL_ENDPOINTS)
        self.manager = self.make_manager(self.driver, stubs.HOST)
        self.database.instance_sync_host(self.ctxt, stubs.HOST,
                                         self.driver.domains)
        timeutils.set_time_override(NOW)
        self.addCleanup(timeutils.clear_time_override)
        self.useFixture(fixtures.MockPatch(
            'console_api.console.tokens.generate', return_value=TOKEN))
        self.log = self.useFixture(fixtures.FakeLogger(level='DEBUG'))

    def make_manager(self, driver, host):
        return manager.ConsoleAgentManager(
            driver, host, self.database,
            auth.ConsoleAuth(self.database, CONF), CONF)

    def token_row(self, token_hash):
        return token_store.get_with_instance(self.database, self.ctxt,
                                             token_hash, 0)

    def get_console(self, protocol, console_type, uuid=stubs.UUID):
        return self.manager.get_console(self.ctxt, uuid, protocol,
                                        console_type)

    def assertRaisesExpected(self, exc_class, protocol, console_type,
                             uuid=stubs.UUID):
        expected = self.assertRaises(messaging.ExpectedException,
                                     self.get_console, protocol,
                                     console_type, uuid)
        self.assertIsInstance(original(expected), exc_class)
        return original(expected)


class GetConsoleTestCase(ManagerTestCase):

    def test_every_valid_type_gives_its_url(self):
        for protocol, console_type, group, option in VALID:
            result = self.get_console(protocol, console_type)
            base = BASES[(group, option)]
            self.assertEqual(
                {'url': tokens.access_url(console_type, base, TOKEN),
                 'session_id': None}, result, protocol)
            # TOKEN is reused: clear it for the next type.
            self.manager.console_auth.revoke(self.ctxt, [stubs.UUID])

    def test_session_is_recorded_with_the_token(self):
        result = self.manager.get_console(
            self.ctxt, stubs.UUID, 'vnc', 'novnc',
            session={'user_id': 'alice', 'project_id': 'p1',
                     'protocol': 'vnc', 'view_only': True,
                     'request_id': 'req-1'})
        row = self.token_row(tokens.hash_token(TOKEN))
        self.assertEqual((result['session_id'], 'issued', True, 'alice'),
                         (row.session_id, row.session_status,
                          row.session_view_only, row.session_user_id))

    def test_novnc_token_is_inside_path(self):
        url = self.get_console('vnc', 'novnc')['url']
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
        self.assertEqual(['?token=%s' % TOKEN], query['path'])

    def test_other_types_append_token(self):
        url = self.get_console('serial', 'serial')['url']
        self.assertEqual('ws://proxy:6083/?token=%s' % TOKEN, url)

    def test_token_stored_hashed_with_endpoint(self):
        self.get_console('spice', 'spice-html5')
        row = token_store.get_with_instance(
            self.database, self.ctxt, tokens.hash_token(TOKEN),
            timeutils.utcnow_ts())
        self.assertIsNotNone(row)
        self.assertEqual(('spice-html5', '10.0.0.5', 5901, 5902,
                          '/spice-path', stubs.UUID, stubs.HOST,
                          BASES[('spice', 'html5proxy_base_url')]),
                         (row.console_type, row.host, row.port, row.tls_port,
                          row.internal_access_path, row.instance_uuid,
                          row.compute_host, row.access_url_base))
        self.assertEqual(timeutils.utcnow_ts() + 600, row.expires)
        self.assertIsNone(self.token_row(TOKEN))

    def test_spice_direct_drops_access_path(self):
        self.get_console('spice', 'spice-direct')
        row = self.token_row(tokens.hash_token(TOKEN))
        self.assertIsNone(row.internal_access_path)
        self.assertEqual(5902, row.tls_port)

    def test_mks_keeps_access_path(self):
        self.get_console('mks', 'webmks')
        row = self.token_row(tokens.hash_token(TOKEN))
        self.assertEqual('{"ticket": "t"}', row.internal_access_path)

    def test_token_ttl_applies(self):
        self.conf.config(group='consoleauth', token_ttl=30)
        self.get_console('vnc', 'novnc')
        row = self.token_row(tokens.hash_token(TOKEN))
        self.assertEqual(timeutils.utcnow_ts() + 30, row.expires)

    def test_token_never_logged(self):
        self.get_console('vnc', 'novnc')
        output = self.log.output
        self.assertNotIn(TOKEN, output)
        self.assertIn(tokens.hash_token(TOKEN)[:8], output)

    def test_disabled_protocol_unavailable_whatever_the_type(self):
        for protocol, console_type, group, _option in VALID:
            self.conf.config(group=group, enabled=False)
            for bad_type in (console_type, 'xvpvnc'):
                exc = self.assertRaisesExpected(
                    exception.ConsoleTypeUnavailable, protocol, bad_type)
                self.assertEqual(400, exc.code)
            self.conf.config(group=group, enabled=True)
        self.assertEqual([], self.driver.calls)

    def test_mismatched_type_is_invalid(self):
        for protocol, console_type in MISMATCHED:
            exc = self.assertRaisesExpected(exception.ConsoleTypeInvalid,
                                            protocol, console_type)
            self.assertEqual(400, exc.code)
            self.assertIn(console_type, exc.format_message())
        self.assertEqual([], self.driver.calls)

    def test_unknown_protocol_not_supported(self):
        exc = self.assertRaisesExpected(exception.ConsoleNotSupported,
                                        'telnet', 'telnet')
        self.assertEqual(501, exc.code)

    def test_driver_errors_pass_through(self):
        self.driver.unsupported.add('mks')
        self.assertRaisesExpected(exception.ConsoleNotSupported,
                                  'mks', 'webmks')
        del self.driver.endpoints['rdp']
        self.assertRaisesExpected(exception.ConsoleTypeUnavailable,
                                  'rdp', 'rdp-html5')
        self.assertRaisesExpected(exception.InstanceNotFound,
                                  'vnc', 'novnc', stubs.OTHER_UUID)
        self.assertIsNone(
            self.token_row(tokens.hash_token(TOKEN)))

    def test_instance_unknown_to_database(self):
        # The hypervisor has it but no sync recorded it yet.
        self.driver.domains.append(stubs.domain(stubs.OTHER_UUID))
        self.assertRaisesExpected(exception.InstanceNotFound,
                                  'vnc', 'novnc', stubs.OTHER_UUID)


class TokenLifecycleTestCase(ManagerTestCase):

    def _token_count(self):
        # Every test issues at most one token, always TOKEN.
        row = self.token_row(tokens.hash_token(TOKEN))
        return 0 if row is None else 1

    def test_sync_revokes_tokens_of_removed_instance(self):
        self.get_console('vnc', 'novnc')
        self.driver.domains = []
        result = self.manager.sync_inventory()
        self.assertEqual([stubs.UUID], result.removed)
        self.assertEqual(0, self._token_count())
        self.assertIsNone(self.database.instance_get(self.ctxt, stubs.UUID))

    def test_sync_revokes_tokens_of_moved_instance(self):
        self.get_console('vnc', 'novnc')
        other = self.make_manager(
            stubs.StubDriver([stubs.domain()], stubs.ALL_ENDPOINTS),
            'compute2')
        result = other.sync_inventory()
        self.assertEqual([stubs.UUID], result.moved)
        self.assertEqual(0, self._token_count())
        self.assertEqual(
            'compute2', self.database.instance_get(self.ctxt, stubs.UUID).host)

    def test_sync_keeps_tokens_of_changed_instance(self):
        self.get_console('vnc', 'novnc')
        self.driver.domains = [stubs.domain(state=3)]
        result = self.manager.sync_inventory()
        self.assertEqual([stubs.UUID], result.changed)
        self.assertEqual(1, self._token_count())

    def test_sync_hypervisor_failure_keeps_inventory(self):
        self.get_console('vnc', 'novnc')
        self.driver.list_error = exception.HypervisorUnavailable(
            uri='qemu:///system', reason='gone')
        self.assertIsNone(self.manager.sync_inventory())
        self.assertIsNotNone(self.database.instance_get(self.ctxt, stubs.UUID))
        self.assertEqual(1, self._token_count())
        self.assertIn('qemu:///system', self.log.output)

    def test_sync_failure_raised_on_request(self):
        self.driver.list_error = exception.InventoryError(path='x',
                                                          reason='bad')
        self.assertRaises(exception.InventoryError,
                          self.manager.sync_inventory, raise_errors=True)

    def test_purge_expired_tokens(self):
        self.conf.config(group='consoleauth', token_ttl=10)
        self.get_console('vnc', 'novnc')
        self.assertEqual(0, self.manager.purge_expired_tokens())
        timeutils.advance_time_seconds(10)
        self.assertEqual(1, self.manager.purge_expired_tokens())
        self.assertEqual(0, self._token_count())

    def test_heartbeat_records_service(self):
        self.manager.heartbeat()
        service = self.database.service_get(self.ctxt, stubs.HOST,
                                            rpcapi.AGENT_BINARY)
        self.assertEqual(rpcapi.RPC_API_VERSION, service.rpc_version)
        self.assertIsNotNone(service.last_seen_up)
