"""End to end through the API: libvirt driver, agent, proxy and QEMU.

A real QEMU guest serves VNC and a serial port on loopback. The agent runs
the libvirt driver on a ``test:///`` node whose only domain declares
exactly those ports and belongs to the test project, so the console URLs
the API returns lead, through the real console proxy, to QEMU. The client
steps are those of tempest's ``NoVNCValidateMixin`` (spec B 11.1), and the
refusals those of spec A13-A14: no byte of a console for a bad, expired or
revoked token, or a foreign origin.
"""

import os
import urllib.parse
import urllib.request
import uuid
from xml.sax import saxutils

from websockets.sync import client as ws_client

from console_api import conf
from console_api.tests.functional import base
from console_api.tests.functional.proxy import fakes
from console_api.tests.functional.proxy import fixtures_qemu
from console_api.tests.functional import service_env
from console_api.virt.libvirt import xml as domain_xml

CONF = conf.CONF
NOVNC_WEB = '/usr/share/novnc'
GUEST_NAME = 'e2e-test-guest'

_NODE = """<?xml version="1.0"?>
<node>%s</node>
"""

_DOMAIN = """
  <domain type='test'>
    <name>%(name)s</name>
    <uuid>%(uuid)s</uuid>
    <metadata>
      <nova:instance xmlns:nova='%(ns)s'>
        <nova:owner>
          <nova:user uuid='%(user)s'>tester</nova:user>
          <nova:project uuid='%(project)s'>test</nova:project>
        </nova:owner>
      </nova:instance>
    </metadata>
    <memory>65536</memory>
    <os><type>hvm</type></os>
    <devices>
      <serial type='tcp'>
        <source mode='bind' host='127.0.0.1' service='%(serial)d'/>
        <protocol type='raw'/>
      </serial>
      <graphics type='vnc' port='%(vnc)d' autoport='no' listen='127.0.0.1'/>
    </devices>
  </domain>
"""


def node_xml(domains):
    """Return a ``test:///`` node document holding ``domains``.

    :param domains: dicts with ``name``, ``uuid``, ``project``, ``user``,
        ``vnc`` and ``serial`` (the guest's real ports: libvirt's test
        driver assigns none).
    """
    parts = []
    for domain in domains:
        values = dict(domain, ns=domain_xml.NOVA_NS)
        for key in ('name', 'uuid', 'project', 'user'):
            values[key] = saxutils.escape(values[key])
        parts.append(_DOMAIN % values)
    return _NODE % ''.join(parts)


class EndToEndTestCase(base.APITestCase):
    """QEMU, an agent on libvirt's test driver, the API and the proxy."""

    enabled = ('vnc', 'serial_console')

    def setUp(self):
        # Checked before the base class starts anything.
        if fixtures_qemu.qemu_binary() is None:
            service_env.unavailable(self, 'qemu-system-x86_64 is not '
                                          'installed')
        if not os.path.isfile(os.path.join(NOVNC_WEB, 'vnc_lite.html')):
            service_env.unavailable(self, 'noVNC is not installed in %s '
                                          '(Debian package novnc)'
                                    % NOVNC_WEB)
        try:
            import libvirt  # noqa: F401
        except ImportError:
            service_env.unavailable(self, 'libvirt-python is not installed')
        super().setUp()
        self.proxy = self._start_proxy()

    def configure(self):
        self.guest = self.useFixture(fixtures_qemu.QemuGuest(GUEST_NAME))
        self.server_uuid = str(uuid.uuid4())
        self.domain = {'name': 'e2e', 'uuid': self.server_uuid,
                       'project': base.PROJECT, 'user': 'e2e-user',
                       'vnc': self.guest.vnc_port,
                       'serial': self.guest.serial_port}
        self.node_path = os.path.join(self.tmp, 'node.xml')
        self._write_node([self.domain])
        self.flags.config(compute_driver='libvirt')
        self.flags.config(connection_uri='test://' + self.node_path,
                          group='libvirt')
        self.flags.config(server_proxyclient_address='127.0.0.1',
                          novncproxy_host='127.0.0.1', novncproxy_port=0,
                          group='vnc')
        self.flags.config(proxyclient_address='127.0.0.1',
                          serialproxy_host='127.0.0.1', serialproxy_port=0,
                          group='serial_console')
        self.flags.config(web=NOVNC_WEB, cert='/nonexistent/self.pem')

    def _write_node(self, domains):
        with open(self.node_path + '.new', 'w') as out:
            out.write(node_xml(domains))
        os.replace(self.node_path + '.new', self.node_path)

    def _start_proxy(self):
        from console_api.proxy import server
        proxy = server.ProxyService(CONF)
        self.addresses = proxy.start_in_thread()
        self.addCleanup(proxy.stop)
        # The URL bases name the ports the listeners really got; the agent
        # reads them when it issues each token.
        self.flags.config(
            novncproxy_base_url='http://127.0.0.1:%d/vnc_lite.html'
            % self.addresses['novnc'][1], group='vnc')
        self.flags.config(
            base_url='ws://127.0.0.1:%d/' % self.addresses['serial'][1],
            group='serial_console')
        return proxy

    # -- the API side ------------------------------------------------------

    def novnc_url(self):
        """``POST remote-consoles`` vnc/novnc at 2.6; return the URL."""
        response = self.api(
            'POST', '/v2.1/servers/%s/remote-consoles' % self.server_uuid,
            body={'remote_console': {'protocol': 'vnc', 'type': 'novnc'}},
            version='2.6')
        self.assertEqual(200, response.status_int, response.body)
        console = response.json['remote_console']
        self.assertEqual(('vnc', 'novnc'),
                         (console['protocol'], console['type']))
        return console['url']

    def legacy_novnc_url(self):
        """``os-getVNCConsole`` at 2.1; return the URL."""
        response = self.api(
            'POST', '/v2.1/servers/%s/action' % self.server_uuid,
            body={'os-getVNCConsole': {'type': 'novnc'}}, version='2.1')
        self.assertEqual(200, response.status_int, response.body)
        self.assertEqual('novnc', response.json['console']['type'])
        return response.json['console']['url']

    def serial_url(self):
        response = self.api(
            'POST', '/v2.1/servers/%s/remote-consoles' % self.server_uuid,
            body={'remote_console': {'protocol': 'serial',
                                     'type': 'serial'}},
            version='2.6')
        self.assertEqual(200, response.status_int, response.body)
        return response.json['remote_console']['url']

    # -- the client side, as tempest's NoVNCValidateMixin -----------------

    def open_page(self, url):
        with urllib.request.urlopen(url, timeout=10) as response:
            self.assertEqual(200, response.status)
            return response.read()

    def connect_novnc(self, url, rewrite=None, origin=None):
        """Upgrade on the ``path`` parameter's value, query as cookie.

        :param rewrite: ``f(token) -> token`` applied to the token in both
            the request target and the cookie (tempest's bad token).
        """
        parts = urllib.parse.urlsplit(url)
        self.assertEqual(('127.0.0.1', self.addresses['novnc'][1]),
                         (parts.hostname, parts.port))
        query = parts.query
        path = urllib.parse.parse_qs(query)['path'][0]
        token = urllib.parse.parse_qs(path.partition('?')[2])['token'][0]
        if rewrite is not None:
            bad = rewrite(token)
            path = path.replace(token, bad)
            query = query.replace(token, bad)
        client = fakes.RawWebSocket(parts.hostname, parts.port,
                                    '/' + path.lstrip('/'), cookie=query,
                                    origin=origin)
        self.addCleanup(client.close)
        return client

    def assertRFBHandshake(self, client):
        fixtures_qemu.assert_rfb_handshake(self, client, GUEST_NAME.encode())

    def assertClosedWithoutData(self, client):
        fixtures_qemu.assert_closed_without_data(self, client)


class NoVNCEndToEndTest(EndToEndTestCase):

    def test_novnc(self):
        """tempest's test_novnc, from the API call to ServerInit."""
        url = self.novnc_url()
        body = self.open_page(url)
        for part in (b'<html', b'</html>', b'noVNC', b'<script'):
            self.assertIn(part, body)
        self.assertRFBHandshake(self.connect_novnc(url))

    def test_novnc_legacy_action(self):
        url = self.legacy_novnc_url()
        self.assertIn(b'noVNC', self.open_page(url))
        self.assertRFBHandshake(self.connect_novnc(url))

    def test_novnc_bad_token(self):
        """tempest's test_novnc_bad_token: ``bad`` before the token."""
        client = self.connect_novnc(self.novnc_url(),
                                    rewrite=lambda token: 'bad' + token)
        self.assertClosedWithoutData(client)

    def test_expired_token(self):
        self.flags.config(token_ttl=0, group='consoleauth')
        self.assertClosedWithoutData(self.connect_novnc(self.novnc_url()))

    def test_token_of_server_gone_from_hypervisor(self):
        url = self.novnc_url()
        # The domain disappears from the hypervisor; the test driver reads
        # the node file again when the connection is reopened.
        self._write_node([])
        self.agent.driver.cleanup_host()
        result = self.agent.manager.sync_inventory(raise_errors=True)
        self.assertEqual([self.server_uuid], list(result.removed))
        self.assertClosedWithoutData(self.connect_novnc(url))
        # And the API no longer knows the server.
        response = self.api(
            'POST', '/v2.1/servers/%s/remote-consoles' % self.server_uuid,
            body={'remote_console': {'protocol': 'vnc', 'type': 'novnc'}},
            version='2.6')
        self.assertFault(response, 404, 'itemNotFound')

    def test_wrong_origin(self):
        client = self.connect_novnc(self.novnc_url(),
                                    origin='http://evil.example')
        self.assertClosedWithoutData(client)

    def test_wrong_scheme(self):
        # The token's base URL is http; a page served over https must not
        # use it.
        client = self.connect_novnc(self.novnc_url(),
                                    origin='https://127.0.0.1')
        self.assertClosedWithoutData(client)

    def test_right_origin(self):
        """The refusals above are about the origin, not any origin."""
        client = self.connect_novnc(self.novnc_url(),
                                    origin='http://127.0.0.1')
        self.assertRFBHandshake(client)


class SerialEndToEndTest(EndToEndTestCase):

    def _read_until(self, ws, marker):
        seen = b''
        while marker not in seen:
            seen += ws.recv(timeout=20)
        return seen

    def test_serial_round_trip(self):
        """Bytes reach the guest's serial port and its answers come back."""
        url = self.serial_url()
        parts = urllib.parse.urlsplit(url)
        self.assertEqual(('ws', self.addresses['serial'][1]),
                         (parts.scheme, parts.port))
        token = urllib.parse.parse_qs(parts.query)['token'][0]
        with ws_client.connect(
                urllib.parse.urlunsplit(parts._replace(query='')),
                additional_headers={'Cookie': 'token=%s' % token},
                subprotocols=['binary']) as ws:
            # Ctrl-a c switches QEMU's multiplexed serial to its monitor.
            ws.send(b'\x01c')
            self._read_until(ws, b'(qemu)')
            ws.send(b'info name\r')
            self.assertIn(GUEST_NAME.encode(),
                          self._read_until(ws, GUEST_NAME.encode()))

    def test_serial_bad_token(self):
        url = self.serial_url()
        parts = urllib.parse.urlsplit(url)
        token = urllib.parse.parse_qs(parts.query)['token'][0]
        client = fakes.RawWebSocket(parts.hostname, parts.port, '/',
                                    cookie='token=bad%s' % token)
        self.addCleanup(client.close)
        self.assertTrue(client.response.startswith(b'HTTP/1.1 403'),
                        client.response)
        self.assertIsNone(client.receive_frame())
