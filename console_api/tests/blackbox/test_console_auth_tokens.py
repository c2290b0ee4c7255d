"""``GET /os-console-auth-tokens/{token}`` per microversion, and its errors."""

from tempest.lib import decorators

from console_api.tests.blackbox import base
from console_api.tests.blackbox import schemas


class ConsoleAuthTokensTest(base.BlackboxTestCase):

    @decorators.idempotent_id('908f25b2-689a-4939-8ae3-5af36c1321fa')
    def test_show_at_each_microversion(self):
        token = self.open_console('vnc')
        for version in ('2.31', '2.98', '2.99', '2.100'):
            response = self.tokens.show_console_auth_token(token, version)
            self.assertSchema(schemas.console_auth_token(version, 'novnc'),
                              response)
            self.assertVersionEcho(version, response)
            console = response.body['console']
            self.assertEqual(self.server_id, console['instance_uuid'])
            self.assertNotIn('tls_port', console)

    @decorators.idempotent_id('ac03086c-026a-404c-af09-9e78892079d7')
    def test_novnc_token_before_2_31_is_401(self):
        token = self.open_console('vnc')
        response = self.tokens.show_console_auth_token(token, '2.30')
        self.assertFault(401, response, 'unauthorized')

    @decorators.idempotent_id('093301ca-69b9-4fa9-b4fa-f4f42fed395c')
    def test_unknown_token_is_404(self):
        response = self.tokens.show_console_auth_token(
            '11111111-2222-4333-8444-555555555555')
        self.assertFault(404, response, 'itemNotFound')

    @decorators.idempotent_id('6bb72c72-dac8-4aad-a8e4-5978c15e8f79')
    def test_member_is_forbidden(self):
        token = self.open_console('vnc')
        response = self.member_tokens.show_console_auth_token(token)
        self.assertFault(403, response, 'forbidden')

    @decorators.idempotent_id('42645e73-f37a-4d82-ba85-9796723b9a68')
    def test_unknown_query_parameter(self):
        token = self.open_console('vnc')
        response = self.tokens.show_console_auth_token(
            token, '2.99', params={'foo': 'bar'})
        self.assertFault(400, response, 'badRequest')
        # Ignored before 2.99.
        response = self.tokens.show_console_auth_token(
            token, '2.98', params={'foo': 'bar'})
        self.assertStatus(200, response)

    @decorators.idempotent_id('ea4d5369-62b1-4a4a-bbba-ab2d5567e1b5')
    def test_wrong_method_is_405(self):
        token = self.open_console('vnc')
        response = self.tokens.request(
            'DELETE', '/v2.1/os-console-auth-tokens/%s' % token,
            version='2.31')
        self.assertFault(405, response)
        self.assertIn('GET', response.headers.get('Allow', ''))
