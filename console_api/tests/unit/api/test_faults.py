"""Unit tests of ``console_api.api.faults``."""

from oslo_serialization import jsonutils
import testtools
import webob
import webob.dec
import webob.exc

from console_api.api import faults
from console_api import exception

EXPECTED_NAMES = {
    400: 'badRequest', 401: 'unauthorized', 403: 'forbidden',
    404: 'itemNotFound', 405: 'badMethod', 409: 'conflictingRequest',
    413: 'overLimit', 415: 'badMediaType', 429: 'overLimit',
    501: 'notImplemented', 503: 'serviceUnavailable',
    406: 'computeFault', 410: 'computeFault', 500: 'computeFault',
    502: 'computeFault',
}


def body_of(response):
    return jsonutils.loads(response.body)


class FaultNameTest(testtools.TestCase):

    def test_names(self):
        for code, name in EXPECTED_NAMES.items():
            self.assertEqual(name, faults.fault_name(code), code)


class FaultResponseTest(testtools.TestCase):

    def test_body_and_content_type(self):
        response = faults.fault_response(404, 'gone')
        self.assertEqual(404, response.status_int)
        self.assertEqual('application/json; charset=UTF-8',
                         response.headers['Content-Type'])
        self.assertEqual({'itemNotFound': {'code': 404, 'message': 'gone'}},
                         body_of(response))

    def test_retry_after(self):
        response = faults.fault_response(429, 'slow down',
                                         {'Retry-After': '30'})
        self.assertEqual({'overLimit': {'code': 429, 'message': 'slow down',
                                        'retryAfter': '30'}},
                         body_of(response))
        self.assertEqual('30', response.headers['Retry-After'])

    def test_no_retry_after_without_header(self):
        self.assertNotIn('retryAfter',
                         body_of(faults.fault_response(413, 'big'))[
                             'overLimit'])


class ExceptionResponseTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.req = webob.Request.blank('/v2.1/servers')
        self.req.environ['openstack.request_id'] = 'req-abc'

    def test_domain_exceptions_keep_code_and_message(self):
        cases = [
            (exception.InstanceNotFound(instance_id='x'), 404,
             'itemNotFound', 'Instance x could not be found.'),
            (exception.PolicyNotAuthorized(action='a'), 403, 'forbidden',
             "Policy doesn't allow a to be performed."),
            (exception.ComputeHostDown(host='h', down_time=60), 409,
             'conflictingRequest', None),
            (exception.ConsoleNotSupported(), 501, 'notImplemented',
             'The requested functionality is not supported.'),
            (exception.ComputeAgentTimeout(host='h', timeout=1), 503,
             'serviceUnavailable', None),
            (exception.ConsoleTypeNotAccessible(), 401, 'unauthorized',
             'The requested console type details are not accessible'),
        ]
        for exc, code, name, message in cases:
            response = faults.exception_response(self.req, exc)
            self.assertEqual(code, response.status_int)
            inner = body_of(response)[name]
            self.assertEqual(code, inner['code'])
            self.assertEqual(message or exc.format_message(),
                             inner['message'])

    def test_webob_errors_keep_code_and_allow(self):
        exc = webob.exc.HTTPMethodNotAllowed(explanation='no',
                                             headers={'Allow': 'GET'})
        response = faults.exception_response(self.req, exc)
        self.assertEqual(405, response.status_int)
        self.assertEqual('GET', response.headers['Allow'])
        self.assertEqual({'badMethod': {'code': 405, 'message': 'no'}},
                         body_of(response))

    def test_unexpected_exception_hides_details(self):
        response = faults.exception_response(
            self.req, RuntimeError('password=hunter2'))
        self.assertEqual(500, response.status_int)
        message = body_of(response)['computeFault']['message']
        self.assertIn('req-abc', message)
        self.assertNotIn('hunter2', message)

    def test_unsafe_domain_500_hides_message(self):
        response = faults.exception_response(
            self.req, exception.InventoryError(path='/p', reason='secret'))
        self.assertNotIn(b'secret', response.body)

    def test_safe_domain_500_shows_message(self):
        exc = exception.ServiceUnavailable(reason='db down')
        exc.code = 500
        response = faults.exception_response(self.req, exc)
        self.assertIn('db down', body_of(response)['computeFault']['message'])


class FaultWrapperTest(testtools.TestCase):

    def wrap(self, app):
        return faults.FaultWrapper(app)

    def test_exception_becomes_fault(self):
        @webob.dec.wsgify
        def app(req):
            raise ValueError('x')
        response = webob.Request.blank('/').get_response(self.wrap(app))
        self.assertEqual(500, response.status_int)
        self.assertIn('computeFault', body_of(response))

    def test_foreign_html_error_is_reformatted(self):
        @webob.dec.wsgify
        def app(req):
            return webob.exc.HTTPRequestEntityTooLarge()
        response = webob.Request.blank('/').get_response(self.wrap(app))
        self.assertEqual(413, response.status_int)
        inner = body_of(response)['overLimit']
        self.assertEqual(413, inner['code'])
        self.assertNotIn('<', inner['message'])

    def test_foreign_json_message_is_kept(self):
        @webob.dec.wsgify
        def app(req):
            response = webob.Response(status=401)
            response.content_type = 'application/json'
            response.body = b'{"error": {"message": "bad token"}}'
            response.headers['WWW-Authenticate'] = 'Keystone uri="x"'
            return response
        response = webob.Request.blank('/').get_response(self.wrap(app))
        self.assertEqual({'unauthorized': {'code': 401,
                                           'message': 'bad token'}},
                         body_of(response))
        self.assertEqual('Keystone uri="x"',
                         response.headers['WWW-Authenticate'])

    def test_existing_fault_untouched(self):
        fault = faults.fault_response(404, 'mine')

        @webob.dec.wsgify
        def app(req):
            return fault
        response = webob.Request.blank('/').get_response(self.wrap(app))
        self.assertEqual({'itemNotFound': {'code': 404, 'message': 'mine'}},
                         body_of(response))
        self.assertTrue(faults.is_fault(response))

    def test_success_untouched(self):
        @webob.dec.wsgify
        def app(req):
            return webob.Response(body=b'<html/>', content_type='text/html')
        response = webob.Request.blank('/').get_response(self.wrap(app))
        self.assertEqual(b'<html/>', response.body)
