"""Every error under ``/v2.1`` has Nova's fault body (spec A8, B 9, B 10)."""

import io

import fixtures
from oslo_serialization import jsonutils
import webob

from console_api.tests.functional.api import checks
from console_api.tests.functional import base

VNC_BODY = {'remote_console': {'protocol': 'vnc', 'type': 'novnc'}}


class FaultFormatTest(base.APITestCase):

    def consoles_path(self, key='all'):
        return '/v2.1/servers/%s/remote-consoles' % self.servers[key]['uuid']

    def post_raw(self, body, headers):
        """POST to remote-consoles with full control of the headers."""
        req = webob.Request.blank(self.consoles_path(), method='POST')
        req.headers['X-Auth-Token'] = 'demo:%s' % base.PROJECT
        req.headers['OpenStack-API-Version'] = 'compute 2.6'
        req.body = body
        req.headers.pop('Content-Type', None)
        req.headers.update(headers)
        return req.get_response(self.app)

    def test_fault_content_type(self):
        response = self.api('GET', '/v2.1/servers/%s' % ('f' * 32))
        self.assertFault(response, 404, 'itemNotFound')
        self.assertEqual('application/json; charset=UTF-8',
                         response.headers['Content-Type'])

    def test_unknown_route(self):
        for path in ('/v2.1/flavors', '/v2.1/servers/x/y/z',
                     '/v2.1/%s/flavors' % base.PROJECT):
            self.assertFault(self.api('GET', path), 404, 'itemNotFound',
                             'The resource could not be found.')

    def test_unknown_route_needs_no_credentials(self):
        # The 404 and 401 are both faults; which one comes first is the
        # pipeline's business, but neither is a plain webob page.
        response = self.api('GET', '/v2.1/flavors', auth=False)
        self.assertIn(response.status_int, (401, 404))
        self.assertFault(response, response.status_int,
                         {401: 'unauthorized',
                          404: 'itemNotFound'}[response.status_int])

    def test_wrong_method(self):
        cases = [('DELETE', '/v2.1/servers', 'GET'),
                 ('POST', '/v2.1/servers/detail', 'GET'),
                 ('PUT', self.consoles_path(), 'POST'),
                 ('GET', self.consoles_path(), 'POST'),
                 ('POST', '/v2.1/os-console-auth-tokens/abc', 'GET')]
        for method, path, allow in cases:
            response = self.api(method, path, version='2.6')
            self.assertFault(response, 405, 'badMethod')
            self.assertEqual(allow, response.headers['Allow'])

    def test_head_follows_get(self):
        response = self.api('HEAD', '/v2.1/servers')
        self.assertEqual(200, response.status_int)

    def test_malformed_json(self):
        response = self.api('POST', self.consoles_path(), version='2.6',
                            raw_body=b'{"remote_console": {')
        self.assertFault(response, 400, 'badRequest',
                         'Malformed request body')

    def test_non_utf8_body(self):
        response = self.api('POST', self.consoles_path(), version='2.6',
                            raw_body=b'\xff\xfe{}')
        self.assertFault(response, 400, 'badRequest',
                         'Malformed request body')

    def test_unsupported_content_type(self):
        for content_type in ('application/xml', 'text/html',
                             'application/x-www-form-urlencoded'):
            response = self.post_raw(jsonutils.dump_as_bytes(VNC_BODY),
                                     {'Content-Type': content_type})
            self.assertFault(response, 415, 'badMediaType',
                             'Unsupported Content-Type')

    def test_lenient_content_types_are_json(self):
        body = jsonutils.dump_as_bytes(VNC_BODY)
        for headers in ({'Content-Type': 'text/plain'},
                        {'Content-Type': 'application/json; charset=UTF-8'},
                        {'Content-Type':
                         'application/vnd.openstack.compute+json'},
                        {}):
            response = self.post_raw(body, headers)
            self.assertEqual(200, response.status_int,
                             (headers, response.body))

    def test_body_over_size_limit(self):
        self.flags.config(max_request_body_size=64, group='oslo_middleware')
        big = {'remote_console': {'protocol': 'vnc', 'type': 'novnc',
                                  'pad': 'x' * 200}}
        response = self.api('POST', self.consoles_path(), body=big,
                            version='2.6')
        self.assertFault(response, 413, 'overLimit')

    def test_chunked_body_over_size_limit(self):
        self.flags.config(max_request_body_size=64, group='oslo_middleware')
        raw = jsonutils.dump_as_bytes(
            {'remote_console': {'protocol': 'vnc', 'type': 'x' * 200}})
        req = webob.Request.blank(self.consoles_path(), method='POST')
        req.headers['X-Auth-Token'] = 'demo'
        req.headers['OpenStack-API-Version'] = 'compute 2.6'
        req.headers['Content-Type'] = 'application/json'
        req.headers['Transfer-Encoding'] = 'chunked'
        req.environ.pop('CONTENT_LENGTH', None)
        req.environ['wsgi.input'] = io.BytesIO(raw)
        # What a WSGI server sets when it decodes a chunked body.
        req.environ['wsgi.input_terminated'] = True
        response = req.get_response(self.app)
        self.assertFault(response, 413, 'overLimit')

    def test_unexpected_exception_is_500_without_details(self):
        self.useFixture(fixtures.MockPatch(
            'console_api.compute.api.ConsoleAPI.list_instances',
            side_effect=RuntimeError('secret-internal-detail')))
        response = self.api('GET', '/v2.1/servers')
        message = self.assertFault(response, 500, 'computeFault')
        request_id = response.headers['x-openstack-request-id']
        self.assertIn(request_id, message)
        self.assertNotIn(b'secret-internal-detail', response.body)
        self.assertNotIn(b'Traceback', response.body)
        self.assertNotIn(b'RuntimeError', response.body)

    def test_unexpected_exception_in_console_path(self):
        self.useFixture(fixtures.MockPatch(
            'console_api.compute.api.ConsoleAPI.get_console',
            side_effect=KeyError('boom')))
        response = self.api('POST', self.consoles_path(), body=VNC_BODY,
                            version='2.6')
        self.assertFault(response, 500, 'computeFault',
                         'Unexpected API Error')
        self.assertNotIn(b'boom', response.body)

    def test_request_id_headers(self):
        responses = [self.api('GET', '/v2.1/servers'),
                     self.api('GET', '/v2.1/flavors'),
                     self.api('GET', '/v2.1/servers', auth=False),
                     self.api('GET', '/v2.1/servers', version='9.9')]
        seen = set()
        for response in responses:
            request_id = response.headers['x-openstack-request-id']
            self.assertRegex(request_id, checks.REQUEST_ID_RE)
            self.assertEqual(request_id,
                             response.headers['x-compute-request-id'])
            seen.add(request_id)
        self.assertEqual(len(responses), len(seen))

    def test_inbound_request_id_is_not_echoed(self):
        inbound = 'req-11111111-2222-4333-8444-555555555555'
        response = self.api('GET', '/v2.1/servers',
                            headers={'X-OpenStack-Request-ID': inbound})
        self.assertEqual(200, response.status_int)
        self.assertNotEqual(inbound,
                            response.headers['x-openstack-request-id'])

    def test_no_request_id_at_root(self):
        response = self.api('GET', '/', auth=False)
        self.assertNotIn('x-openstack-request-id', response.headers)
        self.assertNotIn('x-compute-request-id', response.headers)

    def test_missing_token_is_401_fault(self):
        for path in ('/v2.1/servers', self.consoles_path()):
            self.assertFault(self.api('GET', path, auth=False), 401,
                             'unauthorized')
        response = self.api('POST', self.consoles_path(), body=VNC_BODY,
                            version='2.6', auth=False)
        self.assertFault(response, 401, 'unauthorized')

    def test_project_id_in_url(self):
        response = self.api('GET', '/v2.1/%s/servers' % base.PROJECT)
        self.assertEqual(200, response.status_int)
        response = self.api('GET', '/v2.1/%s/servers' % base.OTHER_PROJECT)
        self.assertFault(
            response, 400, 'badRequest',
            "Malformed request URL: URL's project_id '%s' doesn't match "
            "Context's project_id '%s'" % (base.OTHER_PROJECT, base.PROJECT))

    def test_project_id_in_url_on_consoles(self):
        uuid = self.servers['all']['uuid']
        response = self.api(
            'POST', '/v2.1/%s/servers/%s/remote-consoles' % (
                base.PROJECT, uuid), body=VNC_BODY, version='2.6')
        self.assertEqual(200, response.status_int)
        response = self.api(
            'POST', '/v2.1/%s/servers/%s/remote-consoles' % (
                base.OTHER_PROJECT, uuid), body=VNC_BODY, version='2.6')
        self.assertFault(response, 400, 'badRequest', 'Malformed request URL')

    def test_wrong_method_on_version_documents(self):
        for path in ('/', '/v2.1', '/v2.1/'):
            response = self.api('POST', path, auth=False)
            self.assertFault(response, 405, 'badMethod')
            self.assertEqual('GET, HEAD', response.headers['Allow'])
