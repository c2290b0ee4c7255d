"""Microversion negotiation through the real pipeline (spec B 8.1-8.3)."""

from oslo_serialization import jsonutils

from console_api.tests.functional import base

STANDARD = 'OpenStack-API-Version'
LEGACY = 'X-OpenStack-Nova-API-Version'


class MicroversionTest(base.APITestCase):

    def get(self, headers, path='/v2.1/servers'):
        return self.api('GET', path, headers=headers)

    def assertVersion(self, expected, response):
        self.assertEqual('compute %s' % expected, response.headers[STANDARD])
        self.assertEqual(expected, response.headers[LEGACY])
        self.assertEqual([STANDARD, LEGACY], response.headers.getall('Vary'))

    def test_no_header_means_2_1(self):
        response = self.get({})
        self.assertEqual(200, response.status_int)
        self.assertVersion('2.1', response)

    def test_standard_header(self):
        response = self.get({STANDARD: 'compute 2.6'})
        self.assertEqual(200, response.status_int)
        self.assertVersion('2.6', response)

    def test_service_name_is_case_insensitive(self):
        self.assertVersion('2.7', self.get({STANDARD: 'Compute 2.7'}))

    def test_legacy_header_only(self):
        response = self.get({LEGACY: '2.8'})
        self.assertEqual(200, response.status_int)
        self.assertVersion('2.8', response)

    def test_standard_header_wins_over_legacy(self):
        self.assertVersion('2.6', self.get({STANDARD: 'compute 2.6',
                                            LEGACY: '2.31'}))

    def test_several_services_last_compute_wins(self):
        response = self.get(
            {STANDARD: 'identity 3.0, compute 2.7, placement 1.9, '
                       'compute 2.31'})
        self.assertVersion('2.31', response)

    def test_standard_header_without_compute_falls_back(self):
        self.assertVersion('2.9', self.get({STANDARD: 'identity 3.0',
                                            LEGACY: '2.9'}))
        self.assertVersion('2.1', self.get({STANDARD: 'identity 3.0'}))

    def test_latest(self):
        for headers in ({STANDARD: 'compute latest'}, {LEGACY: 'latest'}):
            response = self.get(headers)
            self.assertEqual(200, response.status_int)
            self.assertVersion('2.104', response)

    def test_maximum_and_minimum_accepted(self):
        self.assertVersion('2.104', self.get({STANDARD: 'compute 2.104'}))
        self.assertVersion('2.1', self.get({STANDARD: 'compute 2.1'}))

    def test_malformed_version(self):
        for value in ('2', '2.01', 'Latest', 'two.six', '2.6.1'):
            response = self.get({STANDARD: 'compute %s' % value})
            message = self.assertFault(response, 400, 'badRequest')
            self.assertIn('is of invalid format. Must be of format '
                          'MajorNum.MinorNum.', message)
            self.assertNotIn(STANDARD, response.headers)
            self.assertNotIn(LEGACY, response.headers)
            self.assertNotIn('Vary', response.headers)

    def test_malformed_legacy_header(self):
        response = self.get({LEGACY: '2.06'})
        self.assertFault(response, 400, 'badRequest',
                         'API Version String 2.06 is of invalid format.')

    def test_out_of_range(self):
        for value in ('3.0', '2.105', '1.9', '2.0'):
            response = self.get({STANDARD: 'compute %s' % value})
            self.assertFault(
                response, 406, 'computeFault',
                'Version %s is not supported by the API. Minimum is 2.1 '
                'and maximum is 2.104.' % value)
            # The rejected version is echoed, as Nova does.
            self.assertVersion(value, response)

    def test_version_headers_on_faults(self):
        response = self.api('GET', '/v2.1/servers/%s' % ('0' * 32),
                            version='2.40')
        self.assertFault(response, 404, 'itemNotFound')
        self.assertVersion('2.40', response)
        response = self.api('GET', '/v2.1/no-such-thing', version='2.40')
        self.assertFault(response, 404, 'itemNotFound')
        self.assertVersion('2.40', response)

    def test_legacy_header_last_value_wins(self):
        self.assertVersion('2.7', self.get({LEGACY: '2.3, 2.7'}))

    def test_version_document_echoes_version(self):
        response = self.api('GET', '/v2.1/', auth=False, version='latest')
        self.assertEqual(200, response.status_int)
        self.assertVersion('2.104', response)
        self.assertEqual('2.104',
                         jsonutils.loads(response.body)['version']['version'])

    def test_method_below_its_version_is_404(self):
        uuid = self.servers['all']['uuid']
        response = self.api(
            'POST', '/v2.1/servers/%s/remote-consoles' % uuid,
            body={'remote_console': {'protocol': 'vnc', 'type': 'novnc'}},
            headers={LEGACY: '2.5'})
        self.assertFault(response, 404, 'itemNotFound',
                         'The resource could not be found.')
        self.assertVersion('2.5', response)
