"""``console-api-aio``: the README's first command, over real sockets.

Starts the all-in-one service in this process on free ports with its
embedded defaults (sqlite under a temporary state directory, inproc://
transport, the fake driver with the shipped demo inventory, noauth2) and
checks what the README promises.
"""

import http.client
import json
import os

import fixtures
from oslo_config import fixture as config_fixture
import sqlalchemy as sa
import testtools

from console_api.cmd import aio
from console_api.cmd import common as cmd_common
from console_api import conf
from console_api.console import tokens

CONF = conf.CONF

DEMO_PROJECT = '6f70656e737461636b2064656d6f0001'
ALT_PROJECT = '616c742d64656d6f0000000000000002'
DEMO_SERVER = '5d2b3c1a-0e4f-4b6a-9c8d-7e6f5a4b3c21'
ALT_SERVER = 'c1d2e3f4-a5b6-4c7d-9e8f-0a1b2c3d4e89'


class AllInOneTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        state = self.useFixture(fixtures.TempDir()).path
        self.useFixture(config_fixture.Config(CONF))
        defaults = aio.embedded_defaults()
        defaults[(None, 'state_path')] = state
        defaults[(None, 'osapi_compute_listen_port')] = 0
        for group in ('vnc', 'spice', 'serial_console'):
            port = {'vnc': 'novncproxy_port', 'spice': 'html5proxy_port',
                    'serial_console': 'serialproxy_port'}[group]
            defaults[(group, port)] = 0
        cmd_common.parse_config([], config_files=[],
                                default_overrides=defaults)
        self.useFixture(fixtures.MonkeyPatch(
            'console_api.cmd.aio.LOG.warning', lambda *a, **k: None))
        self.service = aio.AllInOne()
        self.addCleanup(self.service.stop)
        self.service.start()
        self.port = self.service.api.server.bind_addr[1]

    def request(self, method, path, body=None, token=None, version=None):
        connection = http.client.HTTPConnection('127.0.0.1', self.port,
                                                timeout=10)
        self.addCleanup(connection.close)
        headers = {}
        if token:
            headers['X-Auth-Token'] = token
        if version:
            headers['OpenStack-API-Version'] = 'compute %s' % version
        if body is not None:
            body = json.dumps(body)
            headers['Content-Type'] = 'application/json'
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        payload = response.read()
        return response, json.loads(payload) if payload else None

    def test_state_directory_holds_the_database(self):
        self.assertTrue(os.path.isfile(os.path.join(
            CONF.state_path, 'console_api.sqlite')))

    def test_version_documents_and_negotiation(self):
        response, body = self.request('GET', '/')
        self.assertEqual(200, response.status)
        self.assertEqual(['v2.0', 'v2.1'],
                         [v['id'] for v in body['versions']])
        response, body = self.request('GET', '/v2.1')
        self.assertEqual('2.104', body['version']['version'])
        response, body = self.request('GET', '/v2.1/servers',
                                      token='alice:' + DEMO_PROJECT,
                                      version='3.0')
        self.assertEqual(406, response.status)
        self.assertIn('computeFault', body)
        response, body = self.request('GET', '/v2.1/servers',
                                      token='alice:' + DEMO_PROJECT,
                                      version='2.x1')
        self.assertEqual(400, response.status)
        response, body = self.request('GET', '/v2.1/servers',
                                      token='alice:' + DEMO_PROJECT,
                                      version='latest')
        self.assertEqual('compute 2.104',
                         response.getheader('OpenStack-API-Version'))
        self.assertIn('OpenStack-API-Version', response.getheader('Vary'))
        response, body = self.request('GET', '/v2.1/nope',
                                      token='alice:' + DEMO_PROJECT)
        self.assertEqual(404, response.status)
        self.assertEqual(404, body['itemNotFound']['code'])

    def test_demo_member_gets_novnc_url_and_admin_reads_token(self):
        token_header = 'alice:' + DEMO_PROJECT
        response, body = self.request(
            'POST', '/v2.1/servers/%s/remote-consoles' % DEMO_SERVER,
            body={'remote_console': {'protocol': 'vnc', 'type': 'novnc'}},
            token=token_header, version='2.6')
        self.assertEqual(200, response.status, body)
        url = body['remote_console']['url']
        self.assertIn('vnc_lite.html?path=%3Ftoken%3D', url)
        token = url.rsplit('%3D', 1)[1]

        response, body = self.request(
            'POST', '/v2.1/servers/%s/remote-consoles' % ALT_SERVER,
            body={'remote_console': {'protocol': 'vnc', 'type': 'novnc'}},
            token=token_header, version='2.6')
        self.assertEqual(404, response.status)

        response, body = self.request(
            'GET', '/v2.1/os-console-auth-tokens/%s' % token,
            token='admin:admin', version='2.31')
        self.assertEqual(200, response.status, body)
        self.assertEqual({'instance_uuid': DEMO_SERVER, 'host': '127.0.0.1',
                          'port': 5900, 'internal_access_path': None},
                         body['console'])

        with self.service.services.database.get_engine().connect() as \
                connection:
            rows = connection.execute(sa.text(
                'SELECT * FROM console_auth_tokens')).fetchall()
        self.assertEqual(1, len(rows))
        self.assertNotIn(token, repr(rows))
        self.assertIn(tokens.hash_token(token), repr(rows))

    def test_proxies_listen(self):
        self.assertEqual({'novnc', 'spice-html5', 'serial'},
                         set(self.service.proxy.addresses))
