"""A broken ``api-paste.ini`` stops start-up with one clear line."""

import os

from console_api.api import deploy
from console_api.api import loader
from console_api import exception
from console_api.tests.functional import base


class PasteLoaderTest(base.APITestCase):

    start_agent = False

    def setUp(self):
        super().setUp()
        with open(base.PASTE_INI) as source:
            self.original = source.read()

    def broken_ini(self, old, new):
        self.assertIn(old, self.original)
        path = os.path.join(self.tmp, 'api-paste.ini')
        with open(path, 'w') as out:
            out.write(self.original.replace(old, new))
        return path

    def assertLoadFails(self, path, *fragments, name=loader.DEFAULT_APP):
        error = self.assertRaises(exception.PasteAppNotFound,
                                  deploy.loadapp, base.CONF, self.services,
                                  name=name, path=path)
        message = error.format_message()
        self.assertNotIn('\n', message)
        self.assertIn(path, message)
        for fragment in fragments:
            self.assertIn(fragment, message)
        return message

    def test_shipped_ini_loads(self):
        app = deploy.loadapp(base.CONF, self.services, path=base.PASTE_INI)
        self.assertTrue(callable(app))

    def test_missing_filter_section(self):
        path = self.broken_ini('noauth2 = cors http_proxy_to_wsgi',
                               'noauth2 = cors nosuchfilter '
                               'http_proxy_to_wsgi')
        self.assertLoadFails(path, 'nosuchfilter')

    def test_missing_app_section(self):
        path = self.broken_ini('/v2.1/+ = openstack_compute_api_v21',
                               '/v2.1/+ = nosuchapp')
        self.assertLoadFails(path, 'nosuchapp')

    def test_factory_module_does_not_import(self):
        path = self.broken_ini(
            'console_api.api.faults:FaultWrapper.factory',
            'console_api.api.nosuchmodule:FaultWrapper.factory')
        self.assertLoadFails(path, 'nosuchmodule')

    def test_factory_attribute_missing(self):
        path = self.broken_ini(
            'console_api.api.faults:FaultWrapper.factory',
            'console_api.api.faults:NoSuchWrapper.factory')
        self.assertLoadFails(path, 'NoSuchWrapper')

    def test_unknown_app_name(self):
        self.assertLoadFails(base.PASTE_INI, 'nosuchcomposite',
                             name='nosuchcomposite')

    def test_auth_strategy_without_pipeline(self):
        path = self.broken_ini('\nnoauth2 = cors', '\nnoauthx = cors')
        self.assertLoadFails(path, 'noauth2')

    def test_not_an_ini_file(self):
        path = os.path.join(self.tmp, 'api-paste.ini')
        with open(path, 'w') as out:
            out.write('this is [not\n an ini file\n')
        self.assertLoadFails(path)

    def test_missing_file(self):
        path = os.path.join(self.tmp, 'absent.ini')
        self.assertLoadFails(path, 'No such file')
