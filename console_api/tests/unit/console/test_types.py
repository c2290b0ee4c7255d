"""The console-type registry and what derives from it."""

from oslo_config import fixture as config_fixture
import testtools

from console_api import conf
from console_api.console import types
from console_api import exception

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
