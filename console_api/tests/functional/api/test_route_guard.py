"""Guard: every route in the table is reachable and guarded by policy.

A route added to ``console_api.api.routes.ROUTES`` without a sample request
here fails ``test_every_route_has_a_sample``, so nobody can add a URL that
this guard does not check.
"""

from oslo_serialization import jsonutils

from console_api.api import microversion
from console_api.api import routes
from console_api.tests.functional.api import checks
from console_api.tests.functional import base


class RouteGuardTest(base.APITestCase):

    def setUp(self):
        super().setUp()
        response = self.console('all', 'vnc', 'novnc', version='2.31')
        token = checks.token_from_url(
            jsonutils.loads(response.body)['remote_console']['url'])
        self.values = {'server_id': self.servers['all']['uuid'],
                       'console_token': token,
                       'session_id': response.headers[
                           'X-Console-Session-Id']}
        # (path, method) -> body
        self.samples = {
            ('/servers', 'GET'): None,
            ('/servers/detail', 'GET'): None,
            ('/servers/{server_id}', 'GET'): None,
            ('/servers/{server_id}/action', 'POST'):
                {'os-getVNCConsole': {'type': 'novnc'}},
            ('/servers/{server_id}/remote-consoles', 'POST'):
                {'remote_console': {'protocol': 'vnc', 'type': 'novnc'}},
            ('/os-console-auth-tokens/{console_token}', 'GET'): None,
            ('/servers/{server_id}/os-console-sessions', 'DELETE'): None,
            ('/os-console-sessions', 'GET'): None,
            ('/os-console-sessions/{session_id}', 'GET'): None,
            ('/os-console-sessions/{session_id}', 'DELETE'): None,
        }
        # (path, method) -> the success status, when not 200 with JSON.
        self.accepted = {
            ('/servers/{server_id}/os-console-sessions', 'DELETE'),
            ('/os-console-sessions/{session_id}', 'DELETE'),
        }

    def each_route(self):
        for path, methods in routes.ROUTES:
            for method, route in sorted(methods.items()):
                version = route.min_version or microversion.MIN_VERSION
                if not route.available_at(version):
                    version = route.max_version
                if (path, method) == ('/os-console-auth-tokens/'
                                      '{console_token}', 'GET'):
                    # A vnc token is readable from 2.31 on.
                    version = microversion.AUTH_TOKENS_ALL_TYPES
                yield path, method, route, str(version)

    def request(self, path, method, version, prefix='', **kwargs):
        values = dict(self.values)
        if (path, method) in self.accepted:
            # Ending a session twice is a 409: each call ends a new one,
            # and never the one of the token the other routes use.
            values['server_id'] = self.servers['vnc_only']['uuid']
            values['session_id'] = self.console(
                'vnc_only', 'vnc', 'novnc').headers['X-Console-Session-Id']
        return self.api(method, '/v2.1' + prefix + path.format(**values),
                        body=self.samples[(path, method)], version=version,
                        **kwargs)

    def test_every_route_has_a_sample(self):
        table = {(path, method) for path, method, _r, _v in self.each_route()}
        self.assertEqual(set(self.samples), table)

    def test_every_handler_is_a_controller_function(self):
        for path, method, route, _version in self.each_route():
            self.assertTrue(callable(route.handler), (path, method))
            self.assertTrue(route.handler.__module__.startswith(
                'console_api.api.controllers.'), (path, method))

    def test_every_route_reachable(self):
        for prefix in ('', '/' + base.PROJECT):
            for path, method, _route, version in self.each_route():
                response = self.request(path, method, version, prefix,
                                        user='admin')
                if (path, method) in self.accepted:
                    self.assertEqual(202, response.status_int,
                                     (prefix, path, method, response.body))
                    self.assertEqual(b'', response.body)
                    continue
                self.assertEqual(200, response.status_int,
                                 (prefix, path, method, response.body))
                self.assertEqual('application/json', response.content_type)

    def test_no_roles_is_403_everywhere(self):
        for prefix in ('', '/' + base.PROJECT):
            for path, method, _route, version in self.each_route():
                response = self.request(path, method, version, prefix,
                                        user='nobody', roles=[])
                self.assertFault(response, 403, 'forbidden')

    def test_missing_token_is_401_everywhere(self):
        for path, method, _route, version in self.each_route():
            response = self.request(path, method, version, auth=False)
            self.assertFault(response, 401, 'unauthorized')

    def test_wrong_methods_are_405_everywhere(self):
        for path, methods in routes.ROUTES:
            for method in ('GET', 'POST', 'PUT', 'DELETE', 'PATCH'):
                if method in methods:
                    continue
                response = self.api(method,
                                    '/v2.1' + path.format(**self.values),
                                    version='latest', user='admin')
                self.assertFault(response, 405, 'badMethod')
                allowed = set(methods)
                self.assertEqual(
                    allowed, set(response.headers['Allow'].split(', ')))
