"""The API samples under ``doc/api_samples`` against the real app.

Every documented request is sent to the real paste app (noauth2, a real
agent on the fake driver) and every documented response is compared with
what the app answers. Values that change from run to run (uuids and tokens,
hosts, timestamps) are compared as placeholders; everything else must match
exactly. Each response, live and documented, must also validate against the
response schema of its microversion (tempest's where tempest has one).

To rewrite the samples from the running code::

    CONSOLE_API_GENERATE_SAMPLES=1 .venv/bin/stestr run api_samples
"""

import glob
import os
import re

import fixtures
from oslo_serialization import jsonutils
from tempest.lib.api_schema.response.compute.v2_1 import servers as v21
from tempest.lib.api_schema.response.compute.v2_1 import versions
from tempest.lib.api_schema.response.compute.v2_6 import servers as v26
from tempest.lib.api_schema.response.compute.v2_8 import servers as v28
from tempest.lib.api_schema.response.compute.v2_99 import servers as v299
from tempest.lib.common import rest_client
import testtools

from console_api.tests.functional.api_samples import schemas
from console_api.tests.functional import base

SAMPLES_DIR = os.path.join(base.REPO_ROOT, 'doc', 'api_samples')
API_REF_DIR = os.path.join(base.REPO_ROOT, 'api-ref', 'source')
GENERATE_ENV = 'CONSOLE_API_GENERATE_SAMPLES'
HOST = 'openstack.example.com'

UUID_RE = re.compile(
    r'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}')
#: Keys whose values belong to the deployment, not to the API's shape.
HOST_KEYS = frozenset(['host', 'OS-EXT-SRV-ATTR:host'])
#: Keys holding times (of the last change, of a session's steps).
TIME_KEYS = frozenset(['updated', 'created_at', 'expires_at',
                       'connected_at', 'closed_at'])

#: Every sample file, relative to ``doc/api_samples``. A test writes or
#: checks each of them; ``SampleInventoryTest`` keeps this list, the
#: files on disk and the api-ref's includes in step.
SAMPLES = frozenset([
    'os-remote-consoles/get-vnc-console-post-req.json',
    'os-remote-consoles/get-vnc-console-post-resp.json',
    'os-remote-consoles/get-spice-console-post-req.json',
    'os-remote-consoles/get-spice-console-post-resp.json',
    'os-remote-consoles/get-serial-console-post-req.json',
    'os-remote-consoles/get-serial-console-post-resp.json',
    'os-remote-consoles/get-rdp-console-post-req.json',
    'os-remote-consoles/get-rdp-console-post-resp.json',
    'os-remote-consoles/v2.6/create-vnc-console-req.json',
    'os-remote-consoles/v2.6/create-vnc-console-resp.json',
    'os-remote-consoles/v2.6/create-spice-console-req.json',
    'os-remote-consoles/v2.6/create-spice-console-resp.json',
    'os-remote-consoles/v2.6/create-serial-console-req.json',
    'os-remote-consoles/v2.6/create-serial-console-resp.json',
    'os-remote-consoles/v2.6/create-rdp-console-req.json',
    'os-remote-consoles/v2.6/create-rdp-console-resp.json',
    'os-remote-consoles/v2.8/create-mks-console-req.json',
    'os-remote-consoles/v2.8/create-mks-console-resp.json',
    'os-remote-consoles/v2.99/create-spice-direct-console-req.json',
    'os-remote-consoles/v2.99/create-spice-direct-console-resp.json',
    'os-console-auth-tokens/get-console-connect-info-get-resp.json',
    'os-console-auth-tokens/v2.31/get-console-connect-info-get-resp.json',
    'os-console-auth-tokens/v2.99/get-console-connect-info-get-resp.json',
    'os-console-sessions/console-sessions-list-resp.json',
    'os-console-sessions/console-session-get-resp.json',
    'servers/servers-list-resp.json',
    'servers/servers-details-resp.json',
    'servers/server-get-resp.json',
    'versions/versions-get-resp.json',
    'versions/v21-version-get-resp.json',
])


def generating():
    """Whether this run rewrites the samples instead of checking them."""
    return os.environ.get(GENERATE_ENV, '') not in ('', '0')


def normalize(value, key=None):
    """Return ``value`` with run-dependent parts replaced by placeholders."""
    if isinstance(value, dict):
        return {k: normalize(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [normalize(item, key) for item in value]
    if key in HOST_KEYS:
        return '%(host)s'
    if key in TIME_KEYS:
        return '%(timestamp)s'
    if isinstance(value, str):
        return UUID_RE.sub('%(uuid)s', value)
    return value


def validate(schema, body, status=200):
    """Validate ``body`` the way tempest validates a response."""
    resp = {'status': status}
    rest_client.RestClient.validate_response(
        schema, _Status(status, resp), body)


class _Status(dict):
    # tempest reads ``resp.status`` and validates headers from the mapping.
    def __init__(self, status, headers):
        super().__init__(headers)
        self.status = status


def _sample_inventory():
    # Two servers keep the listing samples short; the first has every
    # console type so each protocol can be shown.
    return {
        'all': base.server('web-1', vnc=base.VNC, spice=base.SPICE,
                           serial=base.SERIAL, rdp=base.RDP, mks=base.MKS),
        'second': base.server('db-1', vnc=base.VNC),
    }


class ApiSampleTestBase(base.APITestCase):
    """Send documented requests; compare documented responses."""

    def setUp(self):
        self.useFixture(fixtures.MonkeyPatch(
            'console_api.tests.functional.base.default_inventory',
            _sample_inventory))
        super().setUp()

    def request(self, method, path, **kwargs):
        """``self.api`` with the documentation's host name."""
        headers = kwargs.pop('headers', {})
        headers.setdefault('Host', HOST)
        return self.api(method, path, headers=headers, **kwargs)

    @staticmethod
    def _file(name):
        if name not in SAMPLES:
            raise AssertionError('%s is not listed in SAMPLES' % name)
        return os.path.join(SAMPLES_DIR, name)

    def _write(self, name, body):
        path = self._file(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w') as out:
            out.write(jsonutils.dumps(body, indent=4, sort_keys=True))
            out.write('\n')

    def _read(self, name):
        path = self._file(name)
        if not os.path.exists(path):
            self.fail('Sample %s is missing; run with %s=1 to write it'
                      % (name, GENERATE_ENV))
        with open(path) as sample:
            return jsonutils.loads(sample.read())

    def request_sample(self, name, body):
        """Return the documented request body, which must equal ``body``."""
        if generating():
            self._write(name, body)
        documented = self._read(name)
        self.assertEqual(body, documented,
                         'request sample %s drifted' % name)
        return documented

    def verify_response(self, name, response, schema):
        """Check ``response`` and the documented sample ``name``."""
        self.assertEqual(200, response.status_int, response.body)
        actual = jsonutils.loads(response.body)
        validate(schema, actual)
        if generating():
            self._write(name, actual)
        documented = self._read(name)
        validate(schema, documented)
        self.assertEqual(normalize(documented), normalize(actual),
                         'response sample %s drifted from the API' % name)
        return actual

    @staticmethod
    def token_of(url):
        tokens = UUID_RE.findall(url)
        if len(tokens) != 1:
            raise AssertionError('no single token in %s' % url)
        return tokens[0]


class RemoteConsoleSamplesTest(ApiSampleTestBase):
    """``POST /servers/{id}/remote-consoles`` at 2.6, 2.8 and 2.99."""

    def _create(self, version, name, protocol, console_type, schema):
        directory = 'os-remote-consoles/v%s/' % version
        body = self.request_sample(
            directory + 'create-%s-console-req.json' % name,
            {'remote_console': {'protocol': protocol,
                                'type': console_type}})
        response = self.request(
            'POST', '/v2.1/servers/%s/remote-consoles'
            % self.servers['all']['uuid'], body=body, version=version)
        return self.verify_response(
            directory + 'create-%s-console-resp.json' % name, response,
            schema)

    def test_vnc_v26(self):
        self._create('2.6', 'vnc', 'vnc', 'novnc', v26.get_remote_consoles)

    def test_spice_v26(self):
        self._create('2.6', 'spice', 'spice', 'spice-html5',
                     v26.get_remote_consoles)

    def test_serial_v26(self):
        self._create('2.6', 'serial', 'serial', 'serial',
                     v26.get_remote_consoles)

    def test_rdp_v26(self):
        self._create('2.6', 'rdp', 'rdp', 'rdp-html5',
                     v26.get_remote_consoles)

    def test_mks_v28(self):
        self._create('2.8', 'mks', 'mks', 'webmks', v28.get_remote_consoles)

    def test_spice_direct_v299(self):
        self._create('2.99', 'spice-direct', 'spice', 'spice-direct',
                     v299.get_remote_consoles)


class LegacyConsoleActionSamplesTest(ApiSampleTestBase):
    """The ``os-get*Console`` server actions (2.1 - 2.5)."""

    def _action(self, name, action, console_type):
        body = self.request_sample(
            'os-remote-consoles/get-%s-console-post-req.json' % name,
            {action: {'type': console_type}})
        response = self.request(
            'POST', '/v2.1/servers/%s/action' % self.servers['all']['uuid'],
            body=body)
        return self.verify_response(
            'os-remote-consoles/get-%s-console-post-resp.json' % name,
            response, v21.get_vnc_console)

    def test_vnc(self):
        self._action('vnc', 'os-getVNCConsole', 'novnc')

    def test_spice(self):
        self._action('spice', 'os-getSPICEConsole', 'spice-html5')

    def test_serial(self):
        self._action('serial', 'os-getSerialConsole', 'serial')

    def test_rdp(self):
        self._action('rdp', 'os-getRDPConsole', 'rdp-html5')


class ConsoleAuthTokenSamplesTest(ApiSampleTestBase):
    """``GET /os-console-auth-tokens/{token}`` at 2.1, 2.31 and 2.99."""

    def _show(self, name, token, version, schema):
        response = self.request(
            'GET', '/v2.1/os-console-auth-tokens/%s' % token,
            version=version, user='admin')
        return self.verify_response(name, response, schema)

    def _console_token(self, protocol, console_type, version):
        response = self.console('all', protocol, console_type,
                                version=version)
        self.assertEqual(200, response.status_int, response.body)
        return self.token_of(response.json['remote_console']['url'])

    def test_rdp_token_v21(self):
        # Before 2.31 only rdp-html5 tokens may be read.
        response = self.request(
            'POST', '/v2.1/servers/%s/action' % self.servers['all']['uuid'],
            body={'os-getRDPConsole': {'type': 'rdp-html5'}})
        self.assertEqual(200, response.status_int, response.body)
        token = self.token_of(response.json['console']['url'])
        body = self._show(
            'os-console-auth-tokens/get-console-connect-info-get-resp.json',
            token, None, schemas.console_auth_tokens)
        self.assertEqual(base.RDP['port'], body['console']['port'])

    def test_vnc_token_v231(self):
        token = self._console_token('vnc', 'novnc', '2.6')
        body = self._show(
            'os-console-auth-tokens/v2.31/'
            'get-console-connect-info-get-resp.json',
            token, '2.31', schemas.console_auth_tokens)
        self.assertEqual(base.VNC['port'], body['console']['port'])

    def test_spice_direct_token_v299(self):
        token = self._console_token('spice', 'spice-direct', '2.99')
        body = self._show(
            'os-console-auth-tokens/v2.99/'
            'get-console-connect-info-get-resp.json',
            token, '2.99', v299.console_auth_tokens)
        self.assertEqual(base.SPICE['tls_port'], body['console']['tls_port'])


class ConsoleSessionSamplesTest(ApiSampleTestBase):
    """console-api's ``/os-console-sessions`` extension."""

    def setUp(self):
        super().setUp()
        # One console a client uses through a proxy, one handed out.
        self.connected = self._open('serial', 'serial')
        self.services.console_auth.connect(
            self.admin_context, self.connected[1], '198.51.100.7',
            'proxy-1')
        self.services.console_auth.add_bytes(
            self.admin_context, [(self.connected[0], 48213, 57)])
        self.issued = self._open('vnc', 'novnc')

    def _open(self, protocol, console_type):
        response = self.console('all', protocol, console_type)
        self.assertEqual(200, response.status_int, response.body)
        return (response.headers['X-Console-Session-Id'],
                self.token_of(response.json['remote_console']['url']))

    def test_list(self):
        response = self.request('GET', '/v2.1/os-console-sessions')
        body = self.verify_response(
            'os-console-sessions/console-sessions-list-resp.json', response,
            schemas.list_console_sessions)
        self.assertEqual(['issued', 'active'],
                         [s['status'] for s in body['console_sessions']])

    def test_show(self):
        response = self.request(
            'GET', '/v2.1/os-console-sessions/%s' % self.connected[0])
        self.verify_response(
            'os-console-sessions/console-session-get-resp.json', response,
            schemas.get_console_session)


class ServerSamplesTest(ApiSampleTestBase):
    """The read-only server resource."""

    def test_list(self):
        response = self.request('GET', '/v2.1/servers')
        self.verify_response('servers/servers-list-resp.json', response,
                             v21.list_servers)

    def test_detail_as_admin(self):
        response = self.request('GET', '/v2.1/servers/detail', user='admin')
        body = self.verify_response('servers/servers-details-resp.json',
                                    response, schemas.list_servers_detail)
        self.assertIn('OS-EXT-SRV-ATTR:host', body['servers'][0])

    def test_show_as_admin(self):
        response = self.request(
            'GET', '/v2.1/servers/%s' % self.servers['all']['uuid'],
            user='admin')
        self.verify_response('servers/server-get-resp.json', response,
                             schemas.get_server)


class VersionSamplesTest(ApiSampleTestBase):
    """The version documents at ``/`` and ``/v2.1``."""

    def test_versions(self):
        response = self.request('GET', '/', auth=False)
        self.verify_response('versions/versions-get-resp.json', response,
                             versions.list_versions)

    def test_v21(self):
        response = self.request('GET', '/v2.1', auth=False)
        self.verify_response('versions/v21-version-get-resp.json', response,
                             versions.get_one_version)


class SampleInventoryTest(testtools.TestCase):
    """The sample list, the files and the api-ref's includes agree."""

    def test_every_file_is_checked(self):
        on_disk = set(
            os.path.relpath(path, SAMPLES_DIR) for path in glob.glob(
                os.path.join(SAMPLES_DIR, '**', '*.json'), recursive=True))
        self.assertEqual(set(), on_disk - SAMPLES,
                         'sample files no test checks')
        if not generating():
            self.assertEqual(set(), SAMPLES - on_disk, 'missing samples')

    def test_api_ref_includes_only_checked_samples(self):
        include = re.compile(
            r'literalinclude::\s+\.\./\.\./doc/api_samples/(\S+)')
        included = set()
        for path in glob.glob(os.path.join(API_REF_DIR, '*.inc')):
            with open(path) as page:
                included.update(include.findall(page.read()))
        self.assertNotEqual(set(), included)
        self.assertEqual(set(), included - SAMPLES,
                         'api-ref includes samples no test checks')


class NormalizeTest(testtools.TestCase):
    """Placeholders hide run-dependent values and nothing else."""

    def test_drift_in_url_shape_is_seen(self):
        token = '4af9fdb7-9a99-4be2-bb58-6cb5e8a02ba5'
        documented = {'url': 'http://h:6080/vnc_auto.html?path=%3Ftoken%3D'
                      + token}
        changed = {'url': 'http://h:6080/vnc_auto.html?token=' + token}
        self.assertNotEqual(normalize(documented), normalize(changed))

    def test_tokens_hosts_and_times_are_placeholders(self):
        one = {'console': {'host': 'a', 'port': 1, 'updated': None,
                           'instance_uuid':
                           '4af9fdb7-9a99-4be2-bb58-6cb5e8a02ba5'}}
        two = {'console': {'host': 'b', 'port': 1,
                           'updated': '2030-01-01T00:00:00Z',
                           'instance_uuid':
                           'ab258b11-eb02-41ce-9896-d3e1b03a2401'}}
        self.assertEqual(normalize(one), normalize(two))
        two['console']['port'] = 2
        self.assertNotEqual(normalize(one), normalize(two))
