"""The ``openstack console session`` commands on a fake session."""

from unittest import mock

from osc_lib import exceptions
import testtools

from console_api.osc import client
from console_api.osc.v1 import sessions
from console_api.tests.unit.osc import fakes

SERVER = '5d2b3c1a-0e4f-4b6a-9c8d-7e6f5a4b3c21'
S1 = dict(id='s1', server_id=SERVER, project_id='p1', user_id='alice',
          protocol='vnc', type='novnc', view_only=False, status='active',
          created_at='2030-01-01T00:00:00Z',
          expires_at='2030-01-01T00:10:00Z',
          connected_at='2030-01-01T00:00:05Z', closed_at=None,
          close_reason=None, client_address='198.51.100.7',
          proxy_host='proxy-1', bytes_to_client=10, bytes_to_console=2)
SESSIONS_PATH = '/v2.1/os-console-sessions'


class CommandTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.routes = {
            ('GET', SESSIONS_PATH): fakes.Response(
                200, {'console_sessions': [S1]}),
            ('GET', SESSIONS_PATH + '/s1'): fakes.Response(
                200, {'console_session': S1}),
            ('GET', '/v2.1/servers'): fakes.Response(
                200, {'servers': [{'id': SERVER, 'name': 'demo-web'}]}),
        }
        self.session = fakes.Session(self.routes)
        self.app = mock.Mock()
        self.app.client_manager.console = client.ConsoleClient(
            self.session, 'http://h:8774')

    def run_command(self, cls, argv):
        cmd = cls(self.app, None)
        parsed = cmd.get_parser('openstack console session').parse_args(argv)
        return cmd.take_action(parsed)

    def sent(self):
        return [(method, url.split('8774', 1)[1], params)
                for method, url, params in self.session.requests]


class ListTest(CommandTestCase):

    def test_default_columns(self):
        columns, rows = self.run_command(sessions.ListConsoleSession, [])
        self.assertEqual(['ID', 'Server ID', 'User ID', 'Type', 'Status',
                          'Created At', 'Client Address'], columns)
        self.assertEqual([('s1', SERVER, 'alice', 'novnc', 'active',
                           '2030-01-01T00:00:00Z', '198.51.100.7')],
                         list(rows))
        self.assertEqual([('GET', SESSIONS_PATH, [])], self.sent())

    def test_long(self):
        columns, rows = self.run_command(sessions.ListConsoleSession,
                                         ['--long'])
        self.assertEqual(17, len(columns))
        self.assertEqual(17, len(list(rows)[0]))

    def test_filters_and_server_name(self):
        self.run_command(sessions.ListConsoleSession, [
            '--server', 'demo-web', '--status', 'issued', '--status',
            'active', '--user', 'alice', '--limit', '2', '--marker', 's0',
            '--changes-since', '2030-01-01T00:00:00Z'])
        self.assertEqual(
            ('GET', SESSIONS_PATH, [
                ('changes-since', '2030-01-01T00:00:00Z'), ('limit', 2),
                ('marker', 's0'), ('server_id', SERVER),
                ('status', 'issued'), ('status', 'active'),
                ('user_id', 'alice')]),
            self.sent()[-1])

    def test_all_projects(self):
        self.run_command(sessions.ListConsoleSession,
                         ['--all-projects', '--server', 'demo-web'])
        self.assertEqual([
            ('GET', '/v2.1/servers/demo-web', None),
            ('GET', '/v2.1/servers', {'all_tenants': '1'}),
            ('GET', SESSIONS_PATH, [('all_tenants', '1'),
                                    ('server_id', SERVER)])],
            self.sent())

    def test_unknown_status_is_refused_by_the_parser(self):
        cmd = sessions.ListConsoleSession(self.app, None)
        parser = cmd.get_parser('openstack console session list')
        with mock.patch('sys.stderr'):
            self.assertRaises(SystemExit, parser.parse_args,
                              ['--status', 'open'])


class ShowTest(CommandTestCase):

    def test_show(self):
        fields, values = self.run_command(sessions.ShowConsoleSession,
                                          ['s1'])
        self.assertEqual(sorted(S1), list(fields))
        self.assertEqual(dict(S1), dict(zip(fields, values)))

    def test_not_found(self):
        self.assertRaises(exceptions.NotFound, self.run_command,
                          sessions.ShowConsoleSession, ['s2'])


class DeleteTest(CommandTestCase):

    def test_several(self):
        for session_id in ('s1', 's2'):
            self.routes[('DELETE', SESSIONS_PATH + '/' + session_id)] = (
                fakes.Response(202))
        self.assertIsNone(self.run_command(sessions.DeleteConsoleSession,
                                           ['s1', 's2']))
        self.assertEqual([('DELETE', SESSIONS_PATH + '/s1', None),
                          ('DELETE', SESSIONS_PATH + '/s2', None)],
                         self.sent())

    def test_failures_are_counted_after_trying_all(self):
        self.routes[('DELETE', SESSIONS_PATH + '/s1')] = fakes.Response(
            409, {'conflictingRequest': {'code': 409, 'message': 'ended'}})
        self.routes[('DELETE', SESSIONS_PATH + '/s3')] = fakes.Response(202)
        error = self.assertRaises(
            exceptions.CommandError, self.run_command,
            sessions.DeleteConsoleSession, ['s1', 's2', 's3'])
        self.assertEqual('2 of 3 console sessions failed to end.',
                         str(error))
        self.assertEqual(3, len(self.sent()))

    def test_server(self):
        self.routes[('DELETE', '/v2.1/servers/%s/os-console-sessions'
                     % SERVER)] = fakes.Response(202)
        self.run_command(sessions.DeleteConsoleSession,
                         ['--server', 'demo-web'])
        self.assertEqual(('DELETE', '/v2.1/servers/%s/os-console-sessions'
                          % SERVER, None), self.sent()[-1])

    def test_ids_or_server(self):
        for argv in ([], ['s1', '--server', 'demo-web']):
            self.assertRaises(exceptions.CommandError, self.run_command,
                              sessions.DeleteConsoleSession, argv)
        self.assertEqual([], self.sent())
