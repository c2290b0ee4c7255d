"""Which request paths map to which files of a web root."""

import http
import os

import fixtures
import testtools

from console_api.proxy import static


class ResolveTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.root = self.useFixture(fixtures.TempDir()).path
        outside = self.useFixture(fixtures.TempDir()).path
        os.makedirs(os.path.join(self.root, 'app', 'sub'))
        os.makedirs(os.path.join(self.root, 'docs'))
        for name in ('vnc.html', 'app/ui.js', 'docs/index.html'):
            with open(os.path.join(self.root, name), 'w') as f:
                f.write(name)
        with open(os.path.join(outside, 'secret'), 'w') as f:
            f.write('secret')
        os.symlink(os.path.join(outside, 'secret'),
                   os.path.join(self.root, 'escape'))
        os.symlink('vnc.html', os.path.join(self.root, 'vnc_auto.html'))

    def assertStatus(self, status, path):
        error = self.assertRaises(static.StaticError, static.resolve,
                                  self.root, path)
        self.assertEqual(status, error.status)
        return error

    def test_file(self):
        self.assertEqual(os.path.join(os.path.realpath(self.root),
                                      'app', 'ui.js'),
                         static.resolve(self.root, '/app/ui.js?x=1#y'))

    def test_quoted(self):
        self.assertTrue(static.resolve(self.root, '/app/%75i.js')
                        .endswith('ui.js'))

    def test_symlink_inside_root(self):
        self.assertTrue(static.resolve(self.root, '/vnc_auto.html')
                        .endswith('vnc.html'))

    def test_symlink_out_of_root(self):
        self.assertStatus(http.HTTPStatus.NOT_FOUND, '/escape')

    def test_traversal(self):
        for path in ('/../secret', '/app/../../x', '/app/%2e%2e/vnc.html',
                     '/app\\..\\vnc.html', '/a%00b', 'vnc.html'):
            self.assertStatus(http.HTTPStatus.BAD_REQUEST, path)

    def test_double_slash(self):
        self.assertStatus(http.HTTPStatus.BAD_REQUEST, '//evil.example/x')

    def test_directory(self):
        self.assertTrue(static.resolve(self.root, '/docs/')
                        .endswith('index.html'))
        self.assertStatus(http.HTTPStatus.NOT_FOUND, '/app/')
        error = self.assertStatus(http.HTTPStatus.MOVED_PERMANENTLY, '/docs')
        self.assertEqual([('Location', '/docs/')], error.headers)

    def test_missing(self):
        self.assertStatus(http.HTTPStatus.NOT_FOUND, '/nope.js')

    def test_too_large(self):
        self.useFixture(fixtures.MonkeyPatch(
            'console_api.proxy.static.MAX_FILE_SIZE', 3))
        self.assertRaises(static.StaticError, static.read_file,
                          os.path.join(self.root, 'vnc.html'))

    def test_content_types(self):
        self.assertEqual('text/javascript; charset=utf-8',
                         static.content_type('/a/b.js'))
        self.assertEqual('text/html; charset=utf-8',
                         static.content_type('/a/B.HTML'))
        self.assertEqual('application/octet-stream',
                         static.content_type('/a/b.unknownext'))
