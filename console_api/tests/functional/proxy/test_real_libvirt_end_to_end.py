"""End to end through the API and the proxy to a real libvirt domain.

Issue 5's last step: the agent runs the libvirt driver on a real libvirtd
(``qemu:///system``) whose disk-less TCG guest belongs to the test project;
the console URLs the API returns lead, through the real console proxy, to
the ports libvirt gave that guest. The VNC client follows tempest's
``NoVNCValidateMixin`` (spec B 11.1); the serial bytes are checked in the
guest's own 16550 UART through QEMU's monitor, since a guest with no disk
runs nothing that would answer. Once the domain is destroyed and undefined
and the agent has synced, its old token gets no byte (spec A13-A14).

Needs what ``test_real_libvirtd`` needs (root, libvirtd, QEMU) plus noVNC
in ``/usr/share/novnc``; skipped otherwise, failed instead when
``CONSOLE_API_TEST_REQUIRE_SERVICES=1``.
"""

import os
import time
import urllib.parse
import urllib.request

from websockets.sync import client as ws_client

from console_api import conf
from console_api.tests.functional.api import checks
from console_api.tests.functional.proxy import fakes
from console_api.tests.functional.proxy import fixtures_qemu
from console_api.tests.functional.virt import real_libvirtd
from console_api.tests.functional.virt import test_real_libvirtd

try:
    import libvirt_qemu
except ImportError:
    libvirt_qemu = None

CONF = conf.CONF
NOVNC_WEB = '/usr/share/novnc'
LOOPBACK = test_real_libvirtd.LOOPBACK
WAIT = 20

# COM1 of the i440fx machine libvirt gives the guest.
UART_DATA = 0x3f8
UART_LCR = 0x3fb
UART_MCR = 0x3fc
UART_LSR = 0x3fd
LSR_DATA_READY = 0x01
LSR_THR_EMPTY = 0x20


def _novnc_unavailable():
    if not os.path.isfile(os.path.join(NOVNC_WEB, 'vnc_lite.html')):
        return ('noVNC is not installed in %s (Debian package novnc)'
                % NOVNC_WEB)
    if libvirt_qemu is None:
        return 'libvirt_qemu (part of libvirt-python) cannot be imported'
    return None


class RealLibvirtEndToEndTest(test_real_libvirtd.RealLibvirtdTestCase):
    """API, agent on qemu:///system, proxy, and a running libvirt guest."""

    # Only the listeners these tests use: SPICE's fixed default port
    # could clash with a parallel worker.
    enabled = ('vnc', 'serial_console')

    def setUp(self):
        reason = _novnc_unavailable()
        if reason is not None:
            if real_libvirtd.services_required():
                self.fail('noVNC is required here: %s' % reason)
            self.skipTest(reason)
        # Checks libvirtd and QEMU, takes the shared libvirtd lock and
        # starts the agent on the libvirt driver.
        super().setUp()
        self.proxy_addresses = self._start_proxy()
        self.vm = self.guest()
        self.sync()

    def _start_proxy(self):
        from console_api.proxy import server
        self.flags.config(novncproxy_host=LOOPBACK, novncproxy_port=0,
                          group='vnc')
        self.flags.config(serialproxy_host=LOOPBACK, serialproxy_port=0,
                          group='serial_console')
        self.flags.config(web=NOVNC_WEB, cert='/nonexistent/self.pem')
        proxy = server.ProxyService(CONF)
        addresses = proxy.start_in_thread()
        self.addCleanup(proxy.stop)
        # The agent reads the bases when it issues each token, so they can
        # name the ports the listeners really got.
        self.flags.config(
            novncproxy_base_url='http://%s:%d/vnc_lite.html'
            % (LOOPBACK, addresses['novnc'][1]), group='vnc')
        self.flags.config(
            base_url='ws://%s:%d/' % (LOOPBACK, addresses['serial'][1]),
            group='serial_console')
        return addresses

    def console_url(self, protocol, console_type):
        response = self.api(
            'POST', '/v2.1/servers/%s/remote-consoles' % self.vm.uuid,
            body={'remote_console': {'protocol': protocol,
                                     'type': console_type}},
            version='2.6')
        self.assertEqual(200, response.status_int, response.body)
        console = response.json['remote_console']
        self.assertEqual((protocol, console_type),
                         (console['protocol'], console['type']))
        return console['url']

    def connect_novnc(self, url):
        """Upgrade as tempest does: ``path``'s value, query as cookie."""
        parts = urllib.parse.urlsplit(url)
        self.assertEqual((LOOPBACK, self.proxy_addresses['novnc'][1]),
                         (parts.hostname, parts.port))
        path = urllib.parse.parse_qs(parts.query)['path'][0]
        client = fakes.RawWebSocket(parts.hostname, parts.port,
                                    '/' + path.lstrip('/'),
                                    cookie=parts.query)
        self.addCleanup(client.close)
        return client

    def hmp(self, command):
        """Run a human monitor command in the guest's QEMU."""
        return libvirt_qemu.qemuMonitorCommand(
            self.vm.domain, command,
            libvirt_qemu.VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP)

    def read_port(self, port):
        # The monitor answers "portb[0x03fd] = 0x61".
        answer = self.hmp('i /b 0x%x' % port)
        return int(answer.rpartition('=')[2], 16)

    def wait_port(self, port, bit):
        deadline = time.monotonic() + WAIT
        while not self.read_port(port) & bit:
            if time.monotonic() > deadline:
                self.fail('bit 0x%02x of port 0x%x never set' % (bit, port))
            time.sleep(0.05)

    def test_novnc_to_live_domain_then_revoked(self):
        url = self.console_url('vnc', 'novnc')
        with urllib.request.urlopen(url, timeout=10) as response:
            self.assertEqual(200, response.status)
            page = response.read()
        for part in (b'<html', b'noVNC', b'<script'):
            self.assertIn(part, page)
        # QEMU calls the desktop "QEMU (<domain name>)".
        fixtures_qemu.assert_rfb_handshake(
            self, self.connect_novnc(url), self.vm.name.encode())

        self.vm.remove()
        result = self.sync()
        self.assertIn(self.vm.uuid, result.removed)
        self.assertEqual(404, self.token_info(
            checks.token_from_url(url)).status_int)
        # libvirt may hand the freed VNC port to the next guest (another
        # worker's): only the revoked token keeps its console closed.
        client = self.connect_novnc(url)
        self.assertTrue(client.response.startswith(b'HTTP/1.1 403'),
                        client.response)
        self.assertIsNone(client.receive_frame())

    def test_serial_bytes_reach_the_guest_uart(self):
        url = self.console_url('serial', 'serial')
        parts = urllib.parse.urlsplit(url)
        self.assertEqual(('ws', self.proxy_addresses['serial'][1]),
                         (parts.scheme, parts.port))
        token = urllib.parse.parse_qs(parts.query)['token'][0]
        # The firmware of a disk-less guest resets it about once a minute,
        # and a reset empties the UART. Paused, the vCPUs stop but QEMU's
        # device model still takes and gives serial bytes.
        self.vm.domain.suspend()
        with ws_client.connect(
                urllib.parse.urlunsplit(parts._replace(query='')),
                additional_headers={'Cookie': 'token=%s' % token},
                subprotocols=['binary'], open_timeout=WAIT) as ws:
            # Client to guest: with its FIFO off the UART holds one byte
            # until it is read, so each one is read before the next lands.
            ws.send(b'OK')
            for expected in b'OK':
                self.wait_port(UART_LSR, LSR_DATA_READY)
                self.assertEqual(expected, self.read_port(UART_DATA))

            # Guest to client: 8N1 with the divisor latch off, no loopback,
            # then each byte written to the transmit register.
            self.hmp('o /b 0x%x 0x03' % UART_LCR)
            self.hmp('o /b 0x%x 0x03' % UART_MCR)
            seen = b''
            for byte in b'hi':
                self.wait_port(UART_LSR, LSR_THR_EMPTY)
                self.hmp('o /b 0x%x 0x%02x' % (UART_DATA, byte))
                while bytes([byte]) not in seen:
                    seen += ws.recv(timeout=WAIT)
            self.assertTrue(seen.endswith(b'hi'), seen)
