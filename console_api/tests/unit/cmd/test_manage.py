"""Unit tests of console-api-manage on a temporary SQLite file."""

import os

import fixtures
import testtools

from console_api.cmd import manage
from console_api.db import migration


class ManageTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.tmp = self.useFixture(fixtures.TempDir()).path
        self.db_path = os.path.join(self.tmp, 'console_api.sqlite')
        self.conf_file = self._conf('sqlite:///' + self.db_path)
        self.stdout = self.useFixture(
            fixtures.StringStream('stdout')).stream
        self.stderr = self.useFixture(
            fixtures.StringStream('stderr')).stream
        self.useFixture(fixtures.MonkeyPatch('sys.stdout', self.stdout))
        self.useFixture(fixtures.MonkeyPatch('sys.stderr', self.stderr))

    def _conf(self, connection):
        path = os.path.join(self.tmp, 'console_api.conf')
        with open(path, 'w') as f:
            f.write('[database]\nconnection = %s\n' % connection)
        return path

    def _manage(self, *args):
        return manage.main(['--config-file', self.conf_file] + list(args))

    def _output(self):
        self.stdout.seek(0)
        self.stderr.seek(0)
        return self.stdout.read(), self.stderr.read()

    def test_version_before_sync(self):
        self.assertEqual(0, self._manage('db', 'version'))
        self.assertEqual(('None\n', ''), self._output())

    def test_sync_then_version(self):
        self.assertEqual(0, self._manage('db', 'sync'))
        self.assertEqual(0, self._manage('db', 'version'))
        self.assertEqual((migration.head_version() + '\n', ''),
                         self._output())

    def test_sync_to_named_version(self):
        head = migration.head_version()
        self.assertEqual(0, self._manage('db', 'sync', head))
        self.assertEqual(0, self._manage('db', 'version'))
        self.assertEqual(head + '\n', self._output()[0])

    def test_sync_unknown_version(self):
        self.assertEqual(1, self._manage('db', 'sync', 'nope'))
        out, err = self._output()
        self.assertEqual(1, len(err.splitlines()))
        self.assertIn("'nope'", err)
        self.assertNotIn('Traceback', err)

    def test_unreachable_database(self):
        self.conf_file = self._conf(
            'sqlite:///' + os.path.join(self.tmp, 'missing', 'db.sqlite'))
        self.assertEqual(1, self._manage('db', 'sync'))
        out, err = self._output()
        self.assertEqual(1, len(err.splitlines()))
        self.assertIn('error: ', err)
        self.assertIn('unable to open database file', err)

    def test_missing_config_file(self):
        self.conf_file = os.path.join(self.tmp, 'nope.conf')
        self.assertEqual(1, self._manage('db', 'version'))
        err = self._output()[1]
        self.assertEqual(1, len(err.splitlines()))
        self.assertIn('nope.conf', err)

    def test_missing_action(self):
        exc = self.assertRaises(SystemExit, self._manage, 'db')
        self.assertEqual(2, exc.code)

    def test_leaves_global_conf_reusable(self):
        self.assertEqual(0, self._manage('db', 'version'))
        self.assertEqual(10, manage.CONF.database.max_retries)
        self.assertIn('console_api.sqlite', manage.CONF.database.connection)
        self.assertEqual(0, self._manage('db', 'version'))
