"""File-based sqlite reuses its connections and runs in WAL mode."""

import os

import fixtures
from oslo_config import cfg
from oslo_db import options as db_options
from oslo_db.sqlalchemy import enginefacade
import sqlalchemy as sa
import testtools

from console_api.db import sqlite_pool


@enginefacade.transaction_context_provider
class Context(object):
    """The least a caller of enginefacade's decorators needs."""


class SqlitePoolTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.tmp = self.useFixture(fixtures.TempDir()).path

    def _facade(self, connection, **options):
        conf = cfg.ConfigOpts()
        db_options.set_defaults(conf, connection=connection)
        for name, value in options.items():
            conf.set_override(name, value, group='database')
        facade = enginefacade.transaction_context()
        facade.configure(**dict(conf.database.items()))
        sqlite_pool.configure(facade, conf.database)
        self.addCleanup(facade.dispose_pool)
        return facade

    def _dbapi_connection(self, facade):
        with facade.writer.using(Context()) as session:
            session.execute(sa.text('SELECT 1'))
            return session.connection().connection.dbapi_connection

    def test_file_database_reuses_connection(self):
        facade = self._facade('sqlite:///' + os.path.join(self.tmp, 'a.db'))
        first = self._dbapi_connection(facade)
        # The same sqlite connection serves the next transaction.
        self.assertIs(first, self._dbapi_connection(facade))

    def test_file_database_uses_write_ahead_log(self):
        facade = self._facade('sqlite:///' + os.path.join(self.tmp, 'b.db'))
        with facade.writer.get_engine().connect() as connection:
            self.assertEqual('wal', connection.exec_driver_sql(
                'PRAGMA journal_mode').scalar())

    def test_operator_connection_parameters_kept(self):
        facade = self._facade('sqlite:///' + os.path.join(self.tmp, 'c.db'),
                              connection_parameters='timeout=7')
        self.assertEqual('7', facade.writer.get_engine().url.query['timeout'])
        self.assertIsNotNone(self._dbapi_connection(facade))

    def test_memory_database_is_shared_by_connections(self):
        engine = self._facade('sqlite://').writer.get_engine()
        with engine.connect() as first, engine.connect() as second:
            first.exec_driver_sql('CREATE TABLE t (x INTEGER)')
            self.assertEqual(0, second.exec_driver_sql(
                'SELECT count(*) FROM t').scalar())
