"""The legacy ``os-get*Console`` server actions (2.1 to 2.5)."""

from tempest.lib import decorators

from console_api.tests.blackbox import base
from console_api.tests.blackbox import clients
from console_api.tests.blackbox import schemas

ACTIONS = {'vnc': ('os-getVNCConsole', 'novnc'),
           'spice': ('os-getSPICEConsole', 'spice-html5'),
           'serial': ('os-getSerialConsole', 'serial'),
           'rdp': ('os-getRDPConsole', 'rdp-html5')}


class LegacyConsoleActionsTest(base.BlackboxTestCase):

    @decorators.idempotent_id('848c0da0-8a78-4380-addd-353518f2217e')
    def test_vnc_action_without_and_with_versions(self):
        for version in (None, '2.1', '2.5'):
            response = self.servers.server_action(
                self.server_id, 'os-getVNCConsole', 'novnc', version=version)
            self.assertSchema(schemas.LEGACY_CONSOLE, response)
            self.assertEqual('novnc', response.body['console']['type'])
            clients.token_from_url(response.body['console']['url'])

    @decorators.idempotent_id('26098c0a-02dc-4513-8b12-f41f5ff4b4bc')
    def test_every_configured_protocol(self):
        for protocol in self.conf.protocols:
            if protocol not in ACTIONS:
                continue  # WebMKS never had an action.
            action, console_type = ACTIONS[protocol]
            response = self.servers.server_action(
                self.server_id, action, console_type, version='2.1')
            self.assertSchema(schemas.LEGACY_CONSOLE, response)

    @decorators.idempotent_id('cd867a5a-d2e7-4dd8-bf27-7e0deb4a2e4f')
    def test_actions_are_gone_at_2_6(self):
        response = self.servers.server_action(
            self.server_id, 'os-getVNCConsole', 'novnc', version='2.6')
        self.assertFault(404, response, 'itemNotFound')

    @decorators.idempotent_id('6dfd7e1c-eff3-431e-b534-cb51e707aea6')
    def test_unknown_action_is_400(self):
        response = self.servers.server_action(
            self.server_id, 'os-getTelnetConsole', 'telnet', version='2.1')
        self.assertFault(400, response, 'badRequest')

    @decorators.idempotent_id('a6b55228-bb2f-4117-b511-2d351f639423')
    def test_unknown_server_is_404(self):
        response = self.servers.server_action(
            '00000000-0000-4000-8000-000000000000', 'os-getVNCConsole',
            'novnc', version='2.1')
        self.assertFault(404, response, 'itemNotFound')
