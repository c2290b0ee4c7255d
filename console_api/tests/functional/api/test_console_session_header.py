"""Console requests name their session in ``X-Console-Session-Id`` (C0, C1).

Nova's bodies stay exactly as they are (tempest's schemas, which forbid
extra properties, still pass); the session id travels in a header, and the
session records the requester and the server's project, also when the
agents are pinned to RPC 1.0.
"""

from oslo_serialization import jsonutils

from console_api.api.controllers import common
from console_api.console import types as console_types
from console_api.tests.functional.api import checks
from console_api.tests.functional import base

# (protocol, type, first microversion) of every console the fake agent
# serves for the 'all' server.
CONSOLES = [('vnc', 'novnc', '2.6'), ('spice', 'spice-html5', '2.6'),
            ('serial', 'serial', '2.6'), ('rdp', 'rdp-html5', '2.6'),
            ('mks', 'webmks', '2.8'), ('spice', 'spice-direct', '2.99')]
# xvpvnc is refused everywhere (spec A5): nothing to name.
LEGACY = [(row.action, row.type, row.protocol)
          for row in console_types.TYPES if row.action and row.url_option]


class SessionHeaderTest(base.APITestCase):

    def session_of(self, response):
        session_id = response.headers.get(common.SESSION_HEADER)
        self.assertRegex(session_id or '', '^%s$' % checks.UUID_RE)
        shown = self.api('GET', '/v2.1/os-console-sessions/%s' % session_id,
                         user='admin')
        self.assertEqual(200, shown.status_int, shown.body)
        return jsonutils.loads(shown.body)['console_session']

    def check_session(self, session, protocol, console_type, user='demo'):
        self.assertEqual(
            {'server_id': self.servers['all']['uuid'],
             'project_id': base.PROJECT, 'user_id': user,
             'protocol': protocol, 'type': console_type,
             'status': 'issued', 'view_only': False},
            {key: session[key] for key in (
                'server_id', 'project_id', 'user_id', 'protocol', 'type',
                'status', 'view_only')})

    def test_remote_consoles(self):
        for protocol, console_type, first in CONSOLES:
            response = self.console('all', protocol, console_type,
                                    version=first)
            body = checks.validate(
                self, checks.remote_console_schema(first), response)
            self.assertEqual(['remote_console'], list(body))
            self.check_session(self.session_of(response), protocol,
                               console_type)

    def test_remote_consoles_latest(self):
        response = self.console('all', 'vnc', 'novnc', version='latest')
        checks.validate(self, checks.remote_console_schema('2.104'),
                        response)
        self.check_session(self.session_of(response), 'vnc', 'novnc')

    def test_legacy_actions(self):
        self.assertEqual(4, len(LEGACY))
        for action, console_type, protocol in LEGACY:
            for version in (None, '2.5'):
                response = self.api(
                    'POST', '/v2.1/servers/%s/action'
                    % self.servers['all']['uuid'],
                    body={action: {'type': console_type}}, version=version)
                body = checks.validate(self, checks.LEGACY_CONSOLE, response)
                self.assertEqual(['console'], list(body))
                self.check_session(self.session_of(response), protocol,
                                   console_type)

    def test_user_of_the_requester_project_of_the_server(self):
        response = self.console('all', 'vnc', 'novnc', user='admin',
                                project=base.OTHER_PROJECT)
        self.assertEqual(200, response.status_int, response.body)
        self.check_session(self.session_of(response), 'vnc', 'novnc',
                           user='admin')

    def test_errors_carry_no_header(self):
        response = self.console('stopped', 'vnc', 'novnc')
        self.assertFault(response, 409, 'conflictingRequest')
        self.assertNotIn(common.SESSION_HEADER, response.headers)


class SessionHeaderWithOldAgentsTest(SessionHeaderTest):
    """``[upgrade_levels] console_agent = 1.0``: the API records it."""

    def configure(self):
        self.flags.config(console_agent='1.0', group='upgrade_levels')

    def setUp(self):
        super().setUp()
        self.assertFalse(
            self.services.compute.agent_rpcapi.can_record_sessions())
