"""``/os-console-sessions`` and ``/servers/{id}/os-console-sessions`` (C3).

Through the real paste app with a real agent: listing with filters and
paging, showing, and ending sessions, with the proxy cast spied on.
"""

import datetime
import urllib.parse

import fixtures
from oslo_serialization import jsonutils
from oslo_utils import timeutils

from console_api.api.controllers import common
from console_api.proxy import rpcapi as proxy_rpcapi
from console_api.tests.functional.api import checks
from console_api.tests.functional import base

FIELDS = {'id', 'server_id', 'project_id', 'user_id', 'protocol', 'type',
          'view_only', 'status', 'created_at', 'expires_at', 'connected_at',
          'closed_at', 'close_reason', 'client_address', 'proxy_host',
          'bytes_to_client', 'bytes_to_console'}
UNKNOWN = '00000000-0000-4000-8000-000000000000'
CLIENT = '198.51.100.7'


class SessionTestCase(base.APITestCase):
    """Helpers: open consoles, connect them, read the session routes."""

    def setUp(self):
        super().setUp()
        self.casts = []
        self.useFixture(fixtures.MockPatchObject(
            proxy_rpcapi.ConsoleProxyAPI, 'end_sessions',
            autospec=True, side_effect=self._record_cast))

    def _record_cast(self, _api, ctxt, session_ids, reason):
        self.casts.append((list(session_ids), reason))

    def open(self, key='all', protocol='vnc', console_type='novnc',
             **kwargs):
        """Open a console; return ``(session_id, token)``."""
        response = self.console(key, protocol, console_type, **kwargs)
        self.assertEqual(200, response.status_int, response.body)
        url = jsonutils.loads(response.body)['remote_console']['url']
        return (response.headers[common.SESSION_HEADER],
                checks.token_from_url(url))

    def connect(self, token, address=CLIENT):
        """Use a token as a proxy would: the session becomes active."""
        self.services.console_auth.connect(self.admin_context, token,
                                           address, 'proxy-1')

    def list(self, query='', **kwargs):
        response = self.api('GET', '/v2.1/os-console-sessions' + query,
                            **kwargs)
        self.assertEqual(200, response.status_int, response.body)
        self.assertEqual(['console_sessions'],
                         list(jsonutils.loads(response.body)))
        return jsonutils.loads(response.body)['console_sessions']

    def ids(self, query='', **kwargs):
        return [s['id'] for s in self.list(query, **kwargs)]

    def show(self, session_id, **kwargs):
        return self.api('GET', '/v2.1/os-console-sessions/%s' % session_id,
                        **kwargs)

    def session(self, session_id, **kwargs):
        response = self.show(session_id, **kwargs)
        self.assertEqual(200, response.status_int, response.body)
        return jsonutils.loads(response.body)['console_session']

    def delete(self, session_id, **kwargs):
        return self.api('DELETE',
                        '/v2.1/os-console-sessions/%s' % session_id,
                        **kwargs)

    def delete_for_server(self, server_id, **kwargs):
        return self.api('DELETE', '/v2.1/servers/%s/os-console-sessions'
                        % server_id, **kwargs)

    def assertAccepted(self, response):
        self.assertEqual(202, response.status_int, response.body)
        self.assertEqual(b'', response.body)


class ListAndShowTest(SessionTestCase):

    def test_empty(self):
        self.assertEqual([], self.list())

    def test_session_object(self):
        session_id, _token = self.open()
        [listed] = self.list()
        shown = self.session(session_id)
        self.assertEqual(listed, shown)
        self.assertEqual(FIELDS, set(shown))
        self.assertEqual({
            'id': session_id, 'server_id': self.servers['all']['uuid'],
            'project_id': base.PROJECT, 'user_id': 'demo',
            'protocol': 'vnc', 'type': 'novnc', 'view_only': False,
            'status': 'issued', 'connected_at': None, 'closed_at': None,
            'close_reason': None, 'client_address': None,
            'proxy_host': None, 'bytes_to_client': 0,
            'bytes_to_console': 0},
            {k: v for k, v in shown.items()
             if k not in ('created_at', 'expires_at')})
        lifetime = (timeutils.parse_isotime(shown['expires_at']) -
                    timeutils.parse_isotime(shown['created_at']))
        # [consoleauth] token_ttl, counted in whole seconds.
        self.assertLess(abs(lifetime.total_seconds() - 600), 2)

    def test_requester_and_servers_project(self):
        # An administrator of another project opens the member's server's
        # console: the session is the server's project's, and the admin's.
        session_id, _token = self.open(user='admin',
                                       project=base.OTHER_PROJECT)
        shown = self.session(session_id)
        self.assertEqual(('admin', base.PROJECT),
                         (shown['user_id'], shown['project_id']))
        # So the member sees it; the admin's own project's list does not.
        self.assertEqual([session_id], self.ids())
        self.assertEqual([], self.ids(user='admin',
                                      project=base.OTHER_PROJECT))

    def test_active_session(self):
        session_id, token = self.open()
        self.connect(token)
        shown = self.session(session_id)
        self.assertEqual(('active', CLIENT, 'proxy-1'),
                         (shown['status'], shown['client_address'],
                          shown['proxy_host']))
        self.assertIsNotNone(shown['connected_at'])

    def test_reading_token_details_does_not_use_the_token(self):
        # C2: only a proxy's websocket upgrade uses a single-use token.
        session_id, token = self.open()
        for _i in range(2):
            response = self.admin('GET', '/v2.1/os-console-auth-tokens/%s'
                                  % token, version='2.31')
            self.assertEqual(200, response.status_int, response.body)
        self.assertEqual('issued', self.session(session_id)['status'])
        self.connect(token)
        self.assertEqual('active', self.session(session_id)['status'])

    def test_newest_first(self):
        opened = [self.open()[0] for _i in range(3)]
        self.assertEqual(opened[::-1], self.ids())

    def test_paging(self):
        opened = [self.open()[0] for _i in range(5)][::-1]
        self.assertEqual(opened[:2], self.ids('?limit=2'))
        self.assertEqual(opened[2:4],
                         self.ids('?limit=2&marker=%s' % opened[1]))
        self.assertEqual(opened[4:],
                         self.ids('?limit=2&marker=%s' % opened[3]))
        self.assertEqual([], self.ids('?marker=%s' % opened[4]))
        self.assertEqual([], self.ids('?limit=0'))

    def test_max_limit_is_default_and_bound(self):
        self.flags.config(max_limit=2, group='api')
        opened = [self.open()[0] for _i in range(3)][::-1]
        self.assertEqual(opened[:2], self.ids())
        self.assertEqual(opened[:2], self.ids('?limit=1000'))
        self.assertEqual(opened[2:], self.ids('?marker=%s' % opened[1]))

    def test_bad_markers(self):
        other, _token = self.open('other', user='demo2',
                                  project=base.OTHER_PROJECT)
        for marker in (UNKNOWN, 'not-a-uuid', other):
            self.assertFault(
                self.api('GET', '/v2.1/os-console-sessions?marker=%s'
                         % marker), 400, 'badRequest',
                'Marker %s could not be found.' % marker)
        # An administrator listing every project may page from it.
        self.assertEqual([], self.ids(
            '?all_tenants=1&marker=%s' % other, user='admin'))

    def test_bad_limits(self):
        for limit in ('-1', 'abc', '', '1.5'):
            self.assertFault(
                self.api('GET', '/v2.1/os-console-sessions?limit=%s'
                         % limit), 400, 'badRequest', 'limit')

    def test_filters(self):
        vnc, _token = self.open()
        serial, serial_token = self.open(protocol='serial',
                                         console_type='serial')
        other_server, _token = self.open('vnc_only')
        admins, _token = self.open(user='admin')
        self.connect(serial_token)
        self.assertEqual([admins, serial, vnc], self.ids(
            '?server_id=%s' % self.servers['all']['uuid']))
        self.assertEqual([other_server], self.ids(
            '?server_id=%s' % self.servers['vnc_only']['uuid']))
        self.assertEqual([admins], self.ids('?user_id=admin'))
        self.assertEqual([serial], self.ids('?status=active'))
        self.assertEqual([admins, other_server, vnc],
                         self.ids('?status=issued'))
        self.assertEqual([admins, other_server, serial, vnc],
                         self.ids('?status=issued&status=active'))
        self.assertEqual([], self.ids('?status=closed'))
        self.assertEqual([serial], self.ids(
            '?status=active&user_id=demo&server_id=%s'
            % self.servers['all']['uuid']))

    def test_changes_since(self):
        # Whole seconds, so that a database that keeps no fractions
        # (MySQL's DATETIME) compares what the test compares.
        start = timeutils.utcnow().replace(microsecond=0)
        timeutils.set_time_override(start + datetime.timedelta(seconds=1))
        self.addCleanup(timeutils.clear_time_override)
        first, _token = self.open()
        second, _token = self.open()
        self.assertEqual([second, first], self.ids(
            '?changes-since=2000-01-01T00:00:00Z'))
        since = start + datetime.timedelta(seconds=5)
        query = '?changes-since=%s' % quote(since.isoformat() + 'Z')
        self.assertEqual([], self.ids(query))
        # A change counts, not only the creation: the end of the first.
        timeutils.advance_time_seconds(10)
        self.assertAccepted(self.delete(first))
        self.assertEqual([first], self.ids(query))
        # Any offset is understood.
        self.assertEqual([first], self.ids('?changes-since=%s' % quote(
            (since + datetime.timedelta(hours=2)).isoformat() + '+02:00')))

    def test_bad_changes_since(self):
        for value in ('yesterday', '2026-13-01T00:00:00Z', ''):
            self.assertFault(
                self.api('GET', '/v2.1/os-console-sessions?changes-since=%s'
                         % value), 400, 'badRequest', 'changes-since')

    def test_unknown_parameters_and_statuses(self):
        for query in ('?foo=bar', '?project_id=%s' % base.PROJECT,
                      '?status=issued&sort_key=id', '?status=open',
                      '?status=issued&status=ISSUED'):
            self.assertFault(
                self.api('GET', '/v2.1/os-console-sessions' + query),
                400, 'badRequest')

    def test_query_string_not_utf8_is_400(self):
        # webob cannot decode it; Nova's fault, not a 500. The same holds
        # for every route that reads a query string.
        _session_id, token = self.open()
        for path, version in (
                ('/v2.1/os-console-sessions?user_id=%FF', None),
                ('/v2.1/servers?name=%C3', None),
                ('/v2.1/servers/detail?%FF=1', None),
                ('/v2.1/os-console-auth-tokens/%s?x=%%FF' % token, '2.99')):
            self.assertFault(self.admin('GET', path, version=version), 400,
                             'badRequest', 'not valid UTF-8')

    def test_all_tenants(self):
        mine, _token = self.open()
        theirs, _token = self.open('other', user='demo2',
                                   project=base.OTHER_PROJECT)
        self.assertEqual([mine], self.ids())
        self.assertEqual([theirs], self.ids(user='demo2',
                                            project=base.OTHER_PROJECT))
        # An administrator sees its own project's unless it asks for all.
        self.assertEqual([mine], self.ids(user='admin'))
        for value in ('1', 'true', 'True', ''):
            self.assertEqual([theirs, mine], self.ids(
                '?all_tenants=%s' % value, user='admin'))
        self.assertEqual([mine], self.ids('?all_tenants=0', user='admin'))
        self.assertEqual([theirs], self.ids(
            '?all_tenants=1&server_id=%s' % self.servers['other']['uuid'],
            user='admin'))
        self.assertFault(
            self.api('GET', '/v2.1/os-console-sessions?all_tenants=1'),
            403, 'forbidden', 'os_compute_api:os-console-sessions:index:'
            'all_tenants')
        self.assertFault(
            self.api('GET', '/v2.1/os-console-sessions?all_tenants=maybe',
                     user='admin'), 400, 'badRequest', 'all_tenants')

    def test_other_projects_session_is_404(self):
        theirs, _token = self.open('other', user='demo2',
                                   project=base.OTHER_PROJECT)
        self.assertFault(self.show(theirs), 404, 'itemNotFound',
                         'Console session %s could not be found.' % theirs)
        self.assertEqual(theirs, self.session(theirs, user='admin')['id'])

    def test_unknown_and_malformed_ids_are_404(self):
        for session_id in (UNKNOWN, 'not-a-uuid', '1', "x'%20or%201=1"):
            self.assertFault(self.show(session_id), 404, 'itemNotFound')
            self.assertFault(self.show(session_id, user='admin'), 404,
                             'itemNotFound')

    def test_every_microversion_and_project_prefix(self):
        session_id, _token = self.open()
        for version in (None, '2.1', '2.6', '2.99', 'latest'):
            for prefix in ('', '/' + base.PROJECT):
                response = self.api(
                    'GET', '/v2.1%s/os-console-sessions' % prefix,
                    version=version)
                self.assertEqual(200, response.status_int, response.body)
                response = self.api(
                    'GET', '/v2.1%s/os-console-sessions/%s'
                    % (prefix, session_id), version=version)
                self.assertEqual(200, response.status_int, response.body)
        self.assertFault(
            self.api('GET', '/v2.1/%s/os-console-sessions'
                     % base.OTHER_PROJECT), 400, 'badRequest')


class DeleteTest(SessionTestCase):

    def test_issued_session_is_revoked(self):
        session_id, token = self.open()
        self.assertAccepted(self.delete(session_id))
        shown = self.session(session_id)
        self.assertEqual(('revoked', 'killed'),
                         (shown['status'], shown['close_reason']))
        self.assertIsNotNone(shown['closed_at'])
        # Nothing was connected: no proxy has anything to cut.
        self.assertEqual([], self.casts)
        # Its URL opens nothing any more.
        self.assertFault(self.admin('GET', '/v2.1/os-console-auth-tokens/%s'
                                    % token, version='2.31'),
                         404, 'itemNotFound')

    def test_active_session_is_cut(self):
        session_id, token = self.open()
        self.connect(token)
        self.assertAccepted(self.delete(session_id))
        shown = self.session(session_id)
        self.assertEqual(('closed', 'killed'),
                         (shown['status'], shown['close_reason']))
        self.assertEqual([([session_id], 'killed')], self.casts)

    def test_ended_session_is_409(self):
        session_id, _token = self.open()
        self.assertAccepted(self.delete(session_id))
        self.assertFault(self.delete(session_id), 409, 'conflictingRequest',
                         'already ended (revoked)')
        closed, token = self.open()
        self.connect(token)
        self.services.console_auth.disconnect(self.admin_context, closed,
                                              'console')
        self.assertFault(self.delete(closed), 409, 'conflictingRequest',
                         'already ended (closed)')
        self.assertEqual([], self.casts)

    def test_session_ending_during_the_delete_is_409(self):
        # The proxy closes the session between the API's read and its
        # update: the API must answer 409, not 500, and cast nothing.
        session_id, token = self.open()
        self.connect(token)
        auth = self.services.console_auth
        real_end = auth.end

        def end_after_disconnect(context, ids, reason):
            auth.disconnect(self.admin_context, session_id, 'console')
            return real_end(context, ids, reason)

        self.useFixture(fixtures.MockPatchObject(
            auth, 'end', side_effect=end_after_disconnect))
        self.assertFault(self.delete(session_id), 409, 'conflictingRequest')
        self.assertEqual('console', self.session(session_id)['close_reason'])
        self.assertEqual([], self.casts)

    def test_session_purged_during_the_delete_is_409(self):
        session_id, _token = self.open()
        auth = self.services.console_auth
        self.useFixture(fixtures.MockPatchObject(auth, 'end',
                                                 return_value=[]))
        self.useFixture(fixtures.MockPatchObject(auth, 'statuses',
                                                 return_value={}))
        self.assertFault(self.delete(session_id), 409, 'conflictingRequest')

    def test_cast_failure_still_ends_the_session(self):
        session_id, token = self.open()
        self.connect(token)
        self.useFixture(fixtures.MockPatchObject(
            proxy_rpcapi.ConsoleProxyAPI, 'end_sessions',
            side_effect=RuntimeError('bus down')))
        self.assertAccepted(self.delete(session_id))
        self.assertEqual('closed', self.session(session_id)['status'])

    def test_other_projects_session_is_404(self):
        theirs, _token = self.open('other', user='demo2',
                                   project=base.OTHER_PROJECT)
        self.assertFault(self.delete(theirs), 404, 'itemNotFound')
        self.assertEqual('issued', self.session(theirs, user='admin')[
            'status'])
        self.assertAccepted(self.delete(theirs, user='admin'))

    def test_unknown_and_malformed_ids_are_404(self):
        for session_id in (UNKNOWN, 'not-a-uuid'):
            self.assertFault(self.delete(session_id), 404, 'itemNotFound')

    def test_reader_may_look_but_not_end(self):
        session_id, _token = self.open()
        self.assertEqual(session_id,
                         self.session(session_id, roles=['reader'])['id'])
        self.assertFault(self.delete(session_id, roles=['reader']), 403,
                         'forbidden', 'os_compute_api:os-console-sessions:'
                         'delete')

    def test_project_prefix_and_microversions(self):
        for version in ('2.1', 'latest'):
            session_id, _token = self.open()
            self.assertAccepted(self.api(
                'DELETE', '/v2.1/%s/os-console-sessions/%s'
                % (base.PROJECT, session_id), version=version))


class DeleteForServerTest(SessionTestCase):

    def test_ends_every_open_session_of_the_server(self):
        issued, _token = self.open()
        active, token = self.open(protocol='serial', console_type='serial')
        self.connect(token)
        ended, _token = self.open()
        self.assertAccepted(self.delete(ended))
        elsewhere, _token = self.open('vnc_only')
        self.assertAccepted(self.delete_for_server(
            self.servers['all']['uuid']))
        status = {s['id']: (s['status'], s['close_reason'])
                  for s in self.list()}
        self.assertEqual({issued: ('revoked', 'killed'),
                          active: ('closed', 'killed'),
                          ended: ('revoked', 'killed'),
                          elsewhere: ('issued', None)}, status)
        self.assertEqual([([active], 'killed')], self.casts)
        # Nothing left to end is not an error.
        self.assertAccepted(self.delete_for_server(
            self.servers['all']['uuid']))
        self.assertEqual(1, len(self.casts))

    def test_server_lookup(self):
        theirs, _token = self.open('other', user='demo2',
                                   project=base.OTHER_PROJECT)
        other_server = self.servers['other']['uuid']
        for server_id in (other_server, UNKNOWN, 'not-a-uuid'):
            self.assertFault(self.delete_for_server(server_id), 404,
                             'itemNotFound')
        self.assertEqual('issued', self.session(theirs, user='admin')[
            'status'])
        self.assertFault(self.delete_for_server(
            self.servers['all']['uuid'], roles=['reader']), 403,
            'forbidden')
        self.assertAccepted(self.delete_for_server(other_server,
                                                   user='admin'))
        self.assertEqual('revoked', self.session(theirs, user='admin')[
            'status'])

    def test_every_microversion_and_project_prefix(self):
        uuid = self.servers['all']['uuid']
        for version in ('2.1', '2.6', 'latest'):
            self.assertAccepted(self.api(
                'DELETE', '/v2.1/%s/servers/%s/os-console-sessions'
                % (base.PROJECT, uuid), version=version))


def quote(value):
    return urllib.parse.quote(value, safe='')
