"""[consoleauth] options, read under their old names too."""

import os

import fixtures
from oslo_config import cfg
import testtools

from console_api.conf import consoleauth


class PurgeIntervalTest(testtools.TestCase):

    def _parse(self, text):
        path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                            'console_api.conf')
        with open(path, 'w') as out:
            out.write(text)
        conf = cfg.ConfigOpts()
        consoleauth.register_opts(conf)
        conf([], default_config_files=[path])
        return conf

    def test_default(self):
        self.assertEqual(300, self._parse('').consoleauth.purge_interval)

    def test_set(self):
        self.assertEqual(60, self._parse(
            '[consoleauth]\npurge_interval = 60\n').consoleauth.purge_interval)

    def test_old_name_still_read_with_a_warning(self):
        log = self.useFixture(fixtures.FakeLogger('oslo_config.cfg'))
        self.assertEqual(42, self._parse(
            '[DEFAULT]\ninstance_delete_interval = 42\n')
            .consoleauth.purge_interval)
        self.assertIn('"instance_delete_interval" from group "DEFAULT" is '
                      'deprecated', log.output)
