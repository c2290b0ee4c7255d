"""Unit tests of console_api.db.api on SQLite."""

import collections
import datetime
from unittest import mock

from oslo_config import cfg
from oslo_db import exception as db_exc
from oslo_db import options as db_options
from oslo_utils import fixture as utils_fixture
from oslo_utils import timeutils
import sqlalchemy as sa
import testtools

from console_api import context
from console_api.db import api as db_api
from console_api.db import models
from console_api import exception
from console_api.tests.unit.db import database

# Stands in for console_api.virt.driver.DomainInfo.
Domain = collections.namedtuple(
    'Domain', 'uuid name power_state project_id user_id task_state')

UUID1 = '11111111-1111-4111-8111-111111111111'
UUID2 = '22222222-2222-4222-8222-222222222222'
UUID3 = '33333333-3333-4333-8333-333333333333'


def domain(uuid, name='vm', power_state=1, project_id='p1', user_id='u1',
           task_state=None):
    return Domain(uuid, name, power_state, project_id, user_id, task_state)


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


class DbTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.db = self.useFixture(database.Database())
        self.ctx = context.get_admin_context()

    def _count(self, model, *where):
        with self.db.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(
                model).where(*where)).scalar()


class ConfigureTestCase(DbTestCase):

    def test_configure_again_is_ignored(self):
        other = cfg.ConfigOpts()
        db_options.set_defaults(other, connection='mysql+pymysql://x@y/z')
        db_api.configure(other)
        self.assertEqual('sqlite', db_api.get_engine().dialect.name)

    def test_reset_allows_a_new_configuration(self):
        engine = db_api.get_engine()
        db_api.reset()
        other = cfg.ConfigOpts()
        db_options.set_defaults(other, connection='sqlite://')
        db_api.configure(other)
        self.assertIsNot(engine, db_api.get_engine())


class TokenTestCase(DbTestCase):

    def setUp(self):
        super().setUp()
        db_api.instance_sync_host(self.ctx, 'agent1',
                                  [domain(UUID1), domain(UUID2)])

    def test_create_returns_detached_row(self):
        token = db_api.token_create(self.ctx, token_values(tls_port=5901))
        self.assertIsNotNone(token.id)
        self.assertEqual('h' * 64, token.token_hash)
        self.assertEqual(5901, token.tls_port)
        self.assertEqual('agent1', token.compute_host)
        self.assertEqual(1000, token.expires)
        self.assertIsNotNone(token.created_at)
        self.assertEqual(1, self._count(models.ConsoleAuthToken))

    def test_create_unknown_instance(self):
        exc = self.assertRaises(
            exception.InstanceNotFound, db_api.token_create, self.ctx,
            token_values(instance_uuid=UUID3))
        self.assertIn(UUID3, exc.format_message())
        self.assertEqual(0, self._count(models.ConsoleAuthToken))

    def test_create_deleted_instance(self):
        db_api.instance_sync_host(self.ctx, 'agent1', [domain(UUID2)])
        self.assertRaises(exception.InstanceNotFound, db_api.token_create,
                          self.ctx, token_values(instance_uuid=UUID1))

    def test_create_duplicate_hash(self):
        db_api.token_create(self.ctx, token_values())
        self.assertRaises(exception.TokenInUse, db_api.token_create,
                          self.ctx, token_values(instance_uuid=UUID2))
        self.assertEqual(1, self._count(models.ConsoleAuthToken))

    def test_get_valid(self):
        created = db_api.token_create(self.ctx, token_values(expires=1000))
        found = db_api.token_get_valid(self.ctx, 'h' * 64, 999)
        self.assertEqual(created.id, found.id)
        self.assertEqual(UUID1, found.instance_uuid)

    def test_get_valid_expired(self):
        db_api.token_create(self.ctx, token_values(expires=1000))
        self.assertIsNone(db_api.token_get_valid(self.ctx, 'h' * 64, 1000))
        self.assertIsNone(db_api.token_get_valid(self.ctx, 'h' * 64, 5000))

    def test_get_valid_unknown(self):
        db_api.token_create(self.ctx, token_values())
        self.assertIsNone(db_api.token_get_valid(self.ctx, 'x' * 64, 0))

    def test_destroy_for_instance(self):
        db_api.token_create(self.ctx, token_values('a'))
        db_api.token_create(self.ctx, token_values('b'))
        db_api.token_create(self.ctx, token_values('c', UUID2))
        self.assertEqual(
            2, db_api.token_destroy_for_instance(self.ctx, UUID1))
        self.assertEqual(0, db_api.token_destroy_for_instance(self.ctx,
                                                              UUID1))
        self.assertIsNotNone(db_api.token_get_valid(self.ctx, 'c', 0))
        self.assertEqual(1, self._count(models.ConsoleAuthToken))


class PurgeTestCase(DbTestCase):

    def setUp(self):
        super().setUp()
        db_api.instance_sync_host(self.ctx, 'agent1', [domain(UUID1)])
        self.deletes = []

        def record(conn, cursor, statement, params, context, executemany):
            if statement.lstrip().upper().startswith('DELETE'):
                self.deletes.append(cursor.rowcount)

        sa.event.listen(self.db.engine, 'after_cursor_execute', record)
        self.addCleanup(sa.event.remove, self.db.engine,
                        'after_cursor_execute', record)

    def _tokens(self, prefix, count, expires):
        for i in range(count):
            db_api.token_create(self.ctx, token_values(
                '%s%d' % (prefix, i), expires=expires))

    def test_purges_only_expired_in_batches(self):
        self._tokens('old', 7, expires=100)
        self._tokens('edge', 1, expires=500)
        self._tokens('new', 3, expires=501)
        self.assertEqual(8, db_api.token_purge_expired(self.ctx, 500, 3))
        self.assertEqual([3, 3, 2], self.deletes)
        self.assertEqual(3, self._count(models.ConsoleAuthToken))
        self.assertEqual(0, self._count(
            models.ConsoleAuthToken, models.ConsoleAuthToken.expires <= 500))

    def test_exact_multiple_of_batch(self):
        self._tokens('old', 4, expires=100)
        self.assertEqual(4, db_api.token_purge_expired(self.ctx, 200, 2))
        # A full batch may hide more rows: one more (empty) batch tells.
        self.assertEqual([2, 2, 0], self.deletes)
        self.assertEqual(0, self._count(models.ConsoleAuthToken))

    def test_nothing_expired(self):
        self._tokens('new', 2, expires=1000)
        self.assertEqual(0, db_api.token_purge_expired(self.ctx, 999, 10))
        self.assertEqual([0], self.deletes)
        self.assertEqual(2, self._count(models.ConsoleAuthToken))


class InstanceTestCase(DbTestCase):

    def setUp(self):
        super().setUp()
        db_api.instance_sync_host(self.ctx, 'agent1', [
            domain(UUID1, project_id='p1'), domain(UUID2, project_id='p2')])
        db_api.instance_sync_host(self.ctx, 'agent2', [
            domain(UUID3, project_id='p1')])

    def test_get(self):
        instance = db_api.instance_get(self.ctx, UUID1)
        self.assertEqual('agent1', instance.host)
        self.assertEqual('p1', instance.project_id)
        self.assertEqual(0, instance.deleted)

    def test_get_other_project(self):
        self.assertIsNone(db_api.instance_get(self.ctx, UUID1, 'p2'))
        self.assertEqual(
            UUID1, db_api.instance_get(self.ctx, UUID1, 'p1').uuid)

    def test_get_unknown_and_deleted(self):
        self.assertIsNone(db_api.instance_get(self.ctx, 'nope'))
        db_api.instance_sync_host(self.ctx, 'agent1', [domain(UUID2)])
        self.assertIsNone(db_api.instance_get(self.ctx, UUID1))

    def test_get_all(self):
        def uuids(**kw):
            return [i.uuid for i in db_api.instance_get_all(self.ctx, **kw)]

        self.assertEqual([UUID1, UUID2, UUID3], uuids())
        self.assertEqual([UUID1, UUID3], uuids(project_id='p1'))
        self.assertEqual([UUID1, UUID2], uuids(host='agent1'))
        self.assertEqual([UUID1], uuids(project_id='p1', host='agent1'))
        db_api.instance_sync_host(self.ctx, 'agent1', [domain(UUID2)])
        self.assertEqual([UUID2, UUID3], uuids())


class SyncTestCase(DbTestCase):

    def _sync(self, host, *domains):
        return db_api.instance_sync_host(self.ctx, host, list(domains))

    def _token(self, token_hash, uuid):
        db_api.token_create(self.ctx, token_values(token_hash, uuid))

    def test_added(self):
        result = self._sync('agent1', domain(UUID1, name='a', power_state=4,
                                             task_state='migrating'))
        self.assertEqual(db_api.SyncResult(added=[UUID1]), result)
        instance = db_api.instance_get(self.ctx, UUID1)
        self.assertEqual(('a', 4, 'migrating', 'p1', 'u1', 'agent1'),
                         (instance.name, instance.power_state,
                          instance.task_state, instance.project_id,
                          instance.user_id, instance.host))

    def test_unchanged(self):
        self._sync('agent1', domain(UUID1))
        self.assertEqual(db_api.SyncResult(),
                         self._sync('agent1', domain(UUID1)))

    def test_changed(self):
        self._sync('agent1', domain(UUID1), domain(UUID2))
        result = self._sync('agent1', domain(UUID1, power_state=4),
                            domain(UUID2))
        self.assertEqual(db_api.SyncResult(changed=[UUID1]), result)
        instance = db_api.instance_get(self.ctx, UUID1)
        self.assertEqual(4, instance.power_state)
        self.assertIsNotNone(instance.updated_at)

    def test_removed_soft_deletes_and_revokes(self):
        self._sync('agent1', domain(UUID1), domain(UUID2))
        self._token('t1', UUID1)
        self._token('t2', UUID2)
        result = self._sync('agent1', domain(UUID2))
        self.assertEqual(db_api.SyncResult(removed=[UUID1]), result)
        self.assertIsNone(db_api.instance_get(self.ctx, UUID1))
        with self.db.engine.connect() as conn:
            row = conn.execute(sa.select(models.Instance).where(
                models.Instance.uuid == UUID1)).one()
        self.assertEqual(row.id, row.deleted)
        self.assertIsNotNone(row.deleted_at)
        self.assertIsNone(db_api.token_get_valid(self.ctx, 't1', 0))
        self.assertIsNotNone(db_api.token_get_valid(self.ctx, 't2', 0))

    def test_empty_report_removes_all_of_host_only(self):
        self._sync('agent1', domain(UUID1), domain(UUID2))
        self._sync('agent2', domain(UUID3))
        result = self._sync('agent1')
        self.assertEqual(sorted([UUID1, UUID2]), sorted(result.removed))
        self.assertEqual([UUID3], [i.uuid for i in
                                   db_api.instance_get_all(self.ctx)])

    def test_moved_revokes_tokens(self):
        self._sync('agent1', domain(UUID1), domain(UUID2))
        self._token('t1', UUID1)
        self._token('t2', UUID2)
        result = self._sync('agent2', domain(UUID1, power_state=3))
        self.assertEqual(db_api.SyncResult(moved=[UUID1]), result)
        instance = db_api.instance_get(self.ctx, UUID1)
        self.assertEqual(('agent2', 3), (instance.host, instance.power_state))
        self.assertIsNone(db_api.token_get_valid(self.ctx, 't1', 0))
        self.assertIsNotNone(db_api.token_get_valid(self.ctx, 't2', 0))
        # The old host no longer reports it: nothing left to remove there.
        self.assertEqual(db_api.SyncResult(),
                         self._sync('agent1', domain(UUID2)))

    def test_reappears_after_removal(self):
        self._sync('agent1', domain(UUID1))
        first_id = db_api.instance_get(self.ctx, UUID1).id
        self._sync('agent1')
        result = self._sync('agent2', domain(UUID1, name='back'))
        self.assertEqual(db_api.SyncResult(added=[UUID1]), result)
        instance = db_api.instance_get(self.ctx, UUID1)
        self.assertEqual((first_id, 0, None, 'agent2', 'back'),
                         (instance.id, instance.deleted, instance.deleted_at,
                          instance.host, instance.name))

    def test_many_domains(self):
        # More uuids than one IN (...) chunk holds.
        many = [domain('%036d' % i) for i in range(1203)]
        self.assertEqual(1203, len(self._sync('agent1', *many).added))
        result = self._sync('agent2', *many[:700])
        self.assertEqual(700, len(result.moved))
        result = self._sync('agent1', *many)
        self.assertEqual(700, len(result.moved))
        self.assertEqual(db_api.SyncResult(), self._sync('agent1', *many))
        self.assertEqual(1203, len(db_api.instance_get_all(
            self.ctx, host='agent1')))


class ServiceTestCase(DbTestCase):

    def test_heartbeat_creates_then_updates(self):
        self.assertIsNone(db_api.service_get(self.ctx, 'agent1', 'agent'))
        db_api.service_heartbeat(self.ctx, 'agent1', 'agent', '1.0')
        first = db_api.service_get(self.ctx, 'agent1', 'agent')
        self.assertIsNotNone(first.last_seen_up)
        self.assertEqual('1.0', first.rpc_version)
        db_api.service_heartbeat(self.ctx, 'agent1', 'agent', '1.1')
        second = db_api.service_get(self.ctx, 'agent1', 'agent')
        self.assertEqual((first.id, '1.1'), (second.id, second.rpc_version))
        self.assertIsNotNone(second.updated_at)
        self.assertEqual(1, self._count(models.Service))

    def test_heartbeat_uses_utc(self):
        db_api.service_heartbeat(self.ctx, 'agent1', 'agent', '1.0')
        service = db_api.service_get(self.ctx, 'agent1', 'agent')
        # Generous bound: only a local-time clock would be hours off.
        skew = abs(timeutils.utcnow() - service.last_seen_up)
        self.assertLess(skew, datetime.timedelta(minutes=30))

    def test_heartbeat_lost_insert_race(self):
        real_touch = db_api._service_touch
        calls = []

        def touch(*args, create):
            calls.append(create)
            if create:
                # Another agent process inserts first.
                real_touch(*args, create=True)
                raise db_exc.DBDuplicateEntry(columns=['host', 'binary'])
            return real_touch(*args, create=create)

        with mock.patch.object(db_api, '_service_touch', touch):
            db_api.service_heartbeat(self.ctx, 'agent1', 'agent', '1.0')
        self.assertEqual([True, False], calls)
        self.assertEqual(1, self._count(models.Service))

    def test_get_other_binary(self):
        db_api.service_heartbeat(self.ctx, 'agent1', 'agent', '1.0')
        self.assertIsNone(db_api.service_get(self.ctx, 'agent1', 'other'))
        self.assertIsNone(db_api.service_get(self.ctx, 'agent2', 'agent'))


class ServiceIsUpTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.now = datetime.datetime(2026, 1, 1, 12, 0, 0)
        self.useFixture(utils_fixture.TimeFixture(self.now))

    def _service(self, seconds_ago):
        seen = None
        if seconds_ago is not None:
            seen = self.now - datetime.timedelta(seconds=seconds_ago)
        return models.Service(host='h', binary='b', last_seen_up=seen)

    def test_recent(self):
        self.assertTrue(db_api.service_is_up(self._service(10), 60))
        self.assertTrue(db_api.service_is_up(self._service(60), 60))

    def test_stale(self):
        self.assertFalse(db_api.service_is_up(self._service(61), 60))

    def test_slightly_in_future(self):
        self.assertTrue(db_api.service_is_up(self._service(-5), 60))

    def test_never_seen(self):
        self.assertFalse(db_api.service_is_up(self._service(None), 60))
        self.assertFalse(db_api.service_is_up(None, 60))
