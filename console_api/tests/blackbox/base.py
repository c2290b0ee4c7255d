"""Base class of the black-box tests: configuration, clients, assertions."""

import testtools

from console_api.tests.blackbox import clients
from console_api.tests.blackbox import config
from console_api.tests.blackbox import schemas

# The console type each protocol is asked for.
CONSOLE_TYPES = {'vnc': 'novnc', 'spice': 'spice-html5', 'serial': 'serial',
                 'rdp': 'rdp-html5', 'mks': 'webmks'}
# The response header naming the session a console request created.
SESSION_HEADER = 'X-Console-Session-Id'
# The first microversion at which each protocol can be asked for.
FIRST_VERSION = {'vnc': '2.6', 'spice': '2.6', 'serial': '2.6', 'rdp': '2.6',
                 'mks': '2.8'}


def credentials(conf, admin=False):
    """Token provider for the member (or admin) named by ``conf``."""
    if conf.get('auth') == 'keystone':
        prefix = 'admin_' if admin else ''
        auth_url, username, password, project = conf.require(
            'auth_url', prefix + 'username', prefix + 'password',
            prefix + 'project_name')
        return clients.KeystoneToken(
            auth_url, username, password, project,
            user_domain_name=conf.get('user_domain_name'),
            project_domain_name=conf.get('project_domain_name'),
            verify=conf.verify)
    if conf.get('auth') != 'noauth2':
        raise config.NotConfigured('auth must be noauth2 or keystone, not %s'
                                   % conf.get('auth'))
    if admin:
        return clients.NoAuth2Token(conf.get('admin_user'),
                                    conf.get('admin_project'))
    return clients.NoAuth2Token(conf.require('user'), conf.require('project'))


class BlackboxTestCase(testtools.TestCase):
    """Clients for a member, an admin and an anonymous caller.

    Skips when the suite is not configured (the reason names the missing
    settings).
    """

    def setUp(self):
        super().setUp()
        try:
            self.conf = config.load()
            endpoint = self.conf.endpoint
            self.server_id = self.conf.require('server_id')
            member = credentials(self.conf)
            admin = credentials(self.conf, admin=True)
        except config.NotConfigured as exc:
            self.skipTest(str(exc))
        verify = self.conf.verify

        def make(cls, creds):
            client = cls(endpoint, creds, verify=verify)
            self.addCleanup(client.close)
            return client

        self.versions = make(clients.VersionsClient, None)
        self.servers = make(clients.ServersClient, member)
        self.admin_servers = make(clients.ServersClient, admin)
        self.anon_servers = make(clients.ServersClient, None)
        self.tokens = make(clients.ConsoleAuthTokensClient, admin)
        self.member_tokens = make(clients.ConsoleAuthTokensClient, member)
        self.sessions = make(clients.ConsoleSessionsClient, member)
        self.admin_sessions = make(clients.ConsoleSessionsClient, admin)
        self.member_credentials = member

    def optional(self, name):
        """A setting a few tests need; skip the test when it is unset."""
        value = self.conf.get(name)
        if not value:
            self.skipTest('set %s%s to run this test'
                          % (config.ENV_PREFIX, name.upper()))
        return value

    def assertStatus(self, code, response):
        self.assertEqual(code, response.status, response)

    def assertSchema(self, schema, response):
        schemas.validate(schema, response)

    def assertFault(self, code, response, name=None):
        """Nova's fault body with ``code`` (and fault key ``name``)."""
        self.assertStatus(code, response)
        self.assertIsNotNone(response.body, response)
        import jsonschema
        jsonschema.validate(response.body, schemas.fault(code))
        if name is not None:
            self.assertEqual([name], list(response.body))
        return list(response.body.values())[0]['message']

    def assertVersionEcho(self, version, response):
        """The answer names the microversion that served it (both headers)."""
        self.assertEqual('compute %s' % version,
                         response.headers.get('OpenStack-API-Version'))
        self.assertEqual(version,
                         response.headers.get('X-OpenStack-Nova-API-Version'))

    def open_console(self, protocol='vnc', version=None, server_id=None):
        """Ask for a console; assert 200 and its schema; return the token."""
        version = version or FIRST_VERSION[protocol]
        response = self.servers.get_remote_console(
            server_id or self.server_id, protocol, CONSOLE_TYPES[protocol],
            version=version)
        self.assertStatus(200, response)
        self.assertSchema(schemas.remote_consoles(version, protocol),
                          response)
        self.assertVersionEcho(version, response)
        console = response.body['remote_console']
        self.assertEqual((protocol, CONSOLE_TYPES[protocol]),
                         (console['protocol'], console['type']))
        return clients.token_from_url(console['url'])

    def open_session(self, server_id=None, admin=False):
        """Ask for a console; return ``(session id, token)``.

        The first protocol the server offers of vnc, serial, rdp and spice
        (a server whose console types are unknown, ``other_server_id``,
        answers 400 for the others). The session id comes from the
        ``X-Console-Session-Id`` header.
        """
        servers = self.admin_servers if admin else self.servers
        for protocol in ('vnc', 'serial', 'rdp', 'spice'):
            response = servers.get_remote_console(
                server_id or self.server_id, protocol,
                CONSOLE_TYPES[protocol])
            if response.status != 400:
                break
        self.assertStatus(200, response)
        self.assertSchema(schemas.remote_consoles('2.6', protocol), response)
        session_id = response.headers.get(SESSION_HEADER)
        self.assertIsNotNone(session_id, response.headers)
        return session_id, clients.token_from_url(
            response.body['remote_console']['url'])
