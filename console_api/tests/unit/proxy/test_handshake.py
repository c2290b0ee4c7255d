"""Where the token is found and which origins pass."""

from websockets import datastructures
import testtools

from console_api.proxy import handshake

TOKEN = '0c9e4f4c-5a0e-4d8b-9a57-5b0a39a2f0f1'


class FindTokenTest(testtools.TestCase):

    def test_query(self):
        self.assertEqual(TOKEN, handshake.find_token('/?token=%s' % TOKEN,
                                                     None))

    def test_last_query_value_wins(self):
        self.assertEqual(TOKEN, handshake.find_token(
            '/websockify?token=other&token=%s' % TOKEN, None))

    def test_path_parameter(self):
        self.assertEqual(TOKEN, handshake.find_token(
            '/websockify?path=novnc%%3Ftoken%%3D%s' % TOKEN, None))

    def test_cookie(self):
        self.assertEqual(TOKEN, handshake.find_token(
            '/websockify', 'lang=en; token=%s; junk' % TOKEN))

    def test_cookie_with_console_url_query(self):
        # tempest sends the console URL's whole query as the cookie.
        self.assertEqual(TOKEN, handshake.find_token(
            '/websockify', 'path=%%3Ftoken%%3D%s' % TOKEN))

    def test_query_before_cookie(self):
        self.assertEqual(TOKEN, handshake.find_token(
            '/?token=%s' % TOKEN, 'token=other'))

    def test_none(self):
        self.assertEqual('', handshake.find_token('/websockify', None))
        self.assertEqual('', handshake.find_token('/?token=', 'a=b'))


def _headers(**values):
    headers = datastructures.Headers()
    for name, value in values.items():
        headers[name.replace('_', '-')] = value
    return headers


class OriginTest(testtools.TestCase):

    def test_no_origin_passes(self):
        self.assertIsNone(handshake.check_origin_host(
            _headers(Host='proxy:6080'), []))

    def test_own_host(self):
        self.assertEqual('https', handshake.check_origin_host(
            _headers(Host='Proxy.Example:6080',
                     Origin='https://proxy.example'), []))

    def test_ipv6_host(self):
        self.assertEqual('http', handshake.check_origin_host(
            _headers(Host='[::1]:6080', Origin='http://[::1]:6080'), []))

    def test_allowed_list(self):
        self.assertEqual('http', handshake.check_origin_host(
            _headers(Host='proxy', Origin='http://dash.example'),
            ['dash.example']))

    def test_other_host(self):
        self.assertRaises(handshake.OriginRejected,
                          handshake.check_origin_host,
                          _headers(Host='proxy', Origin='http://evil'), [])

    def test_missing_parts(self):
        for origin in ('null', '', 'proxy'):
            self.assertRaises(handshake.OriginRejected,
                              handshake.check_origin_host,
                              _headers(Host='proxy', Origin=origin), [])

    def test_forwarded_proto_replaces_scheme(self):
        self.assertEqual('https', handshake.check_origin_host(
            _headers(Host='proxy', Origin='http://proxy',
                     X_Forwarded_Proto='https'), []))

    def test_scheme(self):
        check = handshake.check_origin_scheme
        check(None, 'http://p/vnc_lite.html')
        check('http', 'http://p/vnc_lite.html')
        check('https', 'https://p/vnc_lite.html')
        check('http', 'ws://p/')
        check('https', 'wss://p/')
        for scheme, base in (('https', 'http://p/'), ('http', 'https://p/'),
                             ('http', 'wss://p/'), ('https', 'ws://p/'),
                             ('http', None)):
            self.assertRaises(handshake.OriginRejected, check, scheme, base)


class ClientAddressTest(testtools.TestCase):

    TRUSTED = handshake.trusted_networks(['10.0.0.5', '192.0.2.0/24', ' '])

    def address(self, peer, forwarded=None):
        headers = datastructures.Headers()
        if forwarded is not None:
            headers['X-Forwarded-For'] = forwarded
        return handshake.client_address(peer, headers, self.TRUSTED)

    def test_untrusted_peer_header_ignored(self):
        self.assertEqual('198.51.100.7',
                         self.address('198.51.100.7', '203.0.113.1'))

    def test_trusted_peer_first_hop(self):
        self.assertEqual('203.0.113.1', self.address(
            '10.0.0.5', '203.0.113.1, 192.0.2.9'))
        self.assertEqual('203.0.113.2', self.address('192.0.2.77',
                                                     '203.0.113.2'))

    def test_trusted_peer_without_or_with_junk_header(self):
        self.assertEqual('10.0.0.5', self.address('10.0.0.5'))
        self.assertEqual('10.0.0.5', self.address('10.0.0.5', 'junk'))

    def test_bad_entry_refused(self):
        self.assertRaises(ValueError, handshake.trusted_networks, ['nope'])
