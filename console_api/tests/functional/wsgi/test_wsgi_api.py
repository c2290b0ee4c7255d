"""``console_api.wsgi.api:application`` as uwsgi or gunicorn load it."""

import os

import fixtures
import webob

from console_api.tests.functional import base
from console_api.wsgi import api as wsgi_api


class WSGIModuleTest(base.APITestCase):

    def setUp(self):
        super().setUp()
        config = os.path.join(self.tmp, 'console_api.conf')
        with open(config, 'w') as out:
            out.write('[DEFAULT]\ntransport_url = inproc://\n'
                      '[api]\nauth_strategy = noauth2\n'
                      'api_paste_config = %s\n'
                      '[database]\nconnection = %s\n' % (
                          base.PASTE_INI, base.CONF.database.connection))
        self.useFixture(fixtures.EnvironmentVariable(
            'CONSOLE_API_CONFIG_FILES', config))
        self.useFixture(fixtures.MonkeyPatch(
            'console_api.wsgi.api._APPLICATION', None))

    def test_application_serves_the_api(self):
        req = webob.Request.blank('/v2.1/servers', headers={
            'X-Auth-Token': 'demo:' + base.PROJECT})
        response = req.get_response(wsgi_api.application)
        self.assertEqual(200, response.status_int, response.body)
        names = {s['name'] for s in response.json['servers']}
        self.assertIn('all', names)
        self.assertNotIn('other', names)

    def test_application_is_loaded_once(self):
        req = webob.Request.blank('/')
        req.get_response(wsgi_api.application)
        first = wsgi_api._APPLICATION
        req.get_response(wsgi_api.application)
        self.assertIs(first, wsgi_api._APPLICATION)
