"""A real Keystone for functional tests, shared by the tests of a process.

``KeystoneTestCase`` loads the paste app's keystone pipeline, with
keystonemiddleware's ``auth_token`` validating tokens against one Keystone
per test process (``server.KeystoneServer``), started on first use and
stopped when the process exits: provisioning it takes far longer than the
tests that use it. It needs the virtualenv of ``tools/ci/keystone-venv.sh``.
Without it the tests are skipped, or fail when
``CONSOLE_API_TEST_REQUIRE_SERVICES=1``.
"""

import atexit

from keystoneauth1 import loading
# Importing auth_token registers its [keystone_authtoken] options on CONF.
from keystonemiddleware import auth_token  # noqa: F401

from console_api.api import deploy
from console_api.tests.functional import base
from console_api.tests.functional.keystone import server as ks_server

AUTHTOKEN = 'keystone_authtoken'

# test caller -> Keystone user (see KeystoneServer.LAYOUT)
CALLERS = {
    'admin': 'admin',            # admin role on the admin project
    'member': 'member-a',        # member of the servers' project
    'reader': 'reader-a',        # reader of the servers' project
    'other_member': 'member-b',  # member of another project
}


# The one Keystone of this test process (or why there is none).
_SHARED = {}


def _shared_keystone():
    """Return ``(KeystoneServer, None)``, or ``(None, reason)``."""
    if not _SHARED:
        reason = ks_server.venv_unavailable()
        keystone = None
        if reason is None:
            keystone = ks_server.KeystoneServer()
            try:
                keystone.start()
            except (RuntimeError, OSError) as exc:
                keystone, reason = None, 'Keystone did not start: %s' % exc
            else:
                atexit.register(keystone.stop)
        _SHARED.update(keystone=keystone, reason=reason)
    return _SHARED['keystone'], _SHARED['reason']


class KeystoneTestCase(base.APITestCase):
    """The paste app's keystone pipeline, validating against Keystone."""

    keystone = None
    unavailable = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.keystone, cls.unavailable = _shared_keystone()
        cls.tokens = {}

    def setUp(self):
        if self.unavailable is not None:
            if ks_server.services_required():
                self.fail('Keystone is required here: %s'
                          % self.unavailable)
            self.skipTest(self.unavailable)
        super().setUp()
        self._configure_authtoken()
        self.flags.config(auth_strategy='keystone', group='api')
        self.app = deploy.loadapp(base.CONF, self.services,
                                  path=base.PASTE_INI)

        projects = self.keystone.projects
        self.servers = {
            'a': base.server('a', project=projects['console-a'],
                             vnc=base.VNC),
            'b': base.server('b', project=projects['console-b'],
                             vnc=base.VNC),
        }
        self.write_inventory()
        self.agent.manager.sync_inventory(raise_errors=True)

    def _configure_authtoken(self):
        # keystonemiddleware registers the password plugin's options only
        # when the filter loads; they are needed now to set them. Through
        # the fixture they are unregistered after the test: left on the
        # global CONF, the required auth_url would make every later CONF()
        # call in this process fail.
        self.flags.register_opts(
            loading.get_auth_plugin_conf_options('password'),
            group=AUTHTOKEN)
        service = self.keystone.service_user
        root = self.keystone.auth_url.rsplit('/v3', 1)[0]
        self.flags.config(group=AUTHTOKEN,
                          www_authenticate_uri=root,
                          auth_url=self.keystone.auth_url,
                          auth_type='password',
                          username=service.name,
                          password=service.password,
                          project_name=service.project_name,
                          user_domain_name='Default',
                          project_domain_name='Default',
                          memcached_servers=None)

    def token(self, caller):
        """A Keystone token of a test caller, one per class and caller."""
        if caller not in self.tokens:
            user = self.keystone.users[CALLERS[caller]]
            self.tokens[caller] = user.token()
        return self.tokens[caller]

    def call(self, method, path, token, body=None, version=None):
        headers = {} if token is None else {'X-Auth-Token': token}
        return self.api(method, path, body=body, version=version,
                        auth=False, headers=headers)
