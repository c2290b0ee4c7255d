"""``POST /servers/{id}/remote-consoles`` per microversion, and its errors."""

from tempest.lib import decorators

from console_api.tests.blackbox import base
from console_api.tests.blackbox import schemas

UNKNOWN = '00000000-0000-4000-8000-000000000000'


class RemoteConsolesTest(base.BlackboxTestCase):

    @decorators.idempotent_id('fc24bcfb-9a80-4994-b23d-05839c54b841')
    def test_vnc_at_each_console_microversion(self):
        for version in ('2.6', '2.8', '2.31', '2.98', '2.99', '2.100'):
            self.open_console('vnc', version)

    @decorators.idempotent_id('21a1ca90-416e-4aea-9f65-6bf5bb8263ef')
    def test_every_configured_protocol(self):
        for protocol in self.conf.protocols:
            token = self.open_console(protocol)
            response = self.tokens.show_console_auth_token(token)
            self.assertStatus(200, response)
            self.assertEqual(self.server_id,
                             response.body['console']['instance_uuid'])

    @decorators.idempotent_id('60e34a35-ab4b-449e-b5f0-fe629e5f9ec6')
    def test_latest_is_answered_with_the_maximum(self):
        response = self.servers.get_remote_console(
            self.server_id, 'vnc', 'novnc', version='latest')
        self.assertStatus(200, response)
        served = response.headers['X-OpenStack-Nova-API-Version']
        self.assertSchema(schemas.remote_consoles(served), response)

    @decorators.idempotent_id('8266323f-299a-4587-ac8b-eff6a52f6179')
    def test_legacy_version_header(self):
        response = self.servers.get_remote_console(
            self.server_id, 'vnc', 'novnc', version='2.6',
            legacy_version_header=True)
        self.assertSchema(schemas.remote_consoles('2.6'), response)
        self.assertVersionEcho('2.6', response)

    @decorators.idempotent_id('2c653c4c-9efd-4c0d-b787-212983bcc2eb')
    def test_before_2_6_is_404(self):
        response = self.servers.get_remote_console(
            self.server_id, 'vnc', 'novnc', version='2.5')
        self.assertFault(404, response, 'itemNotFound')

    @decorators.idempotent_id('bcf0680f-b89b-45af-8b71-e4ef60ffb246')
    def test_unknown_server_is_404(self):
        response = self.servers.get_remote_console(UNKNOWN, 'vnc', 'novnc')
        self.assertFault(404, response, 'itemNotFound')

    @decorators.idempotent_id('6e906745-7714-45b9-8ba0-4bc40ebd2fbc')
    def test_other_projects_server_is_404(self):
        other = self.optional('other_server_id')
        response = self.servers.get_remote_console(other, 'vnc', 'novnc')
        self.assertFault(404, response, 'itemNotFound')

    @decorators.idempotent_id('19c7d5fc-61e7-4250-82a1-56e38cbb0710')
    def test_bad_bodies_are_400(self):
        path = '/v2.1/servers/%s/remote-consoles' % self.server_id
        for body in ({'remote_console': {'protocol': 'vnc'}},
                     {'remote_console': {'protocol': 'vnc', 'type': 'novnc',
                                         'extra': 1}},
                     {'remote_console': {'protocol': 'telnet',
                                         'type': 'novnc'}},
                     {'console': {'protocol': 'vnc', 'type': 'novnc'}}):
            response = self.servers.request('POST', path, body=body,
                                            version='2.6')
            self.assertFault(400, response, 'badRequest')
        response = self.servers.request('POST', path, raw_body='{not json',
                                        version='2.6')
        self.assertFault(400, response, 'badRequest')

    @decorators.idempotent_id('253a3baa-01e8-4f52-9574-2cf8e0fa86f6')
    def test_mismatched_and_retired_types_are_400(self):
        for protocol, console_type in (('vnc', 'xvpvnc'),
                                       ('vnc', 'spice-html5'),
                                       ('serial', 'novnc')):
            response = self.servers.get_remote_console(
                self.server_id, protocol, console_type)
            self.assertFault(400, response, 'badRequest')

    @decorators.idempotent_id('55662d07-1246-41c0-9826-9064282a0ef5')
    def test_mks_needs_2_8(self):
        response = self.servers.get_remote_console(
            self.server_id, 'mks', 'webmks', version='2.7')
        self.assertFault(400, response, 'badRequest')

    @decorators.idempotent_id('4e784edc-21cc-4da1-b4a6-e4387c6c46bd')
    def test_stopped_server_is_409(self):
        stopped = self.optional('stopped_server_id')
        response = self.servers.get_remote_console(stopped, 'vnc', 'novnc')
        self.assertFault(409, response, 'conflictingRequest')

    @decorators.idempotent_id('1e35be79-aedc-4112-b5e0-a7f1027ae329')
    def test_no_token_is_401(self):
        response = self.anon_servers.get_remote_console(
            self.server_id, 'vnc', 'novnc')
        self.assertFault(401, response)

    @decorators.idempotent_id('90366550-bf92-4b18-a169-5f1d1e5e86a6')
    def test_wrong_method_is_405(self):
        response = self.servers.request(
            'GET', '/v2.1/servers/%s/remote-consoles' % self.server_id,
            version='2.6')
        self.assertFault(405, response)
        self.assertIn('POST', response.headers.get('Allow', ''))

    @decorators.idempotent_id('ba211a83-88cd-4b96-8af2-6a932d2641ce')
    def test_malformed_and_unsupported_versions(self):
        for version, code in (('2', 400), ('2.01', 400), ('Latest', 400),
                              ('2.0', 406), ('3.1', 406), ('2.9999', 406)):
            response = self.servers.get_remote_console(
                self.server_id, 'vnc', 'novnc', version=version)
            self.assertFault(code, response)
