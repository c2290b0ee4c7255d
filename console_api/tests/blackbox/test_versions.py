"""Version discovery at ``/`` and ``/v2.1/``."""

import urllib.parse

from tempest.lib import decorators

from console_api.tests.blackbox import base
from console_api.tests.blackbox import schemas


class VersionsTest(base.BlackboxTestCase):

    @decorators.idempotent_id('6dd85e75-3d16-4578-bfe0-ae898b089226')
    def test_list_versions(self):
        response = self.versions.list_versions()
        self.assertSchema(schemas.LIST_VERSIONS, response)
        by_id = {v['id']: v for v in response.body['versions']}
        self.assertIn('v2.1', by_id)
        current = by_id['v2.1']
        self.assertEqual('2.1', current['min_version'])
        # Every console resource exists at the maximum.
        self.assertGreaterEqual(schemas.parse(current['version']), (2, 99))

    @decorators.idempotent_id('5d3d6199-214c-4b95-b101-576ef027c260')
    def test_self_link_is_served(self):
        listed = {v['id']: v for v in
                  self.versions.list_versions().body['versions']}['v2.1']
        href = [link['href'] for link in listed['links']
                if link['rel'] == 'self'][0]
        # The listed link may name the host the API believes it has; its
        # path is fetched from the configured endpoint.
        response = self.versions.show_version(urllib.parse.urlsplit(href).path)
        self.assertSchema(schemas.GET_ONE_VERSION, response)
        self.assertEqual('v2.1', response.body['version']['id'])
        self.assertIn(href, [link['href'] for link in
                             response.body['version']['links']
                             if link['rel'] == 'self'])
