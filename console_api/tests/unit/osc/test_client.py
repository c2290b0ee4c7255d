"""The console-session client: URLs, query strings, faults."""

from osc_lib import exceptions
import testtools

from console_api.osc import client
from console_api.osc import plugin
from console_api.tests.unit.osc import fakes

SESSION = {'id': 's1', 'server_id': 'srv1', 'status': 'issued'}


class VersionedTest(testtools.TestCase):

    def test_root_gets_v21(self):
        for endpoint in ('http://h:8774', 'http://h:8774/',
                         'https://h/compute'):
            self.assertEqual(endpoint.rstrip('/') + '/v2.1',
                             client.versioned(endpoint))

    def test_versioned_kept(self):
        for endpoint in ('http://h:8774/v2.1', 'http://h:8774/v2.1/',
                         'http://h:8774/v2.1/p1', 'http://h/compute/v2',
                         'http://h/compute/v2.1/p1/'):
            self.assertEqual(endpoint.rstrip('/'),
                             client.versioned(endpoint))


class ConsoleClientTest(testtools.TestCase):

    def client(self, routes):
        self.session = fakes.Session(routes)
        return client.ConsoleClient(self.session, 'http://h:8774/v2.1/p1')

    def test_no_endpoint(self):
        self.assertRaises(exceptions.CommandError, client.ConsoleClient,
                          fakes.Session({}), None)

    def test_list_sends_repeated_statuses_and_skips_unset(self):
        api = self.client({('GET', '/v2.1/p1/os-console-sessions'):
                           fakes.Response(200, {'console_sessions':
                                                [SESSION]})})
        self.assertEqual([SESSION], api.list_sessions(
            status=['issued', 'active'], server_id=None, limit=5))
        self.assertEqual(
            [('GET', 'http://h:8774/v2.1/p1/os-console-sessions',
              [('limit', 5), ('status', 'issued'), ('status', 'active')])],
            self.session.requests)

    def test_show_and_delete(self):
        api = self.client({
            ('GET', '/v2.1/p1/os-console-sessions/s1'):
                fakes.Response(200, {'console_session': SESSION}),
            ('DELETE', '/v2.1/p1/os-console-sessions/s1'):
                fakes.Response(202),
            ('DELETE', '/v2.1/p1/servers/srv1/os-console-sessions'):
                fakes.Response(202)})
        self.assertEqual(SESSION, api.get_session('s1'))
        self.assertIsNone(api.delete_session('s1'))
        self.assertIsNone(api.delete_server_sessions('srv1'))

    def test_ids_are_quoted(self):
        api = self.client({})
        self.assertRaises(exceptions.NotFound, api.get_session, '../x y')
        self.assertEqual('http://h:8774/v2.1/p1/os-console-sessions/'
                         '..%2Fx%20y', self.session.requests[0][1])

    def test_faults_carry_the_message(self):
        api = self.client({
            ('DELETE', '/v2.1/p1/os-console-sessions/s1'): fakes.Response(
                409, {'conflictingRequest': {
                    'code': 409, 'message': 'already ended (revoked)'}}),
            ('GET', '/v2.1/p1/os-console-sessions'): fakes.Response(
                403, {'forbidden': {'code': 403,
                                    'message': 'Policy says no'}}),
            ('GET', '/v2.1/p1/os-console-sessions/s2'): fakes.Response(500)})
        error = self.assertRaises(exceptions.CommandError,
                                  api.delete_session, 's1')
        self.assertEqual('already ended (revoked) (HTTP 409)', str(error))
        error = self.assertRaises(exceptions.CommandError,
                                  api.list_sessions)
        self.assertEqual('Policy says no (HTTP 403)', str(error))
        error = self.assertRaises(exceptions.CommandError,
                                  api.get_session, 's2')
        self.assertEqual('Reason 500 (HTTP 500)', str(error))
        error = self.assertRaises(exceptions.NotFound, api.get_session, 's3')
        self.assertIn('no route', str(error))

    def test_find_server(self):
        servers = {'servers': [{'id': 'id-a', 'name': 'web'},
                               {'id': 'id-b', 'name': 'db'},
                               {'id': 'id-c', 'name': 'db'}]}
        api = self.client({
            ('GET', '/v2.1/p1/servers/id-a'): fakes.Response(
                200, {'server': {'id': 'id-a', 'name': 'web'}}),
            ('GET', '/v2.1/p1/servers'): fakes.Response(200, servers)})
        self.assertEqual('id-a', api.find_server('id-a'))
        self.assertEqual('id-a', api.find_server('web'))
        self.assertEqual(None, self.session.requests[-1][2])
        self.assertEqual('id-a', api.find_server('web', all_projects=True))
        self.assertEqual({'all_tenants': '1'}, self.session.requests[-1][2])
        self.assertIn('More than one server',
                      str(self.assertRaises(exceptions.CommandError,
                                            api.find_server, 'db')))
        self.assertIn("No server with a name or ID of 'nope'",
                      str(self.assertRaises(exceptions.CommandError,
                                            api.find_server, 'nope')))


class PluginTest(testtools.TestCase):

    def test_make_client_uses_the_compute_endpoint(self):
        asked = []

        class Instance(object):
            region_name = 'RegionOne'
            interface = 'internal'
            session = fakes.Session({})

            def get_endpoint_for_service_type(self, service_type, **kwargs):
                asked.append((service_type, kwargs))
                return 'http://h:8774/'

        made = plugin.make_client(Instance())
        self.assertEqual('http://h:8774/v2.1', made.endpoint)
        self.assertIs(Instance.session, made.session)
        self.assertEqual([('compute', {'region_name': 'RegionOne',
                                       'interface': 'internal'})], asked)

    def test_option_parser(self):
        import argparse
        parser = plugin.build_option_parser(argparse.ArgumentParser())
        self.assertEqual('1', parser.parse_args(
            ['--os-console-api-version', '1']).os_console_api_version)
        self.assertIn(plugin.DEFAULT_API_VERSION, plugin.API_VERSIONS)
