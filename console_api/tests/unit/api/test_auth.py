"""noauth2, the keystone context filter and the auth pipeline factory."""

from oslo_config import fixture as config_fixture
import testtools
import webob
import webob.dec

from console_api.api import auth
from console_api import conf
from console_api import exception
from console_api import policy

CONF = conf.CONF


@webob.dec.wsgify
def _echo_context(req):
    context = req.environ[auth.ENVIRON_KEY]
    # What the router does before a controller runs.
    context.policy = policy.Policy(CONF)
    return webob.Response(json_body={
        'user': context.user_id, 'project': context.project_id,
        'roles': sorted(context.roles), 'is_admin': context.is_admin})


class AuthTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(config_fixture.Config(CONF))
        CONF([], project='console_api', default_config_files=[])
        policy.set_defaults(CONF)

    def _noauth(self, headers):
        req = webob.Request.blank('/servers', headers=headers)
        return req.get_response(auth.NoAuthMiddleware(_echo_context))

    def test_noauth_without_token_is_401_fault(self):
        response = self._noauth({})
        self.assertEqual(401, response.status_int)
        self.assertEqual(401, response.json['unauthorized']['code'])

    def test_noauth_user_and_project(self):
        body = self._noauth({'X-Auth-Token': 'alice:p1'}).json
        self.assertEqual({'user': 'alice', 'project': 'p1',
                          'roles': ['member', 'reader'], 'is_admin': False},
                         body)

    def test_noauth_project_defaults_to_user(self):
        self.assertEqual('bob',
                         self._noauth({'X-Auth-Token': 'bob'}).json['project'])

    def test_noauth_admin_user_gets_admin_roles(self):
        body = self._noauth({'X-Auth-Token': 'admin:p1'}).json
        self.assertEqual(['admin', 'member', 'reader'], body['roles'])
        self.assertTrue(body['is_admin'])

    def test_noauth_roles_header_wins(self):
        body = self._noauth({'X-Auth-Token': 'admin:p1',
                             'X-Roles': 'reader'}).json
        self.assertEqual(['reader'], body['roles'])
        self.assertFalse(body['is_admin'])

    def test_keystone_context_from_identity_headers(self):
        req = webob.Request.blank('/servers', headers={
            'X-User-Id': 'u1', 'X-Project-Id': 'p1',
            'X-Roles': 'member,reader'})
        body = req.get_response(auth.KeystoneContext(_echo_context)).json
        self.assertEqual(('u1', 'p1'), (body['user'], body['project']))

    def test_keystone_context_refuses_invalid_identity(self):
        req = webob.Request.blank('/servers', headers={
            'X-Identity-Status': 'Invalid', 'X-User-Id': 'u1'})
        response = req.get_response(auth.KeystoneContext(_echo_context))
        self.assertEqual(401, response.status_int)

    def test_request_context_without_any_identity(self):
        req = webob.Request.blank('/servers')
        self.assertRaises(exception.Unauthorized, auth.request_context, req)


class PipelineFactoryTest(testtools.TestCase):

    class Loader(object):
        def get_app(self, name):
            return name

        def get_filter(self, name):
            return lambda app: '%s(%s)' % (name, app)

    def setUp(self):
        super().setUp()
        self.flags = self.useFixture(config_fixture.Config(CONF))

    def test_picks_pipeline_of_auth_strategy(self):
        self.flags.config(auth_strategy='noauth2', group='api')
        app = auth.pipeline_factory(self.Loader(), {},
                                    keystone='a authtoken app',
                                    noauth2='a noauth2 app')
        self.assertEqual('a(noauth2(app))', app)

    def test_missing_pipeline_names_strategy(self):
        self.flags.config(auth_strategy='keystone', group='api')
        error = self.assertRaises(exception.ConfigurationError,
                                  auth.pipeline_factory, self.Loader(), {},
                                  noauth2='app')
        self.assertIn("'keystone'", error.format_message())
