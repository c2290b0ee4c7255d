"""Unit tests of ``console_api.api.microversion``."""

import testtools
import webob
import webob.dec

from console_api.api import microversion
from console_api import exception


class ParseTest(testtools.TestCase):

    def test_valid(self):
        for text, expected in (('2.1', (2, 1)), ('2.104', (2, 104)),
                               ('3.0', (3, 0)), ('10.20', (10, 20))):
            self.assertEqual(microversion.Version(*expected),
                             microversion.parse(text))

    def test_latest_is_maximum(self):
        self.assertEqual(microversion.MAX_VERSION,
                         microversion.parse('latest'))
        self.assertEqual(microversion.Version(2, 104),
                         microversion.MAX_VERSION)

    def test_invalid(self):
        for text in ('2', '2.01', '02.1', 'Latest', 'LATEST', '', None,
                     '2.1.1', '2.x', '-2.1', '+2.1', ' 2.1', '2.1 ',
                     '0.1', '2,1'):
            error = self.assertRaises(exception.InvalidAPIVersionString,
                                      microversion.parse, text)
            self.assertEqual(400, error.code)
            self.assertIn('Must be of format MajorNum.MinorNum.',
                          error.format_message())

    def test_versions_compare_numerically(self):
        self.assertLess(microversion.parse('2.9'),
                        microversion.parse('2.10'))
        self.assertLess(microversion.parse('2.104'),
                        microversion.parse('3.0'))


class RequestVersionTest(testtools.TestCase):

    def request(self, version=None):
        req = webob.Request.blank('/')
        if version is not None:
            req.environ[microversion.ENVIRON_KEY] = microversion.parse(
                version)
        return req

    def test_default_is_minimum(self):
        self.assertEqual(microversion.MIN_VERSION,
                         microversion.requested(self.request()))

    def test_is_supported(self):
        req = self.request('2.31')
        self.assertTrue(microversion.is_supported(
            req, microversion.AUTH_TOKENS_ALL_TYPES))
        self.assertTrue(microversion.is_supported(
            req, microversion.REMOTE_CONSOLES, microversion.parse('2.31')))
        self.assertFalse(microversion.is_supported(
            req, microversion.SPICE_DIRECT))
        self.assertFalse(microversion.is_supported(
            req, microversion.REMOTE_CONSOLES, microversion.parse('2.30')))

    def test_feature_versions(self):
        self.assertEqual(['2.6', '2.8', '2.31', '2.99'],
                         [str(v) for v in (microversion.REMOTE_CONSOLES,
                                           microversion.MKS_CONSOLE,
                                           microversion.AUTH_TOKENS_ALL_TYPES,
                                           microversion.SPICE_DIRECT)])

    def test_version_headers(self):
        self.assertEqual(
            [('OpenStack-API-Version', 'compute 2.8'),
             ('X-OpenStack-Nova-API-Version', '2.8'),
             ('Vary', 'OpenStack-API-Version'),
             ('Vary', 'X-OpenStack-Nova-API-Version')],
            microversion.version_headers(microversion.parse('2.8')))


class MiddlewareTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.seen = []

        @webob.dec.wsgify
        def app(req):
            self.seen.append(microversion.requested(req))
            return webob.Response(status=204)

        self.app = microversion.MicroversionMiddleware(app)

    def call(self, headers):
        req = webob.Request.blank('/', headers=headers)
        return req.get_response(self.app)

    def test_negotiates_and_stamps(self):
        response = self.call({'OpenStack-API-Version': 'compute 2.99'})
        self.assertEqual(204, response.status_int)
        self.assertEqual([microversion.parse('2.99')], self.seen)
        self.assertEqual('compute 2.99',
                         response.headers['OpenStack-API-Version'])
        self.assertEqual(['OpenStack-API-Version',
                          'X-OpenStack-Nova-API-Version'],
                         response.headers.getall('Vary'))

    def test_malformed_never_reaches_app(self):
        response = self.call({'X-OpenStack-Nova-API-Version': '2.01'})
        self.assertEqual(400, response.status_int)
        self.assertEqual([], self.seen)
        self.assertNotIn('Vary', response.headers)

    def test_out_of_range_never_reaches_app(self):
        response = self.call({'X-OpenStack-Nova-API-Version': '2.105'})
        self.assertEqual(406, response.status_int)
        self.assertEqual([], self.seen)
        self.assertEqual('2.105',
                         response.headers['X-OpenStack-Nova-API-Version'])
