"""The TLS context of the proxies' listeners."""

import os
import ssl
import subprocess

import fixtures
from oslo_config import fixture as config_fixture
import testtools

from console_api import conf
from console_api import exception
from console_api.proxy import tls


class TLSTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.conf = self.useFixture(config_fixture.Config(conf.CONF)).conf
        self.dir = self.useFixture(fixtures.TempDir()).path
        self.cert = os.path.join(self.dir, 'cert.pem')
        self.key = os.path.join(self.dir, 'key.pem')

    def _make_cert(self):
        try:
            subprocess.run(
                ['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes',
                 '-keyout', self.key, '-out', self.cert, '-days', '1',
                 '-subj', '/CN=localhost'],
                check=True, capture_output=True)
        except (OSError, subprocess.CalledProcessError) as exc:
            self.skipTest('cannot make a test certificate: %s' % exc)
        self.conf.set_override('cert', self.cert)
        self.conf.set_override('key', self.key)

    def test_wants_tls(self):
        self.conf.set_override('cert', self.cert)
        self.assertFalse(tls.wants_tls(self.conf))
        self.conf.set_override('ssl_only', True)
        self.assertTrue(tls.wants_tls(self.conf))

    def test_missing_cert(self):
        self.conf.set_override('cert', self.cert)
        error = self.assertRaises(exception.ConfigurationError,
                                  tls.server_context, self.conf)
        self.assertIn(self.cert, str(error))

    def test_options_applied(self):
        self._make_cert()
        self.assertTrue(tls.wants_tls(self.conf))
        self.conf.set_override('ssl_minimum_version', 'tlsv1_3',
                               group='console')
        context = tls.server_context(self.conf)
        self.assertEqual(ssl.TLSVersion.TLSv1_3, context.minimum_version)

    def test_bad_ciphers(self):
        self._make_cert()
        self.conf.set_override('ssl_ciphers', 'NO-SUCH-CIPHER',
                               group='console')
        self.assertRaises(exception.ConfigurationError, tls.server_context,
                          self.conf)

    def test_unloadable_cert(self):
        with open(self.cert, 'w') as f:
            f.write('not a certificate')
        self.conf.set_override('cert', self.cert)
        self.assertRaises(exception.ConfigurationError, tls.server_context,
                          self.conf)
