"""Unit tests of ``console_api.api.urlmap``."""

import testtools
import webob

from console_api.api import urlmap
from console_api import exception


def recorder(name):
    def app(environ, start_response):
        body = '%s|%s|%s|%s' % (name, environ['SCRIPT_NAME'],
                                environ['PATH_INFO'],
                                environ.get('console_api.unmatched', False))
        start_response('200 OK', [('Content-Type', 'text/plain')])
        return [body.encode()]
    return app


class URLMapTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.app = urlmap.URLMap({'/': recorder('root'),
                                  '/v2.1': recorder('doc'),
                                  '/v2.1/+': recorder('api')})

    def get(self, path, script_name=''):
        req = webob.Request.blank(path)
        req.script_name = script_name
        req.path_info = path
        return req.get_response(self.app).text.split('|')

    def test_root(self):
        self.assertEqual(['root', '', '', 'False'], self.get(''))
        self.assertEqual(['root', '', '/', 'False'], self.get('/'))

    def test_version_document(self):
        self.assertEqual(['doc', '/v2.1', '', 'False'], self.get('/v2.1'))
        self.assertEqual(['doc', '/v2.1', '/', 'False'], self.get('/v2.1/'))

    def test_api_below_version(self):
        self.assertEqual(['api', '/v2.1', '/servers', 'False'],
                         self.get('/v2.1/servers'))
        self.assertEqual(['api', '/v2.1', '/p/servers/x', 'False'],
                         self.get('/v2.1/p/servers/x'))

    def test_script_name_is_kept(self):
        self.assertEqual(['api', '/compute/v2.1', '/servers', 'False'],
                         self.get('/v2.1/servers', script_name='/compute'))

    def test_unmatched_goes_to_root_flagged(self):
        for path in ('/v2', '/v3/servers', '/v2.10', '/v2.1x/servers',
                     '/anything'):
            name, _script, path_info, unmatched = self.get(path)
            self.assertEqual(('root', path, 'True'),
                             (name, path_info, unmatched))


class FakeLoader(object):

    def __init__(self):
        self.loaded = []

    def get_app(self, name, global_conf=None):
        self.loaded.append(name)
        return recorder(name)


class FactoryTest(testtools.TestCase):

    def test_builds_map(self):
        loader = FakeLoader()
        app = urlmap.urlmap_factory(loader, {}, **{'/': 'a', '/v2.1': 'b'})
        self.assertIsInstance(app, urlmap.URLMap)
        self.assertEqual(['a', 'b'], sorted(loader.loaded))

    def test_key_must_be_a_path(self):
        self.assertRaises(exception.ConfigurationError,
                          urlmap.urlmap_factory, FakeLoader(), {},
                          **{'/': 'a', 'v2.1': 'b'})

    def test_root_required(self):
        self.assertRaises(exception.ConfigurationError,
                          urlmap.urlmap_factory, FakeLoader(), {},
                          **{'/v2.1': 'b'})
