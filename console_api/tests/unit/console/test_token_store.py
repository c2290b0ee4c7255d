"""Tests of the console-auth service's token SQL (token_store)."""

import types

import sqlalchemy as sa

from console_api.console import token_store
from console_api.db import models
from console_api import exception
from console_api.tests.unit.db import test_api as db_tests

UUID1, UUID2, UUID3 = db_tests.UUID1, db_tests.UUID2, db_tests.UUID3
domain = db_tests.domain


def token_values(token_hash='h' * 64, instance_uuid=UUID1, expires=1000,
                 **extra):
    values = {'token_hash': token_hash, 'console_type': 'novnc',
              'host': '192.0.2.10', 'port': 5900, 'tls_port': None,
              'internal_access_path': None, 'instance_uuid': instance_uuid,
              'compute_host': 'agent1',
              'access_url_base': 'http://proxy:6080/vnc_lite.html',
              'expires': expires}
    values.update(extra)
    return values


class StoreTestCase(db_tests.DbTestCase):

    def _create(self, values):
        return token_store.create(self.database, self.ctx, values)

    def _get(self, token_hash, now):
        return token_store.get_with_instance(self.database, self.ctx,
                                             token_hash, now)

    def _destroy(self, uuids):
        return token_store.destroy_for_instances(self.database, self.ctx,
                                                 uuids)

    def _purge(self, now, batch_size):
        return token_store.purge_expired(self.database, self.ctx, now,
                                         batch_size)


class TokenTestCase(StoreTestCase):

    def setUp(self):
        super().setUp()
        self.database.instance_sync_host(self.ctx, 'agent1',
                                         [domain(UUID1), domain(UUID2)])

    def test_create_returns_detached_row(self):
        token = types.SimpleNamespace(
            **self._create(token_values(tls_port=5901)))
        self.assertIsNotNone(token.id)
        self.assertEqual('h' * 64, token.token_hash)
        self.assertEqual(5901, token.tls_port)
        self.assertEqual('agent1', token.compute_host)
        self.assertEqual(1000, token.expires)
        self.assertIsNotNone(token.created_at)
        self.assertEqual(1, self._count(models.ConsoleAuthToken))

    def test_create_unknown_instance(self):
        exc = self.assertRaises(
            exception.InstanceNotFound, self._create,
            token_values(instance_uuid=UUID3))
        self.assertIn(UUID3, exc.format_message())
        self.assertEqual(0, self._count(models.ConsoleAuthToken))

    def test_create_deleted_instance(self):
        self.database.instance_sync_host(self.ctx, 'agent1', [domain(UUID2)])
        self.assertRaises(exception.InstanceNotFound, self._create,
                          token_values(instance_uuid=UUID1))

    def test_create_duplicate_hash(self):
        self._create(token_values())
        self.assertRaises(exception.TokenInUse, self._create,
                          token_values(instance_uuid=UUID2))
        self.assertEqual(1, self._count(models.ConsoleAuthToken))

    def test_get_valid(self):
        created = self._create(token_values(expires=1000))
        found = self._get('h' * 64, 999)
        self.assertEqual(created['id'], found.id)
        self.assertEqual(UUID1, found.instance_uuid)

    def test_get_valid_expired(self):
        self._create(token_values(expires=1000))
        self.assertIsNone(self._get('h' * 64, 1000))
        self.assertIsNone(self._get('h' * 64, 5000))

    def test_get_valid_unknown(self):
        self._create(token_values())
        self.assertIsNone(self._get('x' * 64, 0))

    def test_get_joins_the_live_instance_host(self):
        self._create(token_values(expires=1000))
        self.assertEqual('agent1', self._get('h' * 64, 0).instance_host)
        self.database.instance_sync_host(self.ctx, 'agent1', [domain(UUID2)])
        row = self._get('h' * 64, 0)
        self.assertEqual((UUID1, None), (row.instance_uuid,
                                         row.instance_host))

    def test_destroy_for_instance(self):
        self._create(token_values('a'))
        self._create(token_values('b'))
        self._create(token_values('c', UUID2))
        self.assertEqual(
            2, self._destroy([UUID1]))
        self.assertEqual(0, self._destroy([UUID1]))
        self.assertIsNotNone(self._get('c', 0))
        self.assertEqual(1, self._count(models.ConsoleAuthToken))


class PurgeTestCase(StoreTestCase):

    def setUp(self):
        super().setUp()
        self.database.instance_sync_host(self.ctx, 'agent1',
                                         [domain(UUID1)])
        self.deletes = []

        def record(conn, cursor, statement, params, context, executemany):
            if statement.lstrip().upper().startswith('DELETE'):
                self.deletes.append(cursor.rowcount)

        sa.event.listen(self.db.engine, 'after_cursor_execute', record)
        self.addCleanup(sa.event.remove, self.db.engine,
                        'after_cursor_execute', record)

    def _tokens(self, prefix, count, expires):
        for i in range(count):
            self._create(token_values(
                '%s%d' % (prefix, i), expires=expires))

    def test_purges_only_expired_in_batches(self):
        self._tokens('old', 7, expires=100)
        self._tokens('edge', 1, expires=500)
        self._tokens('new', 3, expires=501)
        self.assertEqual(8, self._purge(500, 3))
        self.assertEqual([3, 3, 2], self.deletes)
        self.assertEqual(3, self._count(models.ConsoleAuthToken))
        self.assertEqual(0, self._count(
            models.ConsoleAuthToken, models.ConsoleAuthToken.expires <= 500))

    def test_exact_multiple_of_batch(self):
        self._tokens('old', 4, expires=100)
        self.assertEqual(4, self._purge(200, 2))
        # A full batch may hide more rows: one more (empty) batch tells.
        self.assertEqual([2, 2, 0], self.deletes)
        self.assertEqual(0, self._count(models.ConsoleAuthToken))

    def test_nothing_expired(self):
        self._tokens('new', 2, expires=1000)
        self.assertEqual(0, self._purge(999, 10))
        self.assertEqual([0], self.deletes)
        self.assertEqual(2, self._count(models.ConsoleAuthToken))
