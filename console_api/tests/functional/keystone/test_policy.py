"""The keystone pipeline against a real Keystone: who may do what.

Spec A10, B 1.7 and B 3.3, with tokens Keystone issued and
keystonemiddleware's ``auth_token`` validating them (``base``).
"""

import uuid

from oslo_serialization import jsonutils

from console_api.tests.functional.api import checks
from console_api.tests.functional import base
from console_api.tests.functional.keystone import base as ks_base


class TestPolicyWithKeystone(ks_base.KeystoneTestCase):

    def setUp(self):
        super().setUp()
        uuid_a = self.servers['a']['uuid']
        # name -> (method, path, body, version)
        self.endpoints = {
            'remote_consoles': (
                'POST', '/v2.1/servers/%s/remote-consoles' % uuid_a,
                {'remote_console': {'protocol': 'vnc', 'type': 'novnc'}},
                '2.6'),
            'legacy_action': (
                'POST', '/v2.1/servers/%s/action' % uuid_a,
                {'os-getVNCConsole': {'type': 'novnc'}}, '2.1'),
            'servers_show': ('GET', '/v2.1/servers/%s' % uuid_a, None,
                             None),
            'sessions_index': ('GET', '/v2.1/os-console-sessions', None,
                               None),
            'sessions_all_tenants': (
                'GET', '/v2.1/os-console-sessions?all_tenants=1', None,
                None),
            'sessions_show': (
                'GET', lambda: '/v2.1/os-console-sessions/%s'
                % self.new_session(), None, None),
            'sessions_delete': (
                'DELETE', lambda: '/v2.1/os-console-sessions/%s'
                % self.new_session(), None, None),
            'server_sessions_delete': (
                'DELETE', '/v2.1/servers/%s/os-console-sessions' % uuid_a,
                None, None),
        }

    def new_session(self):
        """Open a console of server a as its member; return the session."""
        method, path, body, version = self.endpoints['remote_consoles']
        response = self.call(method, path, self.token('member'), body=body,
                             version=version)
        self.assertEqual(200, response.status_int, response.body)
        return response.headers['X-Console-Session-Id']

    def check_matrix(self, endpoint, expected):
        self.assertEqual(sorted(ks_base.CALLERS), sorted(expected))
        method, path, body, version = self.endpoints[endpoint]
        for caller, code in sorted(expected.items()):
            response = self.call(method, path() if callable(path) else path,
                                 self.token(caller), body=body,
                                 version=version)
            if code in (200, 202):
                self.assertEqual(code, response.status_int,
                                 (endpoint, caller, response.body))
            else:
                name = {403: 'forbidden', 404: 'itemNotFound'}[code]
                self.assertFault(response, code, name)

    def test_remote_consoles(self):
        self.check_matrix('remote_consoles', {
            'admin': 200, 'member': 200, 'reader': 403,
            'other_member': 404})

    def test_remote_consoles_forbidden_message(self):
        method, path, body, version = self.endpoints['remote_consoles']
        response = self.call(method, path, self.token('reader'), body=body,
                             version=version)
        self.assertFault(response, 403, 'forbidden',
                         "Policy doesn't allow os_compute_api:"
                         "os-remote-consoles to be performed.")

    def test_legacy_action(self):
        self.check_matrix('legacy_action', {
            'admin': 200, 'member': 200, 'reader': 403,
            'other_member': 404})

    def test_servers_show(self):
        self.check_matrix('servers_show', {
            'admin': 200, 'member': 200, 'reader': 200,
            'other_member': 404})

    def test_servers_list_is_per_project(self):
        seen = {}
        for caller in sorted(ks_base.CALLERS):
            response = self.call('GET', '/v2.1/servers', self.token(caller))
            self.assertEqual(200, response.status_int, response.body)
            seen[caller] = sorted(s['name'] for s in
                                  jsonutils.loads(response.body)['servers'])
        # The admin project owns no server; all_tenants shows them all.
        self.assertEqual({'admin': [], 'member': ['a'], 'reader': ['a'],
                          'other_member': ['b']}, seen)
        response = self.call('GET', '/v2.1/servers?all_tenants=1',
                             self.token('admin'))
        self.assertEqual(['a', 'b'], sorted(
            s['name'] for s in jsonutils.loads(response.body)['servers']))
        response = self.call('GET', '/v2.1/servers?all_tenants=1',
                             self.token('member'))
        self.assertFault(response, 403, 'forbidden')

    def test_console_sessions(self):
        self.check_matrix('sessions_index', {
            'admin': 200, 'member': 200, 'reader': 200,
            'other_member': 200})
        self.check_matrix('sessions_all_tenants', {
            'admin': 200, 'member': 403, 'reader': 403,
            'other_member': 403})
        self.check_matrix('sessions_show', {
            'admin': 200, 'member': 200, 'reader': 200,
            'other_member': 404})
        for endpoint in ('sessions_delete', 'server_sessions_delete'):
            self.check_matrix(endpoint, {
                'admin': 202, 'member': 202, 'reader': 403,
                'other_member': 404})

    def test_console_session_records_keystone_identity(self):
        session_id = self.new_session()
        member = self.keystone.users[ks_base.CALLERS['member']]
        response = self.call('GET', '/v2.1/os-console-sessions',
                             self.token('reader'))
        self.assertEqual(200, response.status_int, response.body)
        [session] = jsonutils.loads(response.body)['console_sessions']
        self.assertEqual(
            (session_id, member.user_id, self.keystone.projects['console-a'],
             self.servers['a']['uuid']),
            (session['id'], session['user_id'], session['project_id'],
             session['server_id']))
        response = self.call('GET', '/v2.1/os-console-sessions',
                             self.token('other_member'))
        self.assertEqual([], jsonutils.loads(response.body)[
            'console_sessions'])

    def test_console_auth_tokens_admin_only(self):
        method, path, body, version = self.endpoints['remote_consoles']
        response = self.call(method, path, self.token('member'), body=body,
                             version=version)
        self.assertEqual(200, response.status_int, response.body)
        console_token = checks.token_from_url(
            jsonutils.loads(response.body)['remote_console']['url'])
        path = '/v2.1/os-console-auth-tokens/%s' % console_token
        for caller in ('member', 'reader', 'other_member'):
            self.assertFault(self.call('GET', path, self.token(caller),
                                       version='2.31'), 403, 'forbidden')
        response = self.call('GET', path, self.token('admin'),
                             version='2.31')
        self.assertEqual(200, response.status_int, response.body)
        self.assertEqual({'instance_uuid': self.servers['a']['uuid'],
                          'host': base.VNC['host'],
                          'port': base.VNC['port'],
                          'internal_access_path': None},
                         jsonutils.loads(response.body)['console'])

    def test_context_carries_keystone_identity(self):
        # The server's owner comes from the token, not from any header a
        # client could forge: X-Project-Id sent by the client is replaced.
        uuid_a = self.servers['a']['uuid']
        response = self.api(
            'GET', '/v2.1/servers/%s' % uuid_a, auth=False,
            headers={'X-Auth-Token': self.token('other_member'),
                     'X-Project-Id': self.keystone.projects['console-a'],
                     'X-Roles': 'admin'})
        self.assertFault(response, 404, 'itemNotFound')


class TestInvalidTokens(ks_base.KeystoneTestCase):

    def assertUnauthorized(self, response):
        self.assertEqual(401, response.status_int, response.body)
        # keystonemiddleware names where to get a token.
        self.assertIn(self.keystone.auth_url.rsplit('/v3', 1)[0],
                      response.headers.get('WWW-Authenticate', ''))

    def test_rejected_tokens(self):
        uuid_a = self.servers['a']['uuid']
        body = {'remote_console': {'protocol': 'vnc', 'type': 'novnc'}}
        user = self.keystone.users['member-a']
        tokens = {
            'expired': self.keystone.expired_token(user),
            'garbage': 'gAAAAA' + uuid.uuid4().hex,
            'not fernet': 'not-a-token',
            'missing': None,
        }
        for name, token in sorted(tokens.items()):
            for method, path, request_body, version in (
                    ('GET', '/v2.1/servers', None, None),
                    ('POST', '/v2.1/servers/%s/remote-consoles' % uuid_a,
                     body, '2.6')):
                response = self.call(method, path, token, body=request_body,
                                     version=version)
                self.assertUnauthorized(response)
        # The same user's real token works: only the token was wrong.
        self.assertEqual(200, self.call(
            'POST', '/v2.1/servers/%s/remote-consoles' % uuid_a,
            user.token(), body=body, version='2.6').status_int)
