"""The read-only servers API that lets tools find servers."""

from tempest.lib import decorators

from console_api.tests.blackbox import base
from console_api.tests.blackbox import schemas


class ServersTest(base.BlackboxTestCase):

    @decorators.idempotent_id('5e172598-2e51-4e1b-a2e5-94d324946f47')
    def test_list_holds_the_configured_server(self):
        response = self.servers.list_servers()
        self.assertSchema(schemas.LIST_SERVERS, response)
        self.assertIn(self.server_id,
                      [s['id'] for s in response.body['servers']])

    @decorators.idempotent_id('746d7031-42c0-4ee2-aad1-b69ab406bb7f')
    def test_list_detail(self):
        response = self.servers.list_servers(detail=True)
        self.assertSchema(schemas.LIST_SERVERS_DETAIL, response)

    @decorators.idempotent_id('cfb62751-75e5-4f59-b41a-43c5e2c4d1a3')
    def test_show(self):
        response = self.servers.show_server(self.server_id)
        self.assertSchema(schemas.GET_SERVER, response)
        self.assertEqual(self.server_id, response.body['server']['id'])

    @decorators.idempotent_id('0411ba82-09fc-4906-8f3f-fbf3a92b8aea')
    def test_unknown_server_is_404(self):
        response = self.servers.show_server(
            '00000000-0000-4000-8000-000000000000')
        self.assertFault(404, response, 'itemNotFound')

    @decorators.idempotent_id('f56f1c87-b7b2-41f0-8d97-a2c22fece516')
    def test_other_projects_server_is_hidden(self):
        other = self.optional('other_server_id')
        self.assertFault(404, self.servers.show_server(other),
                         'itemNotFound')
        listed = self.servers.list_servers().body
        self.assertNotIn(other, [s['id'] for s in listed['servers']])

    @decorators.idempotent_id('652e92bf-75b1-4eba-b5b0-a7f4ad0e1196')
    def test_admin_sees_every_project(self):
        other = self.optional('other_server_id')
        response = self.admin_servers.list_servers(all_tenants='1')
        self.assertSchema(schemas.LIST_SERVERS, response)
        ids = [s['id'] for s in response.body['servers']]
        self.assertIn(other, ids)
        self.assertIn(self.server_id, ids)

    @decorators.idempotent_id('89fb141b-bd77-4687-a2eb-b884902a76da')
    def test_no_token_is_401(self):
        self.assertFault(401, self.anon_servers.list_servers())
