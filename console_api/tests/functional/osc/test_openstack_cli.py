"""``openstack console session ...``: the real CLI against real services.

The installed ``openstack`` command runs as a subprocess, once against
``console-api-aio`` (started in this process on free ports, noauth2) with
``--os-auth-type admin_token``, and once against the keystone pipeline
with the compute endpoint in a real Keystone's catalog (skipped, or failed
under ``CONSOLE_API_TEST_REQUIRE_SERVICES=1``, without Keystone).
"""

import http.client
import json
import os
import subprocess
import sys
import threading
import urllib.parse
from wsgiref import simple_server

import fixtures
from oslo_config import fixture as config_fixture
import testtools
from testtools import content

from console_api.cmd import aio
from console_api.cmd import common as cmd_common
from console_api import conf
from console_api.tests.functional.keystone import base as ks_base
from console_api.tests.functional.keystone import server as ks_server

CONF = conf.CONF
OPENSTACK = os.path.join(os.path.dirname(sys.executable), 'openstack')
TIMEOUT = 120

DEMO_PROJECT = '6f70656e737461636b2064656d6f0001'
DEMO_SERVER = '5d2b3c1a-0e4f-4b6a-9c8d-7e6f5a4b3c21'
ALT_SERVER = 'c1d2e3f4-a5b6-4c7d-9e8f-0a1b2c3d4e89'


class CLIMixin(object):
    """Run the ``openstack`` command and read its JSON output."""

    auth_args = ()

    def check_cli(self):
        if not os.access(OPENSTACK, os.X_OK):
            reason = ('no openstack command at %s: install '
                      'test-requirements.txt (python-openstackclient)'
                      % OPENSTACK)
            if ks_server.services_required():
                self.fail(reason)
            self.skipTest(reason)

    def cli(self, *args, auth_args=None, expect=0):
        """Run ``openstack <auth> <args>``; return its JSON or stderr.

        :param expect: the exit status; when not 0, stderr is returned.
        """
        # Only what the command line says: no OS_* variable of the caller.
        env = {key: value for key, value in os.environ.items()
               if not key.startswith('OS_')}
        env['PYTHONWARNINGS'] = 'ignore'
        argv = [OPENSTACK] + list(auth_args or self.auth_args) + list(args)
        result = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE,
                                universal_newlines=True, timeout=TIMEOUT)
        self.addDetail('openstack %s' % ' '.join(args), content.text_content(
            'rc=%s\n%s\n%s' % (result.returncode, result.stdout,
                               result.stderr)))
        self.assertEqual(expect, result.returncode, result.stderr)
        if expect:
            return result.stderr
        return json.loads(result.stdout) if result.stdout.strip() else None


class NoAuthCLITest(CLIMixin, testtools.TestCase):
    """Against console-api-aio with ``admin_token`` and ``--os-endpoint``."""

    def setUp(self):
        super().setUp()
        self.check_cli()
        state = self.useFixture(fixtures.TempDir()).path
        self.useFixture(config_fixture.Config(CONF))
        defaults = aio.embedded_defaults()
        defaults[(None, 'state_path')] = state
        defaults[(None, 'osapi_compute_listen_port')] = 0
        for group, option in (('vnc', 'novncproxy_port'),
                              ('spice', 'html5proxy_port'),
                              ('serial_console', 'serialproxy_port')):
            defaults[(group, option)] = 0
        cmd_common.parse_config([], config_files=[],
                                default_overrides=defaults)
        self.useFixture(fixtures.MonkeyPatch(
            'console_api.cmd.aio.LOG.warning', lambda *a, **k: None))
        service = aio.AllInOne()
        self.addCleanup(service.stop)
        service.start()
        self.root = 'http://127.0.0.1:%d' % service.api.server.bind_addr[1]
        self.auth_args = self.noauth('alice', DEMO_PROJECT)

    def noauth(self, user, project, endpoint=None):
        return ('--os-auth-type', 'admin_token',
                '--os-token', '%s:%s' % (user, project),
                '--os-endpoint', endpoint or self.root + '/v2.1')

    def open_console(self, user, project, server, protocol, console_type):
        """Open a console over HTTP (quicker than one more CLI run)."""
        connection = http.client.HTTPConnection(
            '127.0.0.1', urllib.parse.urlsplit(self.root).port, timeout=30)
        self.addCleanup(connection.close)
        connection.request(
            'POST', '/v2.1/servers/%s/remote-consoles' % server,
            body=json.dumps({'remote_console': {
                'protocol': protocol, 'type': console_type}}),
            headers={'X-Auth-Token': '%s:%s' % (user, project),
                     'OpenStack-API-Version': 'compute 2.6',
                     'Content-Type': 'application/json'})
        response = connection.getresponse()
        self.assertEqual(200, response.status, response.read())
        return response.getheader('X-Console-Session-Id')

    def test_list_show_delete(self):
        # openstackclient's own command opens the console.
        console = self.cli('console', 'url', 'show', 'demo-web', '-f',
                           'json')
        self.assertIn('token', console['url'])
        [listed] = self.cli('console', 'session', 'list', '--server',
                            'demo-web', '--status', 'issued', '--status',
                            'active', '-f', 'json')
        self.assertEqual((DEMO_SERVER, 'alice', 'novnc', 'issued'),
                         (listed['Server ID'], listed['User ID'],
                          listed['Type'], listed['Status']))
        shown = self.cli('console', 'session', 'show', listed['ID'], '-f',
                         'json')
        self.assertEqual((DEMO_PROJECT, 'vnc', False),
                         (shown['project_id'], shown['protocol'],
                          shown['view_only']))

        self.assertIsNone(self.cli('console', 'session', 'delete',
                                   listed['ID']))
        # The service's root works as an endpoint too.
        shown = self.cli('console', 'session', 'show', listed['ID'], '-f',
                         'json', auth_args=self.noauth(
                             'alice', DEMO_PROJECT, self.root))
        self.assertEqual(('revoked', 'killed'),
                         (shown['status'], shown['close_reason']))
        error = self.cli('console', 'session', 'delete', listed['ID'],
                         expect=1)
        self.assertIn('already ended (revoked)', error)

    def test_all_projects_and_server_wide_delete(self):
        self.open_console('alice', DEMO_PROJECT, DEMO_SERVER, 'vnc', 'novnc')
        self.open_console('admin', 'admin', ALT_SERVER, 'serial', 'serial')
        admin = self.noauth('admin', 'admin')
        error = self.cli('console', 'session', 'list', '--all-projects',
                         expect=1)
        self.assertIn('os_compute_api:os-console-sessions:index:all_tenants',
                      error)
        listed = self.cli('console', 'session', 'list', '--all-projects',
                          '--long', '-f', 'json', auth_args=admin)
        self.assertEqual([(ALT_SERVER, 'admin', 'serial'),
                          (DEMO_SERVER, 'alice', 'novnc')],
                         [(s['Server ID'], s['User ID'], s['Type'])
                          for s in listed])
        self.assertIsNone(self.cli('console', 'session', 'delete',
                                   '--server', 'demo-web'))
        self.assertEqual(['revoked'], [s['Status'] for s in self.cli(
            'console', 'session', 'list', '-f', 'json')])


class KeystoneCLITest(CLIMixin, ks_base.KeystoneTestCase):
    """Against the keystone pipeline, found through Keystone's catalog."""

    def setUp(self):
        super().setUp()
        self.check_cli()
        server = simple_server.make_server(
            '127.0.0.1', 0, self.app, handler_class=_QuietHandler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        self.addCleanup(thread.join, 10)
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        self.addCleanup(self.keystone.add_endpoint(
            'compute', 'http://127.0.0.1:%d/v2.1' % server.server_port))

    def login(self, caller):
        user = self.keystone.users[ks_base.CALLERS[caller]]
        return ('--os-auth-url', self.keystone.auth_url,
                '--os-identity-api-version', '3',
                '--os-auth-type', 'password',
                '--os-username', user.name, '--os-password', user.password,
                '--os-project-name', user.project_name,
                '--os-user-domain-name', 'Default',
                '--os-project-domain-name', 'Default',
                '--os-region-name', 'RegionOne')

    def test_member_and_admin(self):
        member = self.login('member')
        self.auth_args = member
        session_id = self.new_session()
        [listed] = self.cli('console', 'session', 'list', '--server', 'a',
                            '-f', 'json')
        self.assertEqual(
            (session_id, self.keystone.users['member-a'].user_id),
            (listed['ID'], listed['User ID']))
        self.assertEqual([], self.cli(
            'console', 'session', 'list', '-f', 'json',
            auth_args=self.login('other_member')))
        listed = self.cli('console', 'session', 'list', '--all-projects',
                          '-f', 'json', auth_args=self.login('admin'))
        self.assertEqual([session_id], [s['ID'] for s in listed])
        self.assertIsNone(self.cli('console', 'session', 'delete',
                                   session_id))
        self.assertEqual('revoked', self.cli(
            'console', 'session', 'show', session_id, '-f', 'json')[
            'status'])

    def new_session(self):
        response = self.call(
            'POST', '/v2.1/servers/%s/remote-consoles'
            % self.servers['a']['uuid'], self.token('member'),
            body={'remote_console': {'protocol': 'vnc', 'type': 'novnc'}},
            version='2.6')
        self.assertEqual(200, response.status_int, response.body)
        return response.headers['X-Console-Session-Id']


class _QuietHandler(simple_server.WSGIRequestHandler):
    """No access log on stderr."""

    def log_message(self, *args):
        pass
