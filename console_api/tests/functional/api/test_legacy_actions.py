"""Legacy ``POST /servers/{id}/action`` console actions (spec B 2, A2, A5)."""

import re

import fixtures

from console_api import exception
from console_api.tests.functional.api import checks
from console_api.tests.functional import base

ACTIONS = [
    ('os-getVNCConsole', 'novnc', 'vnc',
     r'^http://127\.0\.0\.1:6080/vnc_auto\.html\?path=%3Ftoken%3D'),
    ('os-getSPICEConsole', 'spice-html5', 'spice',
     r'^http://127\.0\.0\.1:6082/spice_auto\.html\?token='),
    ('os-getSerialConsole', 'serial', 'serial_console',
     r'^ws://127\.0\.0\.1:6083/\?token='),
    ('os-getRDPConsole', 'rdp-html5', 'rdp',
     r'^http://127\.0\.0\.1:6083/\?token='),
]


class LegacyActionsTest(base.APITestCase):

    def action(self, key, body, version=None, **kwargs):
        return self.api('POST', '/v2.1/servers/%s/action'
                        % self.servers[key]['uuid'], body=body,
                        version=version, **kwargs)

    def test_every_action_at_2_1_to_2_5(self):
        for version in (None, '2.1', '2.5'):
            for name, console_type, _group, url_re in ACTIONS:
                response = self.action('all', {name: {'type': console_type}},
                                       version=version)
                body = checks.validate(self, checks.LEGACY_CONSOLE, response)
                self.assertEqual(console_type, body['console']['type'])
                self.assertRegex(body['console']['url'],
                                 url_re + checks.UUID_RE + '$')

    def test_legacy_header_form(self):
        response = self.action(
            'all', {'os-getVNCConsole': {'type': 'novnc'}},
            headers={'X-OpenStack-Nova-API-Version': '2.3'})
        self.assertEqual(200, response.status_int)
        self.assertEqual('2.3',
                         response.headers['X-OpenStack-Nova-API-Version'])

    def test_actions_gone_at_2_6(self):
        for version in ('2.6', '2.99', 'latest'):
            for name, console_type, _group, _url in ACTIONS:
                response = self.action('all', {name: {'type': console_type}},
                                       version=version)
                self.assertFault(response, 404, 'itemNotFound',
                                 'The resource could not be found.')

    def test_unknown_action(self):
        for version in ('2.1', '2.6'):
            response = self.action('all', {'os-start': None},
                                   version=version)
            self.assertFault(response, 400, 'badRequest',
                             'There is no such action: os-start')

    def test_body_must_have_exactly_one_key(self):
        for body in ({'os-getVNCConsole': {'type': 'novnc'},
                      'os-getSPICEConsole': {'type': 'spice-html5'}},
                     {}, [], 'os-getVNCConsole'):
            response = self.action('all', body)
            self.assertFault(response, 400, 'badRequest',
                             'Malformed request body')
        response = self.api('POST', '/v2.1/servers/%s/action'
                            % self.servers['all']['uuid'], raw_body=b'')
        self.assertFault(response, 400, 'badRequest',
                         'Malformed request body')

    def test_schema_errors(self):
        cases = [
            ({'os-getVNCConsole': {}},
             "Invalid input for field/attribute os-getVNCConsole. Value: {}. "
             "'type' is a required property"),
            ({'os-getVNCConsole': {'type': 'novnc', 'x': 1}},
             "Additional properties are not allowed ('x' was unexpected)"),
            ({'os-getSerialConsole': {'type': 'novnc'}},
             "Invalid input for field/attribute type. Value: novnc. 'novnc' "
             "is not one of ['serial']"),
            ({'os-getSPICEConsole': {'type': 'spice-direct'}},
             "'spice-direct' is not one of ['spice-html5']"),
            ({'os-getRDPConsole': None},
             "Invalid input for field/attribute os-getRDPConsole. Value: "
             "None. None is not of type 'object'"),
        ]
        for body, message in cases:
            response = self.action('all', body)
            self.assertIn(message,
                          self.assertFault(response, 400, 'badRequest'))

    def test_xvpvnc_is_400(self):
        response = self.action('all', {'os-getVNCConsole': {'type': 'xvpvnc'}})
        self.assertFault(response, 400, 'badRequest',
                         'Invalid console type xvpvnc')

    def test_type_errors_need_no_database_or_rpc(self):
        statements = checks.sql_statements(self)
        rpc = self.useFixture(fixtures.MockPatch(
            'console_api.compute.rpcapi.ConsoleAgentAPI.get_console')).mock
        self.flags.config(enabled=False, group='spice')
        for body, message in (
                ({'os-getVNCConsole': {'type': 'xvpvnc'}},
                 'Invalid console type xvpvnc'),
                ({'os-getSPICEConsole': {'type': 'spice-html5'}},
                 'Unavailable console type spice-html5.')):
            response = self.api('POST', '/v2.1/servers/nope/action',
                                body=body)
            self.assertFault(response, 400, 'badRequest', message)
        self.assertEqual([], statements)
        rpc.assert_not_called()

    def test_invalid_task_state_is_409_on_every_action(self):
        for name, console_type, _group, _url in ACTIONS:
            for key in ('deleting', 'migrating'):
                response = self.action(key, {name: {'type': console_type}})
                self.assertFault(response, 409, 'conflictingRequest',
                                 'while it is in task_state %s' % key)

    def test_not_running_is_409(self):
        response = self.action('stopped',
                               {'os-getVNCConsole': {'type': 'novnc'}})
        self.assertFault(response, 409, 'conflictingRequest', 'not running')

    def test_disabled_type_is_400(self):
        for name, console_type, group, _url in ACTIONS:
            self.flags.config(enabled=False, group=group)
            response = self.action('all', {name: {'type': console_type}})
            self.assertFault(response, 400, 'badRequest',
                             'Unavailable console type %s.' % console_type)

    def test_guest_without_device_is_400(self):
        response = self.action('vnc_only',
                               {'os-getRDPConsole': {'type': 'rdp-html5'}})
        self.assertFault(response, 400, 'badRequest',
                         'Unavailable console type rdp-html5.')

    def test_rdp_driver_unsupported_is_501(self):
        self.useFixture(fixtures.MockPatchObject(
            self.agent.driver, 'get_rdp_console',
            side_effect=exception.ConsoleNotSupported()))
        response = self.action('all',
                               {'os-getRDPConsole': {'type': 'rdp-html5'}})
        self.assertFault(response, 501, 'notImplemented')

    def test_unknown_and_other_projects_server(self):
        body = {'os-getVNCConsole': {'type': 'novnc'}}
        response = self.action('other', body)
        self.assertFault(response, 404, 'itemNotFound',
                         'Instance %s could not be found.'
                         % self.servers['other']['uuid'])
        response = self.api('POST', '/v2.1/servers/nope/action', body=body)
        self.assertFault(response, 404, 'itemNotFound',
                         'Instance nope could not be found.')

    def test_admin_on_other_project(self):
        response = self.action('other',
                               {'os-getVNCConsole': {'type': 'novnc'}},
                               user='admin')
        self.assertEqual(200, response.status_int)

    def test_agent_down_is_409(self):
        uuid = self.add_remote_instance('compute-7')
        response = self.api('POST', '/v2.1/servers/%s/action' % uuid,
                            body={'os-getSPICEConsole':
                                  {'type': 'spice-html5'}})
        self.assertFault(response, 409, 'conflictingRequest', 'compute-7')

    def test_url_token_is_usable(self):
        response = self.action('all', {'os-getRDPConsole':
                                       {'type': 'rdp-html5'}})
        token = checks.token_from_url(
            checks.validate(self, checks.LEGACY_CONSOLE,
                            response)['console']['url'])
        self.assertTrue(re.match(checks.UUID_RE + '$', token))
        details = self.admin('GET', '/v2.1/os-console-auth-tokens/' + token)
        self.assertEqual(200, details.status_int, details.body)
