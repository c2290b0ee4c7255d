"""console-api's ``/os-console-sessions`` extension over HTTP.

Other tests of the suite open consoles of ``server_id`` at the same time,
so these tests look for their own sessions in the listings instead of
expecting exact lists, and end every session of a server only on
``other_server_id``, which no other test opens.
"""

from tempest.lib import decorators

from console_api.tests.blackbox import base
from console_api.tests.blackbox import schemas

UNKNOWN = '00000000-0000-4000-8000-000000000000'


class ConsoleSessionsTest(base.BlackboxTestCase):

    def list(self, client=None, **params):
        response = (client or self.sessions).list_console_sessions(
            params=params)
        self.assertSchema(schemas.LIST_CONSOLE_SESSIONS, response)
        return response.body['console_sessions']

    def show(self, session_id, client=None):
        response = (client or self.sessions).show_console_session(
            session_id)
        self.assertSchema(schemas.GET_CONSOLE_SESSION, response)
        return response.body['console_session']

    def assertAccepted(self, response):
        self.assertSchema(schemas.DELETE_CONSOLE_SESSIONS, response)
        self.assertEqual('', response.text)

    @decorators.idempotent_id('bbcddc60-d02e-4f2e-9ecb-5717bd07e893')
    def test_console_request_creates_a_session(self):
        session_id, _token = self.open_session()
        session = self.show(session_id)
        self.assertEqual(
            (session_id, self.server_id, 'vnc', 'novnc', 'issued', False),
            (session['id'], session['server_id'], session['protocol'],
             session['type'], session['status'], session['view_only']))
        if self.conf.get('auth') == 'noauth2':
            self.assertEqual((self.conf.get('user'),
                              self.conf.get('project')),
                             (session['user_id'], session['project_id']))
        listed = self.list(server_id=self.server_id)
        self.assertIn(session, listed)

    @decorators.idempotent_id('d3c0dedf-d38a-493d-94ce-397b55fdb120')
    def test_list_newest_first_and_paging(self):
        opened = [self.open_session()[0] for _i in range(3)]
        listed = self.list(server_id=self.server_id)
        ids = [s['id'] for s in listed]
        # Newest first: the three in reverse order (maybe with others').
        self.assertEqual(opened[::-1],
                         [i for i in ids if i in opened])
        created = [s['created_at'] for s in listed]
        self.assertEqual(sorted(created, reverse=True), created)
        first = [s['id'] for s in self.list(server_id=self.server_id,
                                            limit=2)]
        second = [s['id'] for s in self.list(server_id=self.server_id,
                                             limit=2, marker=first[-1])]
        self.assertEqual((2, 2), (len(first), len(second)))
        # Sessions others open meanwhile are newer: they come before the
        # pages, which follow each other in the whole list.
        ids = [s['id'] for s in self.list(server_id=self.server_id)]
        start = ids.index(first[0])
        self.assertEqual(first + second, ids[start:start + 4])

    @decorators.idempotent_id('d55d9b53-e043-4d07-a571-c343b748ae26')
    def test_filters(self):
        ended, _token = self.open_session()
        self.assertAccepted(self.sessions.delete_console_session(ended))
        issued, _token = self.open_session()
        revoked = self.list(server_id=self.server_id, status='revoked')
        self.assertIn(ended, [s['id'] for s in revoked])
        self.assertEqual({'revoked'}, {s['status'] for s in revoked})
        both = self.list(server_id=self.server_id,
                         status=['issued', 'revoked'])
        self.assertLessEqual({ended, issued}, {s['id'] for s in both})
        self.assertEqual([], self.list(server_id=UNKNOWN))
        since = self.show(issued)['created_at']
        self.assertIn(issued, [s['id'] for s in self.list(
            **{'changes-since': since})])
        self.assertEqual([], self.list(
            **{'changes-since': '2999-01-01T00:00:00Z'}))

    @decorators.idempotent_id('5b2b9077-ca89-4e8f-a842-06a8bf481ff8')
    def test_bad_queries_are_400(self):
        for params in ({'foo': 'bar'}, {'status': 'open'},
                       {'limit': '-1'}, {'limit': 'many'},
                       {'marker': UNKNOWN}, {'marker': 'not-a-uuid'},
                       {'changes-since': 'yesterday'}):
            response = self.sessions.list_console_sessions(params=params)
            self.assertFault(400, response, 'badRequest')

    @decorators.idempotent_id('4ad767df-793b-473b-90a7-dcea0bc0a857')
    def test_every_microversion_and_project_path(self):
        session_id, _token = self.open_session()
        for version in ('2.1', '2.6', '2.99', 'latest'):
            response = self.sessions.list_console_sessions(version=version)
            self.assertSchema(schemas.LIST_CONSOLE_SESSIONS, response)
            response = self.sessions.show_console_session(session_id,
                                                          version=version)
            self.assertSchema(schemas.GET_CONSOLE_SESSION, response)
        creds = self.member_credentials
        project = getattr(creds, 'project_id', None) or creds.project
        response = self.sessions.request(
            'GET', '/v2.1/%s/os-console-sessions/%s' % (project, session_id))
        self.assertSchema(schemas.GET_CONSOLE_SESSION, response)

    @decorators.idempotent_id('68ea296e-0d2f-4105-a4da-12a50db2e099')
    def test_delete(self):
        session_id, token = self.open_session()
        self.assertAccepted(self.sessions.delete_console_session(session_id))
        session = self.show(session_id)
        self.assertEqual(('revoked', 'killed'),
                         (session['status'], session['close_reason']))
        self.assertIsNotNone(session['closed_at'])
        # Its URL opens nothing any more.
        self.assertFault(404, self.tokens.show_console_auth_token(token),
                         'itemNotFound')
        self.assertFault(
            409, self.sessions.delete_console_session(session_id),
            'conflictingRequest')

    @decorators.idempotent_id('394ccac8-e8b8-49ed-a1cc-cfd5eb89cf8b')
    def test_unknown_and_malformed_ids_are_404(self):
        for session_id in (UNKNOWN, 'not-a-uuid'):
            self.assertFault(
                404, self.sessions.show_console_session(session_id),
                'itemNotFound')
            self.assertFault(
                404, self.sessions.delete_console_session(session_id),
                'itemNotFound')
        self.assertFault(
            404, self.sessions.delete_server_console_sessions(UNKNOWN),
            'itemNotFound')

    @decorators.idempotent_id('de0b5325-37b0-459c-8e5b-7ba29f497f1c')
    def test_all_tenants_is_for_admins(self):
        response = self.sessions.list_console_sessions(
            params={'all_tenants': '1'})
        self.assertFault(403, response, 'forbidden')
        session_id, _token = self.open_session()
        self.assertIn(session_id, [s['id'] for s in self.list(
            self.admin_sessions, all_tenants='1', server_id=self.server_id)])

    @decorators.idempotent_id('9880094c-aba1-47fa-ab2d-2f63c30f192f')
    def test_other_projects_sessions(self):
        other = self.optional('other_server_id')
        session_id, token = self.open_session(other, admin=True)
        self.assertEqual(other, self.show(session_id,
                                          self.admin_sessions)['server_id'])
        # Hidden from this project's member, who cannot end them either.
        self.assertFault(404, self.sessions.show_console_session(session_id),
                         'itemNotFound')
        self.assertFault(
            404, self.sessions.delete_console_session(session_id),
            'itemNotFound')
        self.assertFault(
            404, self.sessions.delete_server_console_sessions(other),
            'itemNotFound')
        self.assertNotIn(session_id, [s['id'] for s in self.list()])
        # The administrator ends every open session of that server.
        self.assertAccepted(
            self.admin_sessions.delete_server_console_sessions(other))
        session = self.show(session_id, self.admin_sessions)
        self.assertEqual(('revoked', 'killed'),
                         (session['status'], session['close_reason']))
        self.assertEqual([], self.list(self.admin_sessions, all_tenants='1',
                                       server_id=other, status='issued'))
        self.assertFault(404, self.tokens.show_console_auth_token(token),
                         'itemNotFound')

    @decorators.idempotent_id('4c5273bb-90b0-4a53-a763-d33f909d1bc2')
    def test_no_token_is_401_and_wrong_method_405(self):
        self.assertFault(401, self.sessions.request(
            'GET', '/v2.1/os-console-sessions', auth=False))
        response = self.sessions.request('POST', '/v2.1/os-console-sessions',
                                         body={})
        self.assertFault(405, response, 'badMethod')
        self.assertEqual('GET', response.headers.get('Allow'))
