"""The console-type registry and what derives from it."""

import fixtures
from oslo_config import cfg
from oslo_config import fixture as config_fixture
import oslo_messaging as messaging
import testtools

from console_api.api.schemas import remote_consoles as schemas
from console_api.compute import manager
from console_api import conf
from console_api.console import auth
from console_api.console import token_store
from console_api.console import tokens
from console_api.console import types
from console_api import context
from console_api import exception
from console_api.tests.unit.compute import stubs
from console_api.tests.unit.db import database
from console_api.virt import driver

CONF = conf.CONF
V = types.Version


class CheckTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.conf = self.useFixture(config_fixture.Config(CONF))
        for group in ('vnc', 'spice', 'serial_console', 'rdp', 'mks'):
            self.conf.config(group=group, enabled=True)

    def test_every_served_type(self):
        for row in types.TYPES:
            if row.url_option is not None:
                self.assertIs(row, types.check(CONF, row.protocol, row.type))

    def test_unknown_protocol_is_not_supported(self):
        self.assertRaises(exception.ConsoleNotSupported, types.check, CONF,
                          'telnet', 'novnc')

    def test_disabled_protocol_refuses_every_type(self):
        self.conf.config(group='serial_console', enabled=False)
        for console_type in ('serial', 'novnc', 'nonsense'):
            error = self.assertRaises(exception.ConsoleTypeUnavailable,
                                      types.check, CONF, 'serial',
                                      console_type)
            self.assertIn(console_type, error.format_message())

    def test_mismatched_unserved_and_unknown_types_are_invalid(self):
        for protocol, console_type in (('serial', 'novnc'), ('vnc', 'xvpvnc'),
                                       ('spice', 'webmks'),
                                       ('vnc', 'nonsense')):
            self.assertRaises(exception.ConsoleTypeInvalid, types.check,
                              CONF, protocol, console_type)


class LookupTest(testtools.TestCase):

    def test_unknown_type_gets_every_default(self):
        row = types.get('nonsense')
        self.assertEqual(('nonsense', None, False, False, False),
                         (row.type, row.protocol, row.novnc_path, row.direct,
                          row.early_details))


# A made-up protocol and its one type, first requestable at 2.100.
TELNET = types.ConsoleType('telnet-html5', 'telnet', 'telnet', 'base_url',
                           min_version=V(2, 100))
TELNET_BASE = 'http://telnet.example.com:7000/'


class TelnetDriver(stubs.StubDriver):
    """The stub driver plus the one method the new protocol needs."""

    def get_telnet_console(self, instance_uuid):
        return driver.ConsoleEndpoint('10.0.0.5', 2323)


class NewTypeTest(testtools.TestCase):
    """A registry row and a driver method are all a new type needs."""

    def setUp(self):
        super().setUp()
        self.useFixture(fixtures.MockPatchObject(
            types, 'TYPES', types.TYPES + (TELNET,)))
        self.conf = self.useFixture(config_fixture.Config(CONF))
        self.conf.register_opts([cfg.BoolOpt('enabled', default=True),
                                 cfg.StrOpt('base_url', default=TELNET_BASE)],
                                group='telnet')

    def test_schema(self):
        def enums(version):
            console = schemas.create(version)['properties']['remote_console']
            return (console['properties']['protocol']['enum'],
                    console['properties']['type']['enum'])

        protocols, console_types = enums(V(2, 99))
        self.assertNotIn('telnet', protocols)
        self.assertNotIn('telnet-html5', console_types)
        protocols, console_types = enums(V(2, 100))
        self.assertEqual('telnet', protocols[-1])
        self.assertEqual('telnet-html5', console_types[-1])
        self.assertEqual([V(2, 99), V(2, 100)],
                         [low for low, _high, _schema
                          in schemas.create_ranges(V(2, 6))][-2:])

    def agent(self, driver):
        database_ = self.useFixture(database.Database()).database
        return manager.ConsoleAgentManager(
            driver, stubs.HOST, database_,
            auth.ConsoleAuth(database_, CONF), CONF)

    def test_agent_dispatch_and_url(self):
        ctxt = context.get_admin_context()
        telnet = TelnetDriver([stubs.domain()])
        agent = self.agent(telnet)
        agent.database.instance_sync_host(ctxt, stubs.HOST, telnet.domains)

        url = agent.get_console(ctxt, stubs.UUID, 'telnet',
                                'telnet-html5')['url']

        self.assertTrue(url.startswith(TELNET_BASE + '?token='), url)
        token = url.split('?token=', 1)[1]
        self.assertEqual(url, tokens.access_url('telnet-html5', TELNET_BASE,
                                                token))
        row = token_store.get_with_instance(
            agent.database, ctxt, tokens.hash_token(token), 0)
        self.assertEqual(('telnet-html5', '10.0.0.5', 2323),
                         (row.console_type, row.host, row.port))

    def test_a_driver_without_the_method_cannot(self):
        agent = self.agent(stubs.StubDriver([stubs.domain()]))
        expected = self.assertRaises(
            messaging.ExpectedException, agent.get_console,
            context.get_admin_context(), stubs.UUID, 'telnet', 'telnet-html5')
        self.assertIsInstance(expected.exc_info[1],
                              exception.ConsoleNotSupported)
