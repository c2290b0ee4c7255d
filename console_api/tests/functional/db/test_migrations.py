"""Migrations on SQLite, MySQL/MariaDB and PostgreSQL.

The MySQL and PostgreSQL cases are opportunistic: they run when oslo.db can
reach the ``openstack_citest`` user and database and are skipped otherwise.
"""

import collections

from oslo_db.sqlalchemy import enginefacade
from oslo_db.sqlalchemy import test_fixtures
from oslo_db.sqlalchemy import test_migrations
import sqlalchemy as sa
import testtools

from console_api.console import token_store
from console_api import context
from console_api.db import migration
from console_api.db import models
from console_api import exception
from console_api import liveness
from console_api.tests.unit.db import database

Domain = collections.namedtuple(
    'Domain', 'uuid name power_state project_id user_id task_state')

UUID = '11111111-1111-4111-8111-111111111111'

EXPECTED_INDEXES = {
    'console_auth_tokens': {
        'console_auth_tokens_instance_uuid_idx': ['instance_uuid'],
        'console_auth_tokens_host_expires_idx': ['host', 'expires'],
        'console_auth_tokens_token_hash_instance_uuid_idx':
            ['token_hash', 'instance_uuid'],
        'console_auth_tokens_expires_idx': ['expires'],
    },
    'instances': {
        'instances_project_id_idx': ['project_id'],
        'instances_host_idx': ['host'],
    },
}

EXPECTED_UNIQUES = {
    'console_auth_tokens': {
        'uniq_console_auth_tokens0token_hash': ['token_hash']},
    'instances': {'uniq_instances0uuid': ['uuid']},
    'services': {'uniq_services0host0binary': ['host', 'binary']},
}


class _MigrationsWalk(test_fixtures.OpportunisticDBTestMixin):
    """Upgrade an empty database and look at what was built."""

    def setUp(self):
        super().setUp()
        self.engine = enginefacade.writer.get_engine()

    def test_version_before_and_after_sync(self):
        self.assertIsNone(migration.db_version(self.engine))
        self.assertRaises(exception.DBNotAtHead, migration.check_at_head,
                          self.engine)
        migration.db_sync(engine=self.engine)
        self.assertEqual(migration.head_version(),
                         migration.db_version(self.engine))
        migration.check_at_head(self.engine)
        # A second sync at head changes nothing.
        migration.db_sync(engine=self.engine)

    def test_schema_names(self):
        migration.db_sync(engine=self.engine)
        inspector = sa.inspect(self.engine)
        self.assertTrue({'console_auth_tokens', 'instances', 'services'}
                        <= set(inspector.get_table_names()))
        for table, expected in EXPECTED_INDEXES.items():
            found = {index['name']: index['column_names']
                     for index in inspector.get_indexes(table)
                     if not index.get('unique')}
            for name, columns in expected.items():
                self.assertEqual(columns, found.get(name), name)
        for table, expected in EXPECTED_UNIQUES.items():
            found = {c['name']: c['column_names']
                     for c in inspector.get_unique_constraints(table)}
            self.assertEqual(expected, found, table)


class _ApiOnBackend(test_fixtures.OpportunisticDBTestMixin):
    """The database API's dialect-specific parts on a migrated database."""

    def setUp(self):
        super().setUp()
        # db.api gets its own engine on the provisioned database (a fresh
        # in-memory one for SQLite) and builds the schema by migrating.
        url = enginefacade.writer.get_engine().url
        self.database = self.useFixture(database.Database(
            url.render_as_string(hide_password=False), migrate=True)).database
        self.ctx = context.get_admin_context()

    def test_round_trip(self):
        result = self.database.instance_sync_host(
            self.ctx, 'agent1', [Domain(UUID, 'vm', 1, 'p', 'u', None)])
        self.assertEqual([UUID], result.added)
        values = {'token_hash': 'a' * 64, 'console_type': 'novnc',
                  'host': 'h', 'port': 5900, 'tls_port': None,
                  'internal_access_path': None, 'instance_uuid': UUID,
                  'compute_host': 'agent1', 'access_url_base': 'http://x',
                  'expires': 100}
        token_store.create(self.database, self.ctx, values)
        self.assertRaises(exception.TokenInUse, token_store.create,
                          self.database, self.ctx, values)
        self.assertIsNotNone(token_store.get_with_instance(
            self.database, self.ctx, 'a' * 64, 99))
        for index in range(4):
            token_store.create(self.database, self.ctx, dict(
                values, token_hash='%064d' % index, expires=50 + index))
        token_store.create(self.database, self.ctx,
                           dict(values, token_hash='b' * 64, expires=101))
        # Batches of two on every back end (MySQL takes the derived table).
        self.assertEqual(5, token_store.purge_expired(
            self.database, self.ctx, 100, 2))
        self.assertIsNotNone(token_store.get_with_instance(
            self.database, self.ctx, 'b' * 64, 100))
        self.database.service_heartbeat(self.ctx, 'agent1', 'agent', '1.0')
        self.database.service_heartbeat(self.ctx, 'agent1', 'agent', '1.0')
        service = self.database.service_get(self.ctx, 'agent1', 'agent')
        # Stamped by the database clock, in UTC.
        self.assertTrue(liveness.is_up(service, 600))
        self.assertEqual([], self.database.instance_sync_host(
            self.ctx, 'agent1', []).added)
        self.assertIsNone(self.database.instance_get(self.ctx, UUID))


class _ModelsMigrationsSync(test_migrations.ModelsMigrationsSync):
    """The migrations build exactly what the models describe."""

    def setUp(self):
        super().setUp()
        self.engine = enginefacade.writer.get_engine()

    def db_sync(self, engine):
        migration.db_sync(engine=engine)

    def get_engine(self):
        return self.engine

    def get_metadata(self):
        return models.Base.metadata

    def include_object(self, object_, name, type_, reflected, compare_to):
        # alembic's own bookkeeping table is not a model.
        if type_ == 'table' and name == 'alembic_version':
            return False
        return super().include_object(object_, name, type_, reflected,
                                      compare_to)


class TestMigrationsWalkSQLite(_MigrationsWalk, testtools.TestCase):
    pass


class TestMigrationsWalkMySQL(_MigrationsWalk, testtools.TestCase):
    FIXTURE = test_fixtures.MySQLOpportunisticFixture

    def test_innodb_utf8mb4(self):
        migration.db_sync(engine=self.engine)
        with self.engine.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT table_name, engine, table_collation "
                "FROM information_schema.tables "
                "WHERE table_schema = DATABASE()")).all()
        for name, engine, collation in rows:
            self.assertEqual('InnoDB', engine, name)
            if name != 'alembic_version':
                self.assertTrue(collation.startswith('utf8mb4'), name)


class TestMigrationsWalkPostgreSQL(_MigrationsWalk, testtools.TestCase):
    FIXTURE = test_fixtures.PostgresqlOpportunisticFixture


class TestApiSQLite(_ApiOnBackend, testtools.TestCase):
    pass


class TestApiMySQL(_ApiOnBackend, testtools.TestCase):
    FIXTURE = test_fixtures.MySQLOpportunisticFixture


class TestApiPostgreSQL(_ApiOnBackend, testtools.TestCase):
    FIXTURE = test_fixtures.PostgresqlOpportunisticFixture


class TestModelsSyncSQLite(_ModelsMigrationsSync,
                           test_fixtures.OpportunisticDBTestMixin,
                           testtools.TestCase):
    pass


class TestModelsSyncMySQL(_ModelsMigrationsSync,
                          test_fixtures.OpportunisticDBTestMixin,
                          testtools.TestCase):
    FIXTURE = test_fixtures.MySQLOpportunisticFixture


class TestModelsSyncPostgreSQL(_ModelsMigrationsSync,
                               test_fixtures.OpportunisticDBTestMixin,
                               testtools.TestCase):
    FIXTURE = test_fixtures.PostgresqlOpportunisticFixture
