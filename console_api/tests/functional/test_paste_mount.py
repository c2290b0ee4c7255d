"""The console routes mounted inside another API's paste pipeline."""

import os
import re

from oslo_serialization import jsonutils
import webob

from console_api.api import loader
from console_api.tests.functional import base

EXAMPLE = os.path.join(base.REPO_ROOT, 'etc', 'console_api',
                       'api-paste-mounted.ini.example')

# Stands in for the host API's authtoken: sets the identity headers that
# keystonemiddleware would set after validating a token.
TEST_AUTH = ('[filter:authtoken]\npaste.filter_factory = '
             'console_api.tests.functional.test_paste_mount:identity_filter\n')


def identity_filter(global_conf, **local_conf):
    def _filter(app):
        def _call(environ, start_response):
            token = environ.get('HTTP_X_AUTH_TOKEN', '')
            if token.startswith('valid:'):
                user, project, roles = token.split(':')[1:4]
                environ['HTTP_X_USER_ID'] = user
                environ['HTTP_X_PROJECT_ID'] = project
                environ['HTTP_X_ROLES'] = roles.replace('+', ',')
            return app(environ, start_response)
        return _call
    return _filter


class MountedPipelineTest(base.APITestCase):

    def setUp(self):
        super().setUp()
        with open(EXAMPLE) as source:
            text = source.read()
        text = re.sub(r'\[filter:authtoken\]\n[^\n]*\n', TEST_AUTH, text)
        path = os.path.join(self.tmp, 'host-api-paste.ini')
        with open(path, 'w') as out:
            out.write(text)
        self.host_app = loader.load_app(name='host_api', path=path)

    def _request(self, method, path, token=None, body=None, version='2.6'):
        req = webob.Request.blank(path, method=method)
        if token:
            req.headers['X-Auth-Token'] = token
        req.headers['OpenStack-API-Version'] = 'compute %s' % version
        if body is not None:
            req.body = jsonutils.dump_as_bytes(body)
            req.content_type = 'application/json'
        return req.get_response(self.host_app)

    def test_console_through_host_auth(self):
        server = self.servers['all']['uuid']
        token = 'valid:u1:%s:member+reader' % base.PROJECT
        response = self._request(
            'POST', '/compute/v2.1/servers/%s/remote-consoles' % server,
            token=token, body={'remote_console': {'protocol': 'vnc',
                                                  'type': 'novnc'}})
        self.assertEqual(200, response.status_int, response.body)
        url = jsonutils.loads(response.body)['remote_console']['url']
        self.assertIn('path=%3Ftoken%3D', url)
        self.assertEqual('compute 2.6',
                         response.headers['OpenStack-API-Version'])

    def test_other_project_is_not_found(self):
        server = self.servers['other']['uuid']
        token = 'valid:u1:%s:member+reader' % base.PROJECT
        response = self._request(
            'POST', '/compute/v2.1/servers/%s/remote-consoles' % server,
            token=token, body={'remote_console': {'protocol': 'vnc',
                                                  'type': 'novnc'}})
        self.assertFault(response, 404, 'itemNotFound')

    def test_unauthenticated_is_401_fault(self):
        response = self._request('GET', '/compute/v2.1/servers')
        self.assertFault(response, 401, 'unauthorized')

    def test_version_document_under_mount_point(self):
        response = self._request('GET', '/compute/v2.1')
        self.assertEqual(200, response.status_int)
        doc = jsonutils.loads(response.body)['version']
        self.assertEqual('http://localhost/compute/v2.1/',
                         doc['links'][0]['href'])
