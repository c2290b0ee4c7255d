"""Read-only ``/servers`` from the agents' inventory (spec A11)."""

from oslo_serialization import jsonutils

from console_api.tests.functional import base

HOST_ATTR = 'OS-EXT-SRV-ATTR:host'
OWN = {'all', 'vnc-only', 'stopped', 'paused', 'deleting', 'migrating'}


class ServersTest(base.APITestCase):

    def get(self, path, **kwargs):
        response = self.api('GET', '/v2.1' + path, **kwargs)
        self.assertEqual(200, response.status_int, response.body)
        return jsonutils.loads(response.body)

    def names(self, body):
        return {server['name'] for server in body['servers']}

    def test_index_shows_own_project(self):
        body = self.get('/servers')
        self.assertEqual(OWN, self.names(body))
        for server in body['servers']:
            self.assertEqual(['id', 'links', 'name'], sorted(server))
        self.assertEqual(
            {'other'}, self.names(self.get('/servers',
                                           project=base.OTHER_PROJECT)))

    def test_links(self):
        uuid = self.servers['all']['uuid']
        server = self.get('/servers/%s' % uuid)['server']
        self.assertEqual(
            [{'rel': 'self', 'href': 'http://localhost/v2.1/%s/servers/%s'
              % (base.PROJECT, uuid)},
             {'rel': 'bookmark', 'href': 'http://localhost/%s/servers/%s'
              % (base.PROJECT, uuid)}],
            server['links'])

    def test_detail(self):
        servers = {s['name']: s for s in self.get('/servers/detail')[
            'servers']}
        self.assertEqual(OWN, set(servers))
        self.assertEqual('ACTIVE', servers['all']['status'])
        self.assertEqual('SHUTOFF', servers['stopped']['status'])
        self.assertEqual('PAUSED', servers['paused']['status'])
        self.assertEqual('deleting',
                         servers['deleting']['OS-EXT-STS:task_state'])
        for server in servers.values():
            self.assertEqual(base.PROJECT, server['tenant_id'])
            self.assertNotIn(HOST_ATTR, server)

    def test_admin_sees_host(self):
        servers = self.get('/servers/detail', user='admin')['servers']
        self.assertTrue(servers)
        for server in servers:
            self.assertEqual(base.HOST, server[HOST_ATTR])
        uuid = self.servers['all']['uuid']
        server = self.get('/servers/%s' % uuid, user='admin')['server']
        self.assertEqual(base.HOST, server[HOST_ATTR])
        self.assertNotIn(HOST_ATTR, self.get('/servers/%s' % uuid)['server'])

    def test_admin_listing_is_own_project_without_all_tenants(self):
        self.assertEqual(OWN, self.names(self.get('/servers', user='admin')))

    def test_all_tenants(self):
        everything = OWN | {'other'}
        for path in ('/servers?all_tenants=1', '/servers/detail?all_tenants'
                     '=True'):
            self.assertEqual(everything,
                             self.names(self.get(path, user='admin')))
        self.assertEqual(
            {'other'}, self.names(self.get(
                '/servers?all_tenants=1&project_id=%s' % base.OTHER_PROJECT,
                user='admin')))
        self.assertEqual(OWN, self.names(self.get(
            '/servers?all_tenants=0', user='admin')))

    def test_all_tenants_forbidden_for_members(self):
        for path in ('/servers?all_tenants=1', '/servers/detail?all_tenants'
                     '=1'):
            response = self.api('GET', '/v2.1' + path)
            self.assertFault(response, 403, 'forbidden', 'get_all_tenants')

    def test_unknown_query_parameters_ignored(self):
        self.assertEqual(OWN, self.names(self.get('/servers?limit=5&x=y')))

    def test_show(self):
        entry = self.servers['paused']
        server = self.get('/servers/%s' % entry['uuid'])['server']
        self.assertEqual(entry['uuid'], server['id'])
        self.assertEqual('paused', server['name'])
        self.assertEqual('PAUSED', server['status'])
        self.assertEqual(base.PROJECT, server['tenant_id'])
        self.assertEqual(entry['user_id'], server['user_id'])

    def test_show_other_project_is_404(self):
        uuid = self.servers['other']['uuid']
        response = self.api('GET', '/v2.1/servers/%s' % uuid)
        self.assertFault(response, 404, 'itemNotFound',
                         'Instance %s could not be found.' % uuid)
        self.assertEqual('other', self.get('/servers/%s' % uuid,
                                           user='admin')['server']['name'])

    def test_show_unknown_and_non_uuid(self):
        for server_id in ('nope', '11111111-2222-4333-8444-555555555555'):
            response = self.api('GET', '/v2.1/servers/%s' % server_id)
            self.assertFault(response, 404, 'itemNotFound',
                             'Instance %s could not be found.' % server_id)

    def test_inventory_changes_after_sync(self):
        gone = self.servers.pop('paused')['uuid']
        self.servers['new'] = base.server('new', vnc=base.VNC)
        self.write_inventory()
        self.agent.manager.sync_inventory()
        self.assertEqual(OWN - {'paused'} | {'new'},
                         self.names(self.get('/servers')))
        self.assertFault(self.api('GET', '/v2.1/servers/%s' % gone), 404,
                         'itemNotFound')

    def test_server_on_a_host_without_agent_is_listed(self):
        uuid = self.add_remote_instance('compute-5', name='far')
        self.assertIn('far', self.names(self.get('/servers')))
        server = self.get('/servers/%s' % uuid, user='admin')['server']
        self.assertEqual('compute-5', server[HOST_ATTR])

    def test_project_prefixed_paths(self):
        self.assertEqual(OWN, self.names(self.get('/%s/servers'
                                                  % base.PROJECT)))
        self.assertEqual(OWN, self.names(self.get('/%s/servers/detail'
                                                  % base.PROJECT)))
