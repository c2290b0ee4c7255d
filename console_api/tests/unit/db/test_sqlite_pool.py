"""File-based sqlite engines get a connection pool; others are untouched."""

import os

import fixtures
import sqlalchemy as sa
from sqlalchemy import pool
import testtools

from console_api.db import sqlite_pool
from oslo_db.sqlalchemy import engines


class SqlitePoolTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        sqlite_pool.install()
        self.tmp = self.useFixture(fixtures.TempDir()).path

    def _engine(self, url):
        engine = engines.create_engine(url, max_retries=0)
        self.addCleanup(engine.dispose)
        return engine

    def test_file_database_is_pooled(self):
        engine = self._engine('sqlite:///' + os.path.join(self.tmp, 'a.db'))
        self.assertIsInstance(engine.pool, pool.QueuePool)
        with engine.connect() as first:
            raw = first.connection.dbapi_connection
        with engine.connect() as second:
            # The same sqlite connection is handed out again.
            self.assertIs(raw, second.connection.dbapi_connection)
            self.assertEqual(1, second.execute(sa.text('SELECT 1')).scalar())

    def test_file_database_uses_write_ahead_log(self):
        engine = self._engine('sqlite:///' + os.path.join(self.tmp, 'b.db'))
        with engine.connect() as connection:
            self.assertEqual('wal', connection.exec_driver_sql(
                'PRAGMA journal_mode').scalar())

    def test_memory_database_keeps_static_pool(self):
        self.assertIsInstance(self._engine('sqlite://').pool,
                              pool.StaticPool)

    def test_install_is_idempotent(self):
        sqlite_pool.install()
        sqlite_pool.install()
        registered = engines._init_connection_args.reg['sqlite']['*']
        self.assertEqual(1, registered.count(
            sqlite_pool._pool_file_connections))
        events = engines._init_events.reg['sqlite']['*']
        self.assertEqual(1, events.count(sqlite_pool._use_write_ahead_log))
