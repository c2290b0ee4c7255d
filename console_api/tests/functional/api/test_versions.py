"""Version discovery at ``/``, ``/v2.1`` and unknown paths (spec B 8.4)."""

from oslo_serialization import jsonutils
from tempest.lib.api_schema.response.compute.v2_1 import versions as schemas

from console_api.tests.functional.api import checks
from console_api.tests.functional import base


class VersionsTest(base.APITestCase):

    def enable_proxy_headers(self):
        # http_proxy_to_wsgi registered its options when the app loaded.
        self.flags.config(enable_proxy_headers_parsing=True,
                          group='oslo_middleware')

    def test_root_lists_both_versions(self):
        response = self.api('GET', '/', auth=False)
        body = checks.validate(self, schemas.list_versions, response)
        versions = body['versions']
        self.assertEqual(['v2.0', 'v2.1'], [v['id'] for v in versions])
        v20, v21 = versions
        self.assertEqual('DEPRECATED', v20['status'])
        self.assertEqual('', v20['version'])
        self.assertEqual('', v20['min_version'])
        self.assertEqual([{'rel': 'self', 'href': 'http://localhost/v2/'}],
                         v20['links'])
        self.assertEqual('CURRENT', v21['status'])
        self.assertEqual('2.104', v21['version'])
        self.assertEqual('2.1', v21['min_version'])
        self.assertEqual('2013-07-23T11:33:21Z', v21['updated'])
        self.assertEqual([{'rel': 'self', 'href': 'http://localhost/v2.1/'}],
                         v21['links'])
        self.assertEqual('application/json', response.content_type)

    def test_root_has_no_version_or_request_id_headers(self):
        response = self.api('GET', '/', auth=False)
        self.assertEqual(200, response.status_int)
        for name in ('OpenStack-API-Version', 'X-OpenStack-Nova-API-Version',
                     'x-openstack-request-id', 'x-compute-request-id'):
            self.assertNotIn(name, response.headers)

    def test_hrefs_follow_the_request_host(self):
        response = self.api('GET', 'http://api.example.org:8774/',
                            auth=False)
        body = jsonutils.loads(response.body)
        self.assertEqual('http://api.example.org:8774/v2.1/',
                         body['versions'][1]['links'][0]['href'])

    def test_v21_document(self):
        for path in ('/v2.1', '/v2.1/'):
            response = self.api('GET', path, auth=False)
            body = checks.validate(self, schemas.get_one_version, response)
            version = body['version']
            self.assertEqual('v2.1', version['id'])
            self.assertEqual('CURRENT', version['status'])
            self.assertEqual('2.104', version['version'])
            self.assertEqual('2.1', version['min_version'])
            self.assertEqual(
                [{'rel': 'self', 'href': 'http://localhost/v2.1/'},
                 {'rel': 'describedby', 'type': 'text/html',
                  'href': 'http://docs.openstack.org/'}],
                version['links'])
            self.assertEqual(
                [{'base': 'application/json',
                  'type': 'application/vnd.openstack.compute+json;'
                          'version=2.1'}],
                version['media-types'])

    def test_v21_document_has_request_id_and_version_headers(self):
        response = self.api('GET', '/v2.1', auth=False, version='2.50')
        self.assertEqual(200, response.status_int)
        self.assertRegex(response.headers['x-openstack-request-id'],
                         checks.REQUEST_ID_RE)
        self.assertEqual(response.headers['x-openstack-request-id'],
                         response.headers['x-compute-request-id'])
        self.assertEqual('compute 2.50',
                         response.headers['OpenStack-API-Version'])
        self.assertEqual('2.50',
                         response.headers['X-OpenStack-Nova-API-Version'])

    def test_listed_self_link_equals_fetched_self_link(self):
        # What tempest's test_versions does with every listed version.
        listed = jsonutils.loads(self.api('GET', '/', auth=False).body)
        v21 = listed['versions'][1]['links'][0]['href']
        fetched = jsonutils.loads(self.api('GET', v21).body)
        self.assertEqual(v21, fetched['version']['links'][0]['href'])

    def test_compute_link_prefix(self):
        self.flags.config(compute_link_prefix='https://cloud.example.com/c',
                          group='api')
        root = jsonutils.loads(self.api('GET', '/', auth=False).body)
        self.assertEqual(
            ['https://cloud.example.com/c/v2/',
             'https://cloud.example.com/c/v2.1/'],
            [v['links'][0]['href'] for v in root['versions']])
        doc = jsonutils.loads(self.api('GET', '/v2.1', auth=False).body)
        self.assertEqual('https://cloud.example.com/c/v2.1/',
                         doc['version']['links'][0]['href'])

    def test_forwarded_proto_https(self):
        self.enable_proxy_headers()
        # What a TLS-terminating proxy in front of the API sends.
        headers = {'X-Forwarded-Proto': 'https',
                   'Host': 'cloud.example.com'}
        root = jsonutils.loads(
            self.api('GET', '/', auth=False, headers=headers).body)
        self.assertEqual('https://cloud.example.com/v2.1/',
                         root['versions'][1]['links'][0]['href'])
        doc = jsonutils.loads(
            self.api('GET', '/v2.1/', auth=False, headers=headers).body)
        self.assertEqual('https://cloud.example.com/v2.1/',
                         doc['version']['links'][0]['href'])

    def test_forwarded_proto_ignored_unless_enabled(self):
        self.flags.config(enable_proxy_headers_parsing=False,
                          group='oslo_middleware')
        root = jsonutils.loads(self.api(
            'GET', '/', auth=False,
            headers={'X-Forwarded-Proto': 'https'}).body)
        self.assertEqual('http://localhost/v2.1/',
                         root['versions'][1]['links'][0]['href'])

    def test_unknown_path_gives_choices(self):
        response = self.api('GET', '/v3/servers', auth=False)
        body = checks.validate(self, schemas.get_version, response)
        self.assertEqual(300, response.status_int)
        choices = {c['id']: c for c in body['choices']}
        self.assertEqual(['v2.0', 'v2.1'], sorted(choices))
        self.assertEqual('http://localhost/v2.1/v3/servers',
                         choices['v2.1']['links'][0]['href'])
        self.assertEqual('CURRENT', choices['v2.1']['status'])

    def test_head_of_root(self):
        response = self.api('HEAD', '/', auth=False)
        self.assertEqual(200, response.status_int)
