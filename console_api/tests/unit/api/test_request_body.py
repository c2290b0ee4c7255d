"""Unit tests of ``console_api.api.request_body``."""

import testtools
import webob
import webob.exc

from console_api.api import request_body
from console_api import exception


def request(body, content_type):
    req = webob.Request.blank('/', method='POST')
    req.body = body
    if content_type is None:
        req.headers.pop('Content-Type', None)
    else:
        req.headers['Content-Type'] = content_type
    return req


class JsonBodyTest(testtools.TestCase):

    def test_accepted_types(self):
        for content_type in ('application/json',
                             'application/json; charset=UTF-8',
                             'application/vnd.openstack.compute+json',
                             'text/plain', None):
            self.assertEqual({'a': 1}, request_body.json_body(
                request(b'{"a": 1}', content_type)), content_type)

    def test_empty_body_is_none(self):
        self.assertIsNone(request_body.json_body(request(b'', None)))

    def test_unsupported_type(self):
        error = self.assertRaises(
            webob.exc.HTTPUnsupportedMediaType, request_body.json_body,
            request(b'<a/>', 'application/xml'))
        self.assertEqual('Unsupported Content-Type', error.explanation)

    def test_not_json(self):
        for raw in (b'{', b'\xff', b'nope'):
            self.assertRaises(exception.MalformedRequestBody,
                              request_body.json_body,
                              request(raw, 'application/json'))
