"""``GET /os-console-auth-tokens/{token}`` (spec B 3.1, A3)."""

import uuid

from oslo_serialization import jsonutils
from oslo_utils import fixture as utils_fixture

from console_api.tests.functional.api import checks
from console_api.tests.functional import base

BASE_KEYS = ['host', 'instance_uuid', 'internal_access_path', 'port']

# protocol, type, microversion to create it at
CONSOLES = {
    'novnc': ('vnc', 'novnc', '2.6'),
    'spice-html5': ('spice', 'spice-html5', '2.6'),
    'spice-direct': ('spice', 'spice-direct', '2.99'),
    'serial': ('serial', 'serial', '2.6'),
    'rdp-html5': ('rdp', 'rdp-html5', '2.6'),
    'webmks': ('mks', 'webmks', '2.8'),
}


class ConsoleAuthTokensTest(base.APITestCase):

    def token(self, console_type, key='all'):
        protocol, console_type, version = CONSOLES[console_type]
        response = self.console(key, protocol, console_type, version=version)
        self.assertEqual(200, response.status_int, response.body)
        return checks.token_from_url(
            jsonutils.loads(response.body)['remote_console']['url'])

    def show(self, token, version=None, query='', **kwargs):
        kwargs.setdefault('user', 'admin')
        return self.api('GET', '/v2.1/os-console-auth-tokens/%s%s'
                        % (token, query), version=version, **kwargs)

    def test_rdp_token_before_2_31(self):
        token = self.token('rdp-html5')
        for version in (None, '2.1', '2.30'):
            response = self.show(token, version)
            self.assertEqual(200, response.status_int, response.body)
            console = jsonutils.loads(response.body)['console']
            self.assertEqual(BASE_KEYS, sorted(console))
            self.assertEqual(self.servers['all']['uuid'],
                             console['instance_uuid'])
            self.assertEqual(base.RDP['host'], console['host'])
            self.assertEqual(base.RDP['port'], console['port'])
            self.assertIsNone(console['internal_access_path'])

    def test_other_types_are_401_before_2_31(self):
        for console_type in ('novnc', 'spice-html5', 'serial', 'webmks',
                             'spice-direct'):
            token = self.token(console_type)
            for version in ('2.1', '2.30'):
                response = self.show(token, version)
                self.assertFault(
                    response, 401, 'unauthorized',
                    'The requested console type details are not accessible')

    def test_every_type_from_2_31(self):
        for console_type in CONSOLES:
            token = self.token(console_type)
            for version in ('2.31', '2.98'):
                response = self.show(token, version)
                self.assertEqual(200, response.status_int, response.body)
                console = jsonutils.loads(response.body)['console']
                self.assertEqual(BASE_KEYS, sorted(console))
                self.assertEqual(self.servers['all']['uuid'],
                                 console['instance_uuid'])

    def test_mks_access_path_is_returned(self):
        console = jsonutils.loads(self.show(self.token('webmks'),
                                            '2.31').body)['console']
        self.assertEqual(base.MKS['internal_access_path'],
                         console['internal_access_path'])
        self.assertEqual(base.MKS['port'], console['port'])

    def test_tls_port_only_for_spice_direct_from_2_99(self):
        token = self.token('spice-direct')
        for version in ('2.99', '2.104', 'latest'):
            response = self.show(token, version)
            body = checks.validate(self, checks.CONSOLE_AUTH_TOKEN_V299,
                                   response)
            console = body['console']
            self.assertEqual(BASE_KEYS + ['tls_port'], sorted(console))
            self.assertEqual(base.SPICE['tls_port'], console['tls_port'])
            self.assertEqual(base.SPICE['port'], console['port'])
            self.assertIsNone(console['internal_access_path'])
        console = jsonutils.loads(self.show(token, '2.98').body)['console']
        self.assertNotIn('tls_port', console)

    def test_no_tls_port_for_other_types_at_2_99(self):
        for console_type in ('spice-html5', 'novnc', 'rdp-html5'):
            response = self.show(self.token(console_type), '2.99')
            body = checks.validate(self, checks.CONSOLE_AUTH_TOKEN_V299,
                                   response)
            self.assertEqual(BASE_KEYS, sorted(body['console']))

    def test_unknown_query_parameter(self):
        token = self.token('novnc')
        response = self.show(token, '2.99', query='?foo=bar')
        self.assertFault(response, 400, 'badRequest',
                         "Additional properties are not allowed ('foo' was "
                         "unexpected)")
        response = self.show(token, '2.98', query='?foo=bar')
        self.assertEqual(200, response.status_int)

    def test_unknown_garbage_and_long_tokens(self):
        for token in (str(uuid.uuid4()), 'garbage', 'a' * 300,
                      str(uuid.uuid4()).upper() + 'x'):
            for version in ('2.1', '2.31', '2.99'):
                response = self.show(token, version)
                self.assertFault(response, 404, 'itemNotFound',
                                 'Token not found')
                self.assertNotIn(token.encode(), response.body)

    def test_expired_token(self):
        clock = self.useFixture(utils_fixture.TimeFixture())
        token = self.token('novnc')
        ttl = base.CONF.consoleauth.token_ttl
        clock.advance_time_seconds(ttl - 1)
        self.assertEqual(200, self.show(token, '2.31').status_int)
        clock.advance_time_seconds(1)
        response = self.show(token, '2.31')
        self.assertFault(response, 404, 'itemNotFound', 'Token not found')

    def test_token_is_reusable_until_expiry(self):
        token = self.token('rdp-html5')
        for _ in range(3):
            self.assertEqual(200, self.show(token).status_int)

    def test_token_revoked_when_server_leaves_host(self):
        token = self.token('novnc')
        del self.servers['all']
        self.write_inventory()
        self.agent.manager.sync_inventory()
        self.assertFault(self.show(token, '2.31'), 404, 'itemNotFound')

    def test_policy_before_lookup(self):
        token = self.token('rdp-html5')
        for candidate in (token, str(uuid.uuid4())):
            for version in ('2.1', '2.31', '2.99'):
                response = self.show(candidate, version, user='demo')
                self.assertFault(
                    response, 403, 'forbidden',
                    "Policy doesn't allow os_compute_api:"
                    "os-console-auth-tokens to be performed.")

    def test_admin_of_another_project(self):
        token = self.token('rdp-html5')
        response = self.show(token, project=base.OTHER_PROJECT)
        self.assertEqual(200, response.status_int)
