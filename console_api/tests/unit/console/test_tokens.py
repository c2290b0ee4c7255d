"""Console tokens: generation, hashing, shape checks and access URLs."""

import hashlib
import urllib.parse

import testtools

from console_api.console import tokens


class TokenTest(testtools.TestCase):

    def test_generate_gives_distinct_uuid4_strings(self):
        first, second = tokens.generate(), tokens.generate()
        self.assertNotEqual(first, second)
        self.assertTrue(tokens.looks_valid(first))
        self.assertEqual('4', first[14])

    def test_hash_is_hex_sha256(self):
        self.assertEqual(hashlib.sha256(b'abc').hexdigest(),
                         tokens.hash_token('abc'))

    def test_looks_valid_refuses_junk(self):
        token = tokens.generate()
        for junk in ('', 'x', 'bad' + token, token + 'a', token.upper(),
                     token.replace('-', ''), 'a' * 5000, None):
            self.assertFalse(tokens.looks_valid(junk), junk)
        self.assertTrue(tokens.looks_valid(token))


class AccessUrlTest(testtools.TestCase):

    def test_novnc_token_goes_into_path(self):
        self.assertEqual(
            'http://127.0.0.1:6080/vnc_lite.html?path=%3Ftoken%3Dt1',
            tokens.access_url('novnc', 'http://127.0.0.1:6080/vnc_lite.html',
                              't1'))

    def test_novnc_keeps_configured_path_and_other_parameters(self):
        url = tokens.access_url(
            'novnc', 'http://h/novnc/vnc_auto.html?path=novnc&scale=1', 't1')
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
        self.assertEqual({'path': ['novnc?token=t1'], 'scale': ['1']},
                         query)
        self.assertTrue(url.startswith(
            'http://h/novnc/vnc_auto.html?path=novnc%3Ftoken%3Dt1'))

    def test_other_types_append_token(self):
        for console_type, base in (
                ('spice-html5', 'http://127.0.0.1:6082/spice_auto.html'),
                ('serial', 'ws://127.0.0.1:6083/'),
                ('rdp-html5', 'http://127.0.0.1:6083/'),
                ('webmks', 'http://127.0.0.1:6090/'),
                ('spice-direct', 'http://127.0.0.1:13002/nova')):
            self.assertEqual(base + '?token=t1',
                             tokens.access_url(console_type, base, 't1'))
