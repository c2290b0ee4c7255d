"""Unit tests of console-api-status on a temporary SQLite file."""

import os

import fixtures
from oslo_config import cfg
from oslo_db import options as db_options
from oslo_upgradecheck import upgradecheck
import testtools

from console_api.cmd import status
from console_api.db import api as db_api
from console_api.db import migration


class StatusTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.tmp = self.useFixture(fixtures.TempDir()).path
        self.url = 'sqlite:///' + os.path.join(self.tmp, 'db.sqlite')
        self.stdout = self.useFixture(
            fixtures.StringStream('stdout')).stream
        self.useFixture(fixtures.MonkeyPatch('sys.stdout', self.stdout))

    def _conf(self, url=None):
        conf = cfg.ConfigOpts()
        db_options.set_defaults(conf, connection=url or self.url)
        return conf

    def _check(self, url=None):
        conf = self._conf(url)
        conf([], default_config_files=[])
        return status.UpgradeChecks(conf)._check_db_schema()

    def _sync(self):
        database = db_api.Database(self._conf())
        migration.db_sync(database.get_engine())
        database.dispose()

    def test_at_head(self):
        self._sync()
        self.assertEqual(upgradecheck.Code.SUCCESS, self._check().code)

    def test_empty_database(self):
        result = self._check()
        self.assertEqual(upgradecheck.Code.FAILURE, result.code)
        self.assertIn('console-api-manage db sync', result.details)

    def test_unreachable_database(self):
        result = self._check(
            'sqlite:///' + os.path.join(self.tmp, 'no', 'db.sqlite'))
        self.assertEqual(upgradecheck.Code.FAILURE, result.code)
        self.assertIn('unable to open database file', result.details)

    def _main(self):
        path = os.path.join(self.tmp, 'console_api.conf')
        with open(path, 'w') as f:
            f.write('[database]\nconnection = %s\n' % self.url)
        conf = cfg.ConfigOpts()
        db_options.set_defaults(conf)
        return status.main(['--config-file', path, 'upgrade', 'check'],
                           conf=conf)

    def test_main_failure_then_success(self):
        self.assertEqual(upgradecheck.Code.FAILURE, self._main())
        self._sync()
        self.assertEqual(upgradecheck.Code.SUCCESS, self._main())
        self.stdout.seek(0)
        self.assertIn('Database schema', self.stdout.read())
