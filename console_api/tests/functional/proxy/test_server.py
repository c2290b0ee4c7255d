"""Sessions through the proxy service: tokens, origins, relay, shutdown."""

import http.client
import os
import ssl
import struct
import subprocess
import time

import fixtures
import testtools
import websockets
from websockets.sync import client as ws_client

from console_api import exception
from console_api.proxy import server
from console_api.tests.functional.proxy import base
from console_api.tests.functional.proxy import fakes
from console_api.tests.functional import service_env

GOOD = fakes.GOOD
SERIAL_BASE = 'ws://127.0.0.1:6083/'


class SerialRelayTest(base.ProxyTestCase):

    def setUp(self):
        super().setUp()
        self.validator.add(GOOD, 'serial', self.console(fakes.echo),
                           access_url_base=SERIAL_BASE)

    def _echo_through(self, target, **kwargs):
        with ws_client.connect(self.url('serial', target),
                               open_timeout=10, **kwargs) as ws:
            ws.send(b'hello serial')
            self.assertEqual(b'hello serial', ws.recv(timeout=10))
            return ws.subprotocol

    def test_token_in_query(self):
        self.start()
        self._echo_through('/?token=%s' % GOOD)
        self.assertEqual([GOOD], self.validator.seen)

    def test_token_in_cookie(self):
        self.start()
        self._echo_through('/websockify',
                           additional_headers={'Cookie': 'token=%s' % GOOD})

    def test_token_in_path_parameter(self):
        self.start()
        self._echo_through('/websockify?path=%%3Ftoken%%3D%s' % GOOD)

    def test_binary_subprotocol_echoed(self):
        self.start()
        self.assertEqual('binary', self._echo_through(
            '/?token=%s' % GOOD, subprotocols=['base64', 'binary']))
        self.assertIsNone(self._echo_through('/?token=%s' % GOOD))

    def test_subprotocol_without_binary_refused(self):
        self.start()
        error = self.assertRaises(
            websockets.InvalidStatus, ws_client.connect,
            self.url('serial', '/?token=%s' % GOOD), subprotocols=['chat'])
        self.assertEqual(400, error.response.status_code)

    def test_text_frames_relayed_as_bytes(self):
        self.start()
        with ws_client.connect(self.url('serial', '/?token=%s' % GOOD)) as ws:
            ws.send('ls\r')
            self.assertEqual(b'ls\r', ws.recv(timeout=10))

    def test_large_transfer_intact(self):
        self.start()
        payload = bytes(range(256)) * 4096  # 1 MiB
        received = b''
        with ws_client.connect(self.url('serial', '/?token=%s' % GOOD),
                               max_size=None) as ws:
            for offset in range(0, len(payload), 200 * 1024):
                ws.send(payload[offset:offset + 200 * 1024])
            while len(received) < len(payload):
                received += ws.recv(timeout=10)
        self.assertEqual(payload, received)

    def test_console_closing_ends_session(self):
        def hang_up(sock):
            sock.sendall(b'bye')
        self.validator.add(GOOD, 'serial', self.console(hang_up),
                           access_url_base=SERIAL_BASE)
        self.start()
        with ws_client.connect(self.url('serial', '/?token=%s' % GOOD)) as ws:
            self.assertEqual(b'bye', ws.recv(timeout=10))
            self.assertRaises(websockets.ConnectionClosedOK, ws.recv,
                              timeout=10)

    def test_unreachable_console(self):
        self.validator.add(GOOD, 'serial', 1, access_url_base=SERIAL_BASE)
        self.start()
        with ws_client.connect(self.url('serial', '/?token=%s' % GOOD)) as ws:
            error = self.assertRaises(websockets.ConnectionClosed, ws.recv,
                                      timeout=20)
        self.assertEqual(1011, error.rcvd.code)

    def test_stop_closes_sessions(self):
        self.start()
        with ws_client.connect(self.url('serial', '/?token=%s' % GOOD)) as ws:
            ws.send(b'x')
            self.assertEqual(b'x', ws.recv(timeout=10))
            self.service.stop()
            error = self.assertRaises(websockets.ConnectionClosed, ws.recv,
                                      timeout=10)
        self.assertEqual(1001, error.rcvd.code)
        self.assertRaises(OSError, ws_client.connect,
                          self.url('serial', '/?token=%s' % GOOD),
                          open_timeout=5)


class SessionTimeoutTest(base.ProxyTestCase):

    def setUp(self):
        super().setUp()
        # Already expired: only enforcement makes a difference.
        self.validator.add(GOOD, 'serial', self.console(fakes.echo),
                           expires=int(time.time()) - 1,
                           access_url_base=SERIAL_BASE)

    def test_enforced(self):
        self.start(
            overrides={('consoleauth', 'enforce_session_timeout'): True})
        with ws_client.connect(self.url('serial', '/?token=%s' % GOOD)) as ws:
            error = self.assertRaises(websockets.ConnectionClosed, ws.recv,
                                      timeout=10)
        self.assertEqual(1000, error.rcvd.code)
        self.assertIn('expired', error.rcvd.reason)

    def test_not_enforced(self):
        self.start()
        with ws_client.connect(self.url('serial', '/?token=%s' % GOOD)) as ws:
            ws.send(b'still here')
            self.assertEqual(b'still here', ws.recv(timeout=10))


class RefusedTest(base.ProxyTestCase):
    """Refused requests get 403, an empty body, and no console byte."""

    def setUp(self):
        super().setUp()
        self.validator.add(GOOD, 'novnc', self.console(fakes.rfb_server()))
        self.validator.add('22222222-2222-4333-8444-555555555555', 'serial',
                           self.console(fakes.echo),
                           access_url_base=SERIAL_BASE)

    def assertRefused(self, target, cookie='', origin=None, name='novnc',
                      extra_headers=()):
        client = self.raw(name, target, cookie=cookie, origin=origin,
                          extra_headers=extra_headers)
        self.assertTrue(client.response.startswith(b'HTTP/1.1 403'),
                        client.response)
        self.assertEqual(b'', client.cached)
        self.assertIsNone(client.receive_frame())

    def test_bad_token_like_tempest(self):
        self.start()
        self.assertRefused('/?token=bad%s' % GOOD,
                           cookie='path=%%3Ftoken%%3Dbad%s' % GOOD)

    def test_unknown_token(self):
        self.start()
        self.assertRefused('/?token=33333333-2222-4333-8444-555555555555')

    def test_no_token(self):
        self.start()
        self.assertRefused('/websockify')
        self.assertEqual([], self.validator.seen)

    def test_token_of_other_console_type(self):
        self.start()
        self.assertRefused('/?token=%s' % GOOD, name='serial')

    def test_origin_of_other_host(self):
        self.start()
        self.assertRefused('/?token=%s' % GOOD, origin='http://evil.example')
        self.assertEqual([], self.validator.seen)

    def test_origin_scheme_mismatch(self):
        self.start()
        self.assertRefused('/?token=%s' % GOOD, origin='https://127.0.0.1')

    def test_forwarded_proto_mismatch(self):
        self.start()
        self.assertRefused('/?token=%s' % GOOD, origin='http://127.0.0.1',
                           extra_headers=[('X-Forwarded-Proto', 'https')])

    def test_database_unavailable(self):
        self.validator.unavailable = True
        self.start()
        client = self.raw('novnc', '/?token=%s' % GOOD)
        self.assertTrue(client.response.startswith(b'HTTP/1.1 503'),
                        client.response)
        self.assertIsNone(client.receive_frame())

    def test_origin_without_host(self):
        self.start()
        self.assertRefused('/?token=%s' % GOOD, origin='null')


class OriginAcceptedTest(base.ProxyTestCase):

    def _opens(self, origin, base_url, extra_headers=(), overrides=None):
        self.validator.add(GOOD, 'serial', self.console(fakes.echo),
                           access_url_base=base_url)
        self.start(overrides=overrides)
        client = self.raw('serial', '/?token=%s' % GOOD, origin=origin,
                          extra_headers=extra_headers)
        self.assertTrue(client.response.startswith(b'HTTP/1.1 101'),
                        client.response)
        client.send_frame(b'ping')
        self.assertEqual(b'ping', client.receive_frame())

    def test_own_host(self):
        self._opens('http://127.0.0.1:6083', 'http://127.0.0.1/')

    def test_allowed_origin(self):
        self._opens('https://console.example.com', 'wss://proxy/',
                    overrides={('console', 'allowed_origins'):
                               ['console.example.com']})

    def test_forwarded_proto(self):
        self._opens('http://127.0.0.1', 'https://proxy/',
                    extra_headers=[('X-Forwarded-Proto', 'https')])

    def test_http_origin_for_ws_url(self):
        self._opens('http://127.0.0.1', SERIAL_BASE)


class NoVNCTest(base.ProxyTestCase):
    """The steps of tempest's NoVNCValidateMixin against a fake server."""

    def _connect(self, handler):
        self.validator.add(GOOD, 'novnc', self.console(handler))
        self.start()
        client = self.raw('novnc', '/?token=%s' % GOOD,
                          cookie='path=%%3Ftoken%%3D%s' % GOOD)
        self.assertTrue(client.response.startswith(
            b'HTTP/1.1 101 Switching Protocols'), client.response)
        self.assertIn(b'upgrade: websocket', client.response.lower())
        self.assertIn(b'sec-websocket-protocol: binary',
                      client.response.lower())
        return client

    def assertClosed(self, client):
        """The next frame is a close (or the connection is gone)."""
        client.receive_frame()
        self.assertEqual(fakes.OP_CLOSE, client.last_opcode)

    def test_handshake(self):
        client = self._connect(fakes.rfb_server())
        version = client.receive_frame()
        self.assertEqual(b'RFB 003.008\n', version)
        client.send_frame(version)
        self.assertEqual(b'\x01\x01', client.receive_frame())
        client.send_frame(b'\x01')
        self.assertEqual(b'\0\0\0\0', client.receive_frame())
        client.send_frame(b'\x01')
        init = client.receive_frame()
        self.assertGreater(len(init), 24)
        (name_length,) = struct.unpack('!I', init[20:24])
        self.assertEqual(b'fake-guest', init[24:24 + name_length])

    def test_server_prefers_other_type_but_offers_none(self):
        client = self._connect(fakes.rfb_server(types=(19, 2, 1)))
        client.send_frame(client.receive_frame())
        self.assertEqual(b'\x01\x01', client.receive_frame())
        client.send_frame(b'\x01')
        self.assertEqual(b'\0\0\0\0', client.receive_frame())

    def test_server_without_none(self):
        client = self._connect(fakes.rfb_server(types=(2,)))
        client.send_frame(client.receive_frame())
        self.assertEqual(b'\x01\x01', client.receive_frame())
        client.send_frame(b'\x01')
        result = client.receive_frame()
        self.assertEqual(b'\0\0\0\x01', result[:4])
        self.assertClosed(client)

    def test_client_chooses_other_type(self):
        client = self._connect(fakes.rfb_server())
        client.send_frame(client.receive_frame())
        client.receive_frame()
        client.send_frame(b'\x02')
        self.assertEqual(b'\0\0\0\x01', client.receive_frame()[:4])
        self.assertClosed(client)

    def test_server_refusal_forwarded(self):
        client = self._connect(fakes.refusing_rfb_server(b'busy'))
        client.send_frame(client.receive_frame())
        self.assertEqual(b'\0\0\0\0\x04busy', client.receive_frame())
        self.assertClosed(client)

    def test_old_server_version(self):
        client = self._connect(fakes.rfb_server(version=b'RFB 003.003\n'))
        self.assertClosed(client)

    def test_old_client_version(self):
        client = self._connect(fakes.rfb_server())
        client.receive_frame()
        client.send_frame(b'RFB 003.003\n')
        self.assertClosed(client)


class TunnelTest(base.ProxyTestCase):
    """Tokens with an internal_access_path go through an HTTP CONNECT."""

    def _tunnel(self, status):
        def handler(sock):
            head = b''
            while b'\r\n\r\n' not in head:
                head += sock.recv(1024)
            self.requests.append(head.split(b'\r\n')[0])
            sock.sendall(b'HTTP/1.1 %s\r\n\r\n' % status)
            fakes.echo(sock)
        self.requests = []
        self.validator.add(GOOD, 'serial', self.console(handler),
                           internal_access_path='vm-42',
                           access_url_base=SERIAL_BASE)
        self.start()

    def test_connected(self):
        self._tunnel(b'200 OK')
        with ws_client.connect(self.url('serial', '/?token=%s' % GOOD)) as ws:
            ws.send(b'through')
            self.assertEqual(b'through', ws.recv(timeout=10))
        self.assertEqual([b'CONNECT vm-42 HTTP/1.1'], self.requests)

    def test_refused(self):
        self._tunnel(b'403 Forbidden')
        with ws_client.connect(self.url('serial', '/?token=%s' % GOOD)) as ws:
            error = self.assertRaises(websockets.ConnectionClosed, ws.recv,
                                      timeout=10)
        self.assertEqual(1011, error.rcvd.code)


class StaticFilesTest(base.ProxyTestCase):

    def _get(self, path, name='novnc', method='GET'):
        host, port = self.addresses[name]
        conn = http.client.HTTPConnection(host, port, timeout=10)
        self.addCleanup(conn.close)
        conn.putrequest(method, path, skip_accept_encoding=True)
        conn.endheaders()
        response = conn.getresponse()
        return response, response.read()

    def test_novnc_page_with_query(self):
        self.start()
        response, body = self._get('/vnc_lite.html?path=%3Ftoken%3Dabc')
        self.assertEqual(200, response.status)
        self.assertTrue(response.getheader('Content-Type').startswith(
            'text/html'))
        for part in (b'<html', b'</html>', b'noVNC', b'<script'):
            self.assertIn(part, body)

    def test_javascript_module_type(self):
        self.start()
        response, body = self._get('/core/rfb.js')
        self.assertEqual(200, response.status)
        self.assertTrue(response.getheader('Content-Type').startswith(
            'text/javascript'))
        self.assertEqual(int(response.getheader('Content-Length')),
                         len(body))

    def test_head(self):
        self.start()
        response, body = self._get('/vnc_lite.html', method='HEAD')
        self.assertEqual(200, response.status)
        self.assertEqual(b'', body)

    def test_traversal_refused(self):
        self.start()
        for path in ('/../../etc/passwd', '/core/%2e%2e/%2e%2e/etc/passwd',
                     '//etc/passwd', '//example.com/'):
            response, body = self._get(path)
            self.assertEqual(400, response.status, path)
            self.assertNotIn(b'root:', body)

    def test_directory_not_listed(self):
        self.start()
        response, _body = self._get('/core/')
        self.assertEqual(404, response.status)
        response, _body = self._get('/core')
        self.assertEqual(301, response.status)
        self.assertEqual('/core/', response.getheader('Location'))

    def test_missing(self):
        self.start()
        response, _body = self._get('/nothing-here.html')
        self.assertEqual(404, response.status)

    def test_other_method(self):
        self.start()
        response, _body = self._get('/vnc_lite.html', method='DELETE')
        self.assertEqual(405, response.status)

    def test_serial_has_no_files(self):
        self.start()
        response, _body = self._get('/', name='serial')
        self.assertEqual(405, response.status)

    def test_without_web_root(self):
        self.start(web_root=None)
        response, _body = self._get('/vnc_lite.html')
        self.assertEqual(405, response.status)


class StartupTest(base.ProxyTestCase):

    def test_missing_web_root(self):
        spec = server.ListenerSpec('novnc', '127.0.0.1', 0, ('novnc',),
                                   '/nonexistent/novnc')
        error = self.assertRaises(exception.ConfigurationError,
                                  server.ProxyService, self.conf,
                                  self.validator, [spec])
        self.assertIn('/nonexistent/novnc', str(error))

    def test_nothing_enabled(self):
        self.conf.set_override('enabled', False, group='vnc')
        self.assertRaises(exception.ConfigurationError,
                          server.ProxyService, self.conf, self.validator)

    def test_ssl_only_without_cert(self):
        self.conf.set_override('ssl_only', True)
        error = self.assertRaises(exception.ConfigurationError,
                                  server.ProxyService, self.conf,
                                  self.validator)
        self.assertIn('/nonexistent/self.pem', str(error))

    def test_listeners_from_conf(self):
        self.conf.set_override('enabled', True, group='serial_console')
        self.conf.set_override('enabled', True, group='spice')
        self.conf.set_override('spice_web', '')
        specs = {spec.name: spec
                 for spec in server.listeners_from_conf(self.conf)}
        self.assertEqual(('0.0.0.0', 6080, '/usr/share/novnc', True),
                         (specs['novnc'].host, specs['novnc'].port,
                          specs['novnc'].web_root,
                          specs['novnc'].rfb_security))
        self.assertEqual(6082, specs['spice-html5'].port)
        self.assertIsNone(specs['spice-html5'].web_root)
        self.assertEqual((6083, None, ('serial',)),
                         (specs['serial'].port, specs['serial'].web_root,
                          specs['serial'].console_types))

    def test_port_in_use(self):
        self.start()
        busy = server.ListenerSpec('serial', '127.0.0.1',
                                   self.addresses['serial'][1], ('serial',))
        service = server.ProxyService(self.conf, self.validator, [busy])
        self.assertRaises(OSError, service.start_in_thread)


class WebRootRequiredTest(testtools.TestCase):

    def _check(self, **env):
        for name in ('CI', service_env.REQUIRE_ENV):
            self.useFixture(fixtures.EnvironmentVariable(name,
                                                         env.get(name)))
        base.require_web_root(self, '/nonexistent/novnc')

    def test_present(self):
        base.require_web_root(self, self.useFixture(fixtures.TempDir()).path)

    def test_missing_skips(self):
        self.assertRaises(self.skipException, self._check)

    def test_missing_fails_in_ci(self):
        self.assertRaises(self.failureException, self._check, CI='true')

    def test_missing_fails_when_services_required(self):
        self.assertRaises(service_env.ServiceUnavailable, self._check,
                          **{service_env.REQUIRE_ENV: '1'})


class TLSTest(base.ProxyTestCase):

    def test_ssl_only_serves_tls(self):
        tmp = self.useFixture(fixtures.TempDir()).path
        cert = os.path.join(tmp, 'cert.pem')
        try:
            subprocess.run(
                ['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes',
                 '-keyout', cert, '-out', cert, '-days', '1',
                 '-subj', '/CN=localhost'], check=True, capture_output=True)
        except (OSError, subprocess.CalledProcessError) as exc:
            self.skipTest('cannot make a test certificate: %s' % exc)
        self.validator.add(GOOD, 'serial', self.console(fakes.echo),
                           access_url_base='wss://127.0.0.1:6083/')
        self.conf.set_override('cert', cert)
        self.start(overrides={(None, 'ssl_only'): True})
        client_context = ssl.create_default_context()
        client_context.check_hostname = False
        client_context.verify_mode = ssl.CERT_NONE
        host, port = self.addresses['serial']
        with ws_client.connect('wss://%s:%s/?token=%s' % (host, port, GOOD),
                               ssl=client_context) as ws:
            ws.send(b'secret')
            self.assertEqual(b'secret', ws.recv(timeout=10))
        # A plain client gets nothing that looks like a websocket.
        self.assertRaises((websockets.WebSocketException, OSError),
                          ws_client.connect,
                          'ws://%s:%s/?token=%s' % (host, port, GOOD),
                          open_timeout=5)
