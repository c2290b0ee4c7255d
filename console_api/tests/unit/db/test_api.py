"""Unit tests of console_api.db.api on SQLite."""

import collections
import datetime
from unittest import mock

from oslo_config import cfg
from oslo_db import exception as db_exc
from oslo_db import options as db_options
from oslo_utils import timeutils
import sqlalchemy as sa
import testtools

from console_api import context
from console_api.db import api as db_api
from console_api.db import models
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


class DbTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.db = self.useFixture(database.Database())
        self.database = self.db.database
        self.ctx = context.get_admin_context()

    def _count(self, model, *where):
        with self.db.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(
                model).where(*where)).scalar()


class DatabaseTestCase(DbTestCase):

    def test_each_database_has_its_own_engine(self):
        other = cfg.ConfigOpts()
        db_options.set_defaults(other, connection='sqlite://')
        second = db_api.Database(other)
        self.addCleanup(second.dispose)
        self.assertIsNot(self.database.get_engine(), second.get_engine())
        # Each in-memory database has its own tables: none in the second.
        self.assertRaises(db_exc.DBError, second.instance_get, self.ctx,
                          UUID1)


class InstanceTestCase(DbTestCase):

    def setUp(self):
        super().setUp()
        self.database.instance_sync_host(self.ctx, 'agent1', [
            domain(UUID1, project_id='p1'), domain(UUID2, project_id='p2')])
        self.database.instance_sync_host(self.ctx, 'agent2', [
            domain(UUID3, project_id='p1')])

    def test_get(self):
        instance = self.database.instance_get(self.ctx, UUID1)
        self.assertEqual('agent1', instance.host)
        self.assertEqual('p1', instance.project_id)
        self.assertEqual(0, instance.deleted)

    def test_get_other_project(self):
        self.assertIsNone(self.database.instance_get(self.ctx, UUID1, 'p2'))
        self.assertEqual(
            UUID1, self.database.instance_get(self.ctx, UUID1, 'p1').uuid)

    def test_get_unknown_and_deleted(self):
        self.assertIsNone(self.database.instance_get(self.ctx, 'nope'))
        self.database.instance_sync_host(self.ctx, 'agent1', [domain(UUID2)])
        self.assertIsNone(self.database.instance_get(self.ctx, UUID1))

    def test_get_all(self):
        def uuids(**kw):
            return [i.uuid for i in
                    self.database.instance_get_all(self.ctx, **kw)]

        self.assertEqual([UUID1, UUID2, UUID3], uuids())
        self.assertEqual([UUID1, UUID3], uuids(project_id='p1'))
        self.database.instance_sync_host(self.ctx, 'agent1', [domain(UUID2)])
        self.assertEqual([UUID2, UUID3], uuids())


class SyncTestCase(DbTestCase):

    def _sync(self, host, *domains):
        return self.database.instance_sync_host(self.ctx, host, list(domains))

    def test_added(self):
        result = self._sync('agent1', domain(UUID1, name='a', power_state=4,
                                             task_state='migrating'))
        self.assertEqual(db_api.SyncResult(added=[UUID1]), result)
        instance = self.database.instance_get(self.ctx, UUID1)
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
        instance = self.database.instance_get(self.ctx, UUID1)
        self.assertEqual(4, instance.power_state)
        self.assertIsNotNone(instance.updated_at)

    def test_removed_soft_deletes(self):
        self._sync('agent1', domain(UUID1), domain(UUID2))
        result = self._sync('agent1', domain(UUID2))
        self.assertEqual(db_api.SyncResult(removed=[UUID1]), result)
        self.assertIsNone(self.database.instance_get(self.ctx, UUID1))
        with self.db.engine.connect() as conn:
            row = conn.execute(sa.select(models.Instance).where(
                models.Instance.uuid == UUID1)).one()
        self.assertEqual(row.id, row.deleted)
        self.assertIsNotNone(row.deleted_at)

    def test_empty_report_removes_all_of_host_only(self):
        self._sync('agent1', domain(UUID1), domain(UUID2))
        self._sync('agent2', domain(UUID3))
        result = self._sync('agent1')
        self.assertEqual(sorted([UUID1, UUID2]), sorted(result.removed))
        self.assertEqual([UUID3], [i.uuid for i in
                                   self.database.instance_get_all(self.ctx)])

    def test_moved(self):
        self._sync('agent1', domain(UUID1), domain(UUID2))
        result = self._sync('agent2', domain(UUID1, power_state=3))
        self.assertEqual(db_api.SyncResult(moved=[UUID1]), result)
        instance = self.database.instance_get(self.ctx, UUID1)
        self.assertEqual(('agent2', 3), (instance.host, instance.power_state))
        # The old host no longer reports it: nothing left to remove there.
        self.assertEqual(db_api.SyncResult(),
                         self._sync('agent1', domain(UUID2)))

    def test_reappears_after_removal(self):
        self._sync('agent1', domain(UUID1))
        first_id = self.database.instance_get(self.ctx, UUID1).id
        self._sync('agent1')
        result = self._sync('agent2', domain(UUID1, name='back'))
        self.assertEqual(db_api.SyncResult(added=[UUID1]), result)
        instance = self.database.instance_get(self.ctx, UUID1)
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
        self.assertEqual(1203, self._count(
            models.Instance, models.Instance.host == 'agent1',
            models.Instance.deleted == 0))


class ServiceTestCase(DbTestCase):

    def test_heartbeat_creates_then_updates(self):
        self.assertIsNone(
            self.database.service_get(self.ctx, 'agent1', 'agent'))
        self.database.service_heartbeat(self.ctx, 'agent1', 'agent', '1.0')
        first = self.database.service_get(self.ctx, 'agent1', 'agent')
        self.assertIsNotNone(first.last_seen_up)
        self.assertEqual('1.0', first.rpc_version)
        self.database.service_heartbeat(self.ctx, 'agent1', 'agent', '1.1')
        second = self.database.service_get(self.ctx, 'agent1', 'agent')
        self.assertEqual((first.id, '1.1'), (second.id, second.rpc_version))
        self.assertIsNotNone(second.updated_at)
        self.assertEqual(1, self._count(models.Service))

    def test_heartbeat_uses_utc(self):
        self.database.service_heartbeat(self.ctx, 'agent1', 'agent', '1.0')
        service = self.database.service_get(self.ctx, 'agent1', 'agent')
        # Generous bound: only a local-time clock would be hours off.
        skew = abs(timeutils.utcnow() - service.last_seen_up)
        self.assertLess(skew, datetime.timedelta(minutes=30))

    def test_heartbeat_lost_insert_race(self):
        real_touch = self.database._service_touch
        calls = []

        def touch(*args, create):
            calls.append(create)
            if create:
                # Another agent process inserts first.
                real_touch(*args, create=True)
                raise db_exc.DBDuplicateEntry(columns=['host', 'binary'])
            return real_touch(*args, create=create)

        with mock.patch.object(self.database, '_service_touch', touch):
            self.database.service_heartbeat(self.ctx, 'agent1', 'agent', '1.0')
        self.assertEqual([True, False], calls)
        self.assertEqual(1, self._count(models.Service))

    def test_get_other_binary(self):
        self.database.service_heartbeat(self.ctx, 'agent1', 'agent', '1.0')
        self.assertIsNone(
            self.database.service_get(self.ctx, 'agent1', 'other'))
        self.assertIsNone(
            self.database.service_get(self.ctx, 'agent2', 'agent'))
