"""The libvirt driver and agent against a real libvirtd (qemu:///system).

Spec A6, A12 and B 4.4. Each test runs disk-less TCG guests with autoport
VNC and SPICE and a TCP serial port; the ports the API hands out must be
the live ones libvirt assigned. Needs root (to start libvirtd when it is not
running) and the Debian packages libvirt-daemon-system, libvirt-clients and
qemu-system-x86; skipped otherwise, failed instead when
``CONSOLE_API_TEST_REQUIRE_SERVICES=1``.
"""

import fcntl
import os
from xml.etree import ElementTree

from oslo_serialization import jsonutils

from console_api.compute import agent as agent_module
from console_api.compute import power_state
from console_api import exception
from console_api.tests.functional.api import checks
from console_api.tests.functional import base
from console_api.tests.functional.virt import real_libvirtd
from console_api.virt import driver

# Tests hold this lock shared; the restart test holds it exclusively, so
# that under a parallel runner no other test talks to libvirtd while it is
# down.
LOCK_PATH = '/tmp/console-api-test-libvirtd.lock'
LOOPBACK = '127.0.0.1'
_UNAVAILABLE = []


def _unavailable():
    if not _UNAVAILABLE:
        _UNAVAILABLE.append(real_libvirtd.libvirtd_unavailable())
    return _UNAVAILABLE[0]


def _live_port(guest, graphics_type):
    root = ElementTree.fromstring(guest.live_xml())
    return int(root.find("./devices/graphics[@type='%s']"
                         % graphics_type).get('port'))


class RealLibvirtdTestCase(base.APITestCase):
    """The paste app with an agent running the libvirt driver."""

    start_agent = False
    exclusive = False

    def setUp(self):
        reason = _unavailable()
        if reason is not None:
            if real_libvirtd.services_required():
                self.fail('libvirtd is required here: %s' % reason)
            self.skipTest('no usable libvirtd: %s' % reason)
        self._lock()
        super().setUp()
        self.flags.config(compute_driver='libvirt')
        self.flags.config(connection_uri=real_libvirtd.URI, group='libvirt')
        self.flags.config(server_proxyclient_address=LOOPBACK, group='vnc')
        self.flags.config(server_proxyclient_address=LOOPBACK,
                          group='spice')
        self.flags.config(proxyclient_address=LOOPBACK,
                          group='serial_console')
        self.agent = agent_module.ComputeAgent(base.CONF)
        self.agent.start()
        self.addCleanup(self.agent.stop)

    def _lock(self):
        lock_file = open(LOCK_PATH, 'a')
        self.addCleanup(lock_file.close)
        fcntl.flock(lock_file,
                    fcntl.LOCK_EX if self.exclusive else fcntl.LOCK_SH)

    def guest(self, start=True):
        return self.useFixture(real_libvirtd.Guest(base.PROJECT,
                                                   start=start))

    def sync(self):
        result = self.agent.manager.sync_inventory()
        self.assertIsNotNone(result, 'the sync could not read libvirtd')
        return result

    def open_console(self, guest, protocol, console_type):
        """Issue a console; return the admin's view of its token."""
        response = self.api(
            'POST', '/v2.1/servers/%s/remote-consoles' % guest.uuid,
            body={'remote_console': {'protocol': protocol,
                                     'type': console_type}},
            version='2.6')
        self.assertEqual(200, response.status_int, response.body)
        token = checks.token_from_url(
            jsonutils.loads(response.body)['remote_console']['url'])
        return token, self.token_info(token)

    def token_info(self, token):
        response = self.admin('GET', '/v2.1/os-console-auth-tokens/%s'
                              % token, version='2.31')
        if response.status_int != 200:
            return response
        return jsonutils.loads(response.body)['console']

    def server_status(self, guest):
        response = self.api('GET', '/v2.1/servers/%s' % guest.uuid)
        if response.status_int != 200:
            return response.status_int
        return jsonutils.loads(response.body)['server']['status']


class TestLiveDomain(RealLibvirtdTestCase):

    def test_driver_reads_live_ports_and_owner(self):
        guest = self.guest()
        drv = self.agent.driver
        vnc_port = _live_port(guest, 'vnc')
        spice_port = _live_port(guest, 'spice')

        self.assertEqual(driver.ConsoleEndpoint(LOOPBACK, vnc_port),
                         drv.get_vnc_console(guest.uuid))
        self.assertEqual(driver.ConsoleEndpoint(LOOPBACK, spice_port),
                         drv.get_spice_console(guest.uuid))
        self.assertEqual(driver.ConsoleEndpoint(LOOPBACK, guest.serial_port),
                         drv.get_serial_console(guest.uuid))
        # The endpoints are QEMU's own listeners, not just XML values.
        self.assertEqual(b'RFB 003.008\n', real_libvirtd.read_banner(vnc_port))
        self.assertTrue(real_libvirtd.can_connect(spice_port))
        self.assertTrue(real_libvirtd.can_connect(guest.serial_port))

        domains = {info.uuid: info for info in drv.list_domains()}
        self.assertEqual(
            driver.DomainInfo(guest.uuid, guest.name, power_state.RUNNING,
                              base.PROJECT, guest.user_id),
            domains[guest.uuid])

    def test_shut_off_domain_has_no_graphics_port(self):
        guest = self.guest(start=False)
        drv = self.agent.driver
        domains = {info.uuid: info for info in drv.list_domains()}
        self.assertEqual(power_state.SHUTDOWN,
                         domains[guest.uuid].power_state)
        for getter in (drv.get_vnc_console, drv.get_spice_console):
            self.assertRaises(exception.ConsoleTypeUnavailable,
                              getter, guest.uuid)

    def test_api_hands_out_live_endpoints(self):
        guest = self.guest()
        self.sync()
        expected = {
            ('vnc', 'novnc'): _live_port(guest, 'vnc'),
            ('spice', 'spice-html5'): _live_port(guest, 'spice'),
            ('serial', 'serial'): guest.serial_port,
        }
        for (protocol, console_type), port in expected.items():
            _token, info = self.open_console(guest, protocol, console_type)
            self.assertEqual(
                {'instance_uuid': guest.uuid, 'host': LOOPBACK,
                 'port': port, 'internal_access_path': None},
                info, (protocol, console_type))


class TestSyncFollowsLibvirt(RealLibvirtdTestCase):

    def test_start_stop_undefine_between_syncs(self):
        guest = self.guest()
        # The API knows a new domain only once a sync has seen it.
        self.assertEqual(404, self.server_status(guest))
        self.sync()
        self.assertEqual('ACTIVE', self.server_status(guest))
        token, info = self.open_console(guest, 'vnc', 'novnc')
        self.assertEqual(_live_port(guest, 'vnc'), info['port'])

        guest.stop()
        self.sync()
        self.assertEqual('SHUTOFF', self.server_status(guest))
        response = self.api(
            'POST', '/v2.1/servers/%s/remote-consoles' % guest.uuid,
            body={'remote_console': {'protocol': 'vnc', 'type': 'novnc'}},
            version='2.6')
        self.assertFault(response, 409, 'conflictingRequest', 'not running')

        guest.domain.create()
        self.sync()
        self.assertEqual('ACTIVE', self.server_status(guest))
        _token, info = self.open_console(guest, 'vnc', 'novnc')
        self.assertEqual(_live_port(guest, 'vnc'), info['port'])

        guest.remove()
        result = self.sync()
        self.assertIn(guest.uuid, result.removed)
        self.assertEqual(404, self.server_status(guest))
        # Tokens of a server gone from its host are revoked.
        self.assertEqual(404, self.token_info(token).status_int)


class TestLibvirtdRestart(RealLibvirtdTestCase):

    exclusive = True

    def setUp(self):
        if os.geteuid() != 0:
            self.skipTest('restarting libvirtd needs root')
        super().setUp()

    def test_agent_survives_libvirtd_restart(self):
        guest = self.guest()
        self.sync()
        vnc_port = _live_port(guest, 'vnc')

        real_libvirtd.stop_libvirtd()
        # Whatever happens below, later tests find libvirtd running.
        self.addCleanup(real_libvirtd.start_libvirtd)
        # An unreadable hypervisor never makes servers look gone.
        self.assertIsNone(self.agent.manager.sync_inventory())
        self.assertEqual('ACTIVE', self.server_status(guest))
        response = self.api(
            'POST', '/v2.1/servers/%s/remote-consoles' % guest.uuid,
            body={'remote_console': {'protocol': 'vnc', 'type': 'novnc'}},
            version='2.6')
        self.assertEqual(503, response.status_int, response.body)

        real_libvirtd.start_libvirtd()
        # The agent's connection broke with the old daemon; the driver
        # reconnects on the next call. The guest kept running throughout.
        result = self.sync()
        self.assertNotIn(guest.uuid, result.removed)
        self.assertEqual('ACTIVE', self.server_status(guest))
        _token, info = self.open_console(guest, 'vnc', 'novnc')
        self.assertEqual(vnc_port, info['port'])
        self.assertEqual(b'RFB 003.008\n', real_libvirtd.read_banner(vnc_port))
