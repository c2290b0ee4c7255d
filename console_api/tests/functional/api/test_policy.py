"""Who may do what, with default rules and an operator's policy file.

Spec A9, B 1.7 and B 3.3.
"""

import os

import fixtures

from oslo_serialization import jsonutils

from console_api import policy
from console_api.tests.functional.api import checks
from console_api.tests.functional import base

REMOTE_CONSOLES = 'os_compute_api:os-remote-consoles'

# name -> api() keyword arguments
CALLERS = {
    'admin': {'user': 'admin'},
    'member': {'user': 'demo'},
    'other_member': {'user': 'demo2', 'project': base.OTHER_PROJECT},
    'reader': {'user': 'viewer', 'roles': ['reader']},
    'no_roles': {'user': 'nobody', 'roles': []},
    'admin_role_elsewhere': {'user': 'ops', 'project': base.OTHER_PROJECT,
                             'roles': ['admin']},
}


class PolicyMatrixTest(base.APITestCase):

    def setUp(self):
        super().setUp()
        token = self.issue_token()
        uuid = self.servers['all']['uuid']
        vnc = {'remote_console': {'protocol': 'vnc', 'type': 'novnc'}}
        # name -> (method, path, body, version)
        self.endpoints = {
            'remote_consoles': (
                'POST', '/v2.1/servers/%s/remote-consoles' % uuid, vnc,
                '2.6'),
            'legacy_action': (
                'POST', '/v2.1/servers/%s/action' % uuid,
                {'os-getVNCConsole': {'type': 'novnc'}}, '2.1'),
            'auth_token': (
                'GET', '/v2.1/os-console-auth-tokens/%s' % token, None,
                '2.31'),
            'servers_index': ('GET', '/v2.1/servers', None, None),
            'servers_detail': ('GET', '/v2.1/servers/detail', None, None),
            'servers_show': ('GET', '/v2.1/servers/%s' % uuid, None, None),
            'sessions_index': ('GET', '/v2.1/os-console-sessions', None,
                               None),
            'sessions_all_tenants': (
                'GET', '/v2.1/os-console-sessions?all_tenants=1', None,
                None),
            'sessions_show': (
                'GET', '/v2.1/os-console-sessions/%s' % self.session_id,
                None, None),
            # Each call ends a session of its own.
            'sessions_delete': (
                'DELETE', lambda: '/v2.1/os-console-sessions/%s'
                % self.new_session(), None, None),
            'server_sessions_delete': (
                'DELETE', '/v2.1/servers/%s/os-console-sessions' % uuid,
                None, None),
        }

    def issue_token(self):
        response = self.console('all', 'rdp', 'rdp-html5')
        self.assertEqual(200, response.status_int, response.body)
        self.session_id = response.headers['X-Console-Session-Id']
        return checks.token_from_url(
            jsonutils.loads(response.body)['remote_console']['url'])

    def new_session(self):
        return self.console('vnc_only', 'vnc', 'novnc').headers[
            'X-Console-Session-Id']

    def call(self, endpoint, caller):
        method, path, body, version = self.endpoints[endpoint]
        if callable(path):
            path = path()
        return self.api(method, path, body=body, version=version,
                        **CALLERS[caller])

    def check_matrix(self, endpoint, expected):
        self.assertEqual(sorted(CALLERS), sorted(expected))
        for caller, code in sorted(expected.items()):
            response = self.call(endpoint, caller)
            if code in (200, 202):
                self.assertEqual(code, response.status_int,
                                 (endpoint, caller, response.body))
            else:
                name = {403: 'forbidden', 404: 'itemNotFound'}[code]
                self.assertFault(response, code, name)

    def test_remote_consoles(self):
        self.check_matrix('remote_consoles', {
            'admin': 200, 'member': 200, 'other_member': 404,
            'reader': 403, 'no_roles': 403, 'admin_role_elsewhere': 200})

    def test_remote_consoles_message(self):
        self.assertFault(
            self.call('remote_consoles', 'reader'), 403, 'forbidden',
            "Policy doesn't allow os_compute_api:os-remote-consoles to be "
            "performed.")

    def test_legacy_action(self):
        self.check_matrix('legacy_action', {
            'admin': 200, 'member': 200, 'other_member': 404,
            'reader': 403, 'no_roles': 403, 'admin_role_elsewhere': 200})

    def test_auth_tokens_admin_only(self):
        self.check_matrix('auth_token', {
            'admin': 200, 'member': 403, 'other_member': 403,
            'reader': 403, 'no_roles': 403, 'admin_role_elsewhere': 200})

    def test_servers_show(self):
        self.check_matrix('servers_show', {
            'admin': 200, 'member': 200, 'other_member': 404,
            'reader': 200, 'no_roles': 403, 'admin_role_elsewhere': 200})

    def test_servers_lists(self):
        for endpoint in ('servers_index', 'servers_detail'):
            self.check_matrix(endpoint, {
                'admin': 200, 'member': 200, 'other_member': 200,
                'reader': 200, 'no_roles': 403,
                'admin_role_elsewhere': 200})

    def test_console_sessions_lists(self):
        self.check_matrix('sessions_index', {
            'admin': 200, 'member': 200, 'other_member': 200,
            'reader': 200, 'no_roles': 403, 'admin_role_elsewhere': 200})

    def test_console_sessions_all_tenants_admin_only(self):
        self.check_matrix('sessions_all_tenants', {
            'admin': 200, 'member': 403, 'other_member': 403,
            'reader': 403, 'no_roles': 403, 'admin_role_elsewhere': 200})

    def test_console_sessions_show(self):
        self.check_matrix('sessions_show', {
            'admin': 200, 'member': 200, 'other_member': 404,
            'reader': 200, 'no_roles': 403, 'admin_role_elsewhere': 200})

    def test_console_sessions_delete(self):
        for endpoint in ('sessions_delete', 'server_sessions_delete'):
            self.check_matrix(endpoint, {
                'admin': 202, 'member': 202, 'other_member': 404,
                'reader': 403, 'no_roles': 403,
                'admin_role_elsewhere': 202})

    def test_console_sessions_messages(self):
        for endpoint, caller, rule in (
                ('sessions_index', 'no_roles', 'index'),
                ('sessions_all_tenants', 'member', 'index:all_tenants'),
                ('sessions_show', 'no_roles', 'show'),
                ('sessions_delete', 'reader', 'delete'),
                ('server_sessions_delete', 'reader', 'delete')):
            self.assertFault(
                self.call(endpoint, caller), 403, 'forbidden',
                "Policy doesn't allow os_compute_api:os-console-sessions:%s "
                "to be performed." % rule)


class PolicyFileTest(base.APITestCase):

    def setUp(self):
        super().setUp()
        self.policy_path = os.path.join(self.tmp, 'policy.yaml')
        self.mtime = 1_000_000_000
        self.write_policy({REMOTE_CONSOLES:
                           'role:reader and project_id:%(project_id)s'})
        self.flags.config(policy_file=self.policy_path, group='oslo_policy')
        # The enforcer reads the option when it is created; the app itself
        # is not reloaded. It looks at the file at most once a second:
        # here, at every check.
        self.useFixture(fixtures.MonkeyPatch(
            'console_api.policy.RELOAD_INTERVAL', 0))
        self.services.policy = policy.Policy(base.CONF)

    def write_policy(self, rules):
        with open(self.policy_path, 'w') as out:
            for name, rule in rules.items():
                out.write('"%s": "%s"\n' % (name, rule))
        # A new, distinct mtime, so the change is seen even within the
        # file system's timestamp granularity.
        self.mtime += 10
        os.utime(self.policy_path, (self.mtime, self.mtime))

    def console(self, **kwargs):
        return super().console('all', 'vnc', 'novnc', **kwargs)

    def test_file_overrides_default_and_is_reread(self):
        self.assertEqual(200, self.console(roles=['reader']).status_int)
        self.assertEqual(403, self.console(roles=['member']).status_int)

        self.write_policy({REMOTE_CONSOLES: '!'})
        for kwargs in ({'roles': ['reader']}, {'user': 'admin'}, {}):
            self.assertFault(self.console(**kwargs), 403, 'forbidden')

        self.write_policy({})
        self.assertEqual(200, self.console().status_int)
        self.assertEqual(403, self.console(roles=['reader']).status_int)

    def test_file_changes_other_rules(self):
        uuid = self.servers['all']['uuid']
        self.assertEqual(200, self.api('GET', '/v2.1/servers/%s' % uuid,
                                       roles=['reader']).status_int)
        self.write_policy({'os_compute_api:servers:show': 'role:admin'})
        self.assertFault(self.api('GET', '/v2.1/servers/%s' % uuid,
                                  roles=['reader']), 403, 'forbidden')
        self.assertEqual(200, self.admin('GET', '/v2.1/servers/%s'
                                         % uuid).status_int)

    def test_file_changes_console_session_rules(self):
        session_id = self.console().headers['X-Console-Session-Id']
        path = '/v2.1/os-console-sessions/%s' % session_id
        self.assertFault(self.api('GET', path, roles=['member']), 403,
                         'forbidden')
        self.write_policy({
            'os_compute_api:os-console-sessions:show': '@',
            'os_compute_api:os-console-sessions:delete':
                'role:reader and project_id:%(project_id)s'})
        self.assertEqual(200, self.api('GET', path,
                                       roles=['member']).status_int)
        self.assertEqual(202, self.api('DELETE', path,
                                       roles=['reader']).status_int)
