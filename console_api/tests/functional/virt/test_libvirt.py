"""The libvirt driver against libvirt's own test driver (no daemon)."""

import threading

from oslo_config import fixture as config_fixture
import testtools

from console_api.compute import power_state
from console_api import conf
from console_api import exception
from console_api.tests import fixtures as data
from console_api.virt import driver
from console_api.virt.libvirt import driver as libvirt_driver

try:
    import libvirt
except ImportError:
    libvirt = None

UNKNOWN = '99999999-9999-4999-8999-999999999999'


@testtools.skipIf(libvirt is None,
                  'libvirt-python cannot be imported; install '
                  'console-api[libvirt] to run the libvirt driver tests')
class LibvirtDriverTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.conf = self.useFixture(config_fixture.Config(conf.CONF))
        self.conf.config(group='libvirt',
                         connection_uri=data.LIBVIRT_TEST_URI)
        self.conf.config(group='vnc', server_proxyclient_address='10.0.0.5')
        self.conf.config(group='spice',
                         server_proxyclient_address='10.0.0.6')
        self.conf.config(group='rdp', server_proxyclient_address='10.0.0.7')
        self.conf.config(group='serial_console',
                         proxyclient_address='10.0.0.8')
        self.driver = driver.load_driver('libvirt.LibvirtDriver')
        self.driver.init_host('agent1')
        self.addCleanup(self.driver.cleanup_host)


class TestListDomains(LibvirtDriverTestCase):

    def test_owners_and_states(self):
        domains = {info.uuid: info for info in self.driver.list_domains()}
        self.assertEqual({
            data.LIBVIRT_FULL: driver.DomainInfo(
                data.LIBVIRT_FULL, 'full', power_state.RUNNING,
                '6f70656e737461636b2064656d6f0001',
                '9b3f0c2a41d84e3c8d1f6a7b5c4e3d21'),
            data.LIBVIRT_VNC_ONLY: driver.DomainInfo(
                data.LIBVIRT_VNC_ONLY, 'vnc-only', power_state.PAUSED,
                '616c742d64656d6f0000000000000002',
                'c0ffee00c0ffee00c0ffee00c0ffee01'),
            data.LIBVIRT_HEADLESS: driver.DomainInfo(
                data.LIBVIRT_HEADLESS, 'headless', power_state.RUNNING,
                None, None),
            data.LIBVIRT_CONSOLE_ONLY: driver.DomainInfo(
                data.LIBVIRT_CONSOLE_ONLY, 'console-only',
                power_state.RUNNING, None, None),
            data.LIBVIRT_STOPPED: driver.DomainInfo(
                data.LIBVIRT_STOPPED, 'stopped', power_state.SHUTDOWN,
                None, None),
        }, domains)


class TestConsoles(LibvirtDriverTestCase):

    def test_vnc(self):
        self.assertEqual(driver.ConsoleEndpoint('10.0.0.5', 5900),
                         self.driver.get_vnc_console(data.LIBVIRT_FULL))
        self.assertEqual(driver.ConsoleEndpoint('10.0.0.5', 5910),
                         self.driver.get_vnc_console(data.LIBVIRT_VNC_ONLY))

    def test_spice_with_tls_port(self):
        self.assertEqual(driver.ConsoleEndpoint('10.0.0.6', 5901, 5902),
                         self.driver.get_spice_console(data.LIBVIRT_FULL))

    def test_rdp(self):
        self.assertEqual(driver.ConsoleEndpoint('10.0.0.7', 3389),
                         self.driver.get_rdp_console(data.LIBVIRT_FULL))

    def test_serial(self):
        self.assertEqual(driver.ConsoleEndpoint('192.0.2.10', 10000),
                         self.driver.get_serial_console(data.LIBVIRT_FULL))

    def test_serial_from_console_device_on_every_address(self):
        self.assertEqual(
            driver.ConsoleEndpoint('10.0.0.8', 10001),
            self.driver.get_serial_console(data.LIBVIRT_CONSOLE_ONLY))

    def test_uuid_in_upper_case(self):
        self.assertEqual(
            5900, self.driver.get_vnc_console(data.LIBVIRT_FULL.upper()).port)

    def test_missing_devices(self):
        cases = [(self.driver.get_spice_console, data.LIBVIRT_VNC_ONLY,
                  'spice'),
                 (self.driver.get_rdp_console, data.LIBVIRT_VNC_ONLY, 'rdp'),
                 (self.driver.get_serial_console, data.LIBVIRT_VNC_ONLY,
                  'serial'),
                 (self.driver.get_vnc_console, data.LIBVIRT_HEADLESS, 'vnc'),
                 (self.driver.get_serial_console, data.LIBVIRT_HEADLESS,
                  'serial'),
                 # Shut off with autoport: the graphics have no port.
                 (self.driver.get_vnc_console, data.LIBVIRT_STOPPED, 'vnc'),
                 (self.driver.get_spice_console, data.LIBVIRT_STOPPED,
                  'spice')]
        for getter, uuid, kind in cases:
            error = self.assertRaises(exception.ConsoleTypeUnavailable,
                                      getter, uuid)
            self.assertEqual(kind, error.kwargs['console_type'])

    def test_unknown_instance(self):
        for getter in (self.driver.get_vnc_console,
                       self.driver.get_spice_console,
                       self.driver.get_serial_console,
                       self.driver.get_rdp_console):
            for uuid in (UNKNOWN, 'not-a-uuid'):
                error = self.assertRaises(exception.InstanceNotFound,
                                          getter, uuid)
                self.assertEqual(uuid, error.kwargs['instance_id'])

    def test_mks_not_supported(self):
        error = self.assertRaises(exception.ConsoleNotSupported,
                                  self.driver.get_mks_console,
                                  data.LIBVIRT_FULL)
        self.assertEqual(501, error.code)

    def test_concurrent_calls(self):
        failures = []

        def work():
            try:
                for _ in range(20):
                    self.driver.get_vnc_console(data.LIBVIRT_FULL)
                    self.driver.list_domains()
            except Exception as exc:  # reported below, not swallowed
                failures.append(exc)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual([], failures)


class TestConnectionLifecycle(LibvirtDriverTestCase):

    def _live_connection(self):
        return self.driver._connection.call(lambda conn: conn)

    def test_reconnects_after_connection_dies(self):
        old = self._live_connection()
        # What a libvirtd restart looks like to the client: every call on
        # the old connection fails with an invalid-connection error.
        old.close()
        self.assertEqual(5, len(self.driver.list_domains()))
        new = self._live_connection()
        self.assertIsNot(old, new)
        self.assertEqual(1, new.isAlive())
        self.assertEqual(5900,
                         self.driver.get_vnc_console(data.LIBVIRT_FULL).port)

    def test_console_call_reconnects_too(self):
        self._live_connection().close()
        self.assertEqual(
            3389, self.driver.get_rdp_console(data.LIBVIRT_FULL).port)

    def test_reconnect_failure_names_uri(self):
        self._live_connection().close()
        # The hypervisor does not come back: the URI now opens nothing.
        missing = 'test:///nonexistent/node.xml'
        self.driver._connection.uri = missing
        error = self.assertRaises(exception.HypervisorUnavailable,
                                  self.driver.list_domains)
        self.assertIn(missing, error.format_message())
        self.assertEqual(503, error.code)

    def test_init_host_failure_names_uri(self):
        missing = 'test:///nonexistent/node.xml'
        self.conf.config(group='libvirt', connection_uri=missing)
        error = self.assertRaises(exception.HypervisorUnavailable,
                                  libvirt_driver.LibvirtDriver().init_host,
                                  'agent1')
        self.assertIn(missing, error.format_message())

    def test_cleanup_then_use_reopens(self):
        self.driver.cleanup_host()
        self.driver.cleanup_host()
        self.assertEqual(5, len(self.driver.list_domains()))

    def test_not_initialised(self):
        self.assertRaises(exception.HypervisorUnavailable,
                          libvirt_driver.LibvirtDriver().list_domains)
