"""The real services the functional suite can run on, probed one by one.

Outside CI a service that is not reachable makes its test skip with a
reason naming it and its address; in CI (``CONSOLE_API_TEST_REQUIRE_SERVICES
=1``) it fails. The whole functional suite runs on them with
``tools/ci/functional-real-services.sh``.
"""

import os
from unittest import mock

import sqlalchemy as sa
import testtools

from console_api.tests.functional import service_env


class RealServicesTest(testtools.TestCase):

    def _database(self, kind):
        database = service_env.ProvisionedDatabase(
            kind, service_env.service_url(kind))
        try:
            database.create()
        except service_env.ServiceUnavailable as exc:
            service_env.unavailable(self, str(exc))
        self.addCleanup(database.drop)
        return database

    def _round_trip(self, kind):
        database = self._database(kind)
        engine = database.engine()
        with engine.begin() as conn:
            conn.execute(sa.text('CREATE TABLE probe (id INTEGER)'))
            conn.execute(sa.text('INSERT INTO probe VALUES (1)'))
        database.empty_tables()
        with engine.connect() as conn:
            self.assertEqual(0, conn.execute(
                sa.text('SELECT count(*) FROM probe')).scalar())
        database.drop()
        self.assertRaises(sa.exc.DBAPIError,
                          sa.create_engine(database.url).connect)

    def test_postgresql_database_per_process(self):
        self._round_trip('postgresql')

    def test_mysql_database_per_process(self):
        self._round_trip('mysql')

    def test_rabbitmq_vhost_per_process(self):
        vhost = service_env.RabbitVhost(service_env.service_url('rabbit'))
        try:
            vhost.create()
        except service_env.ServiceUnavailable as exc:
            service_env.unavailable(self, str(exc))
        self.addCleanup(vhost.delete)
        self.assertTrue(vhost.url.endswith('/' + vhost.name))
        probe = service_env.RabbitVhost(vhost.url)
        probe.check_reachable()


class SelectionTest(testtools.TestCase):

    def _env(self, **values):
        names = [service_env.BACKEND_ENV, service_env.TRANSPORT_ENV,
                 service_env.REQUIRE_ENV]
        env = {k: v for k, v in os.environ.items() if k not in names}
        env.update(values)
        patcher = mock.patch.dict(os.environ, env, clear=True)
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_defaults_are_sqlite_and_inproc(self):
        self._env()
        self.assertEqual('sqlite', service_env.backend_name())
        self.assertEqual('inproc', service_env.transport_name())
        self.assertEqual('inproc://', service_env.transport_url(self))

    def test_real_database_defaults_to_rabbit(self):
        self._env(CONSOLE_API_TEST_BACKEND='postgresql')
        self.assertEqual('rabbit', service_env.transport_name())

    def test_unknown_backend_is_an_error(self):
        self._env(CONSOLE_API_TEST_BACKEND='oracle')
        self.assertRaises(ValueError, service_env.backend_name)

    def test_unreachable_skips_outside_ci_and_fails_in_ci(self):
        self._env()
        self.assertRaises(self.skipException, service_env.unavailable,
                          self, 'PostgreSQL at 127.0.0.1:1 is unreachable')
        self._env(CONSOLE_API_TEST_REQUIRE_SERVICES='1')
        error = self.assertRaises(service_env.ServiceUnavailable,
                                  service_env.unavailable, self,
                                  'PostgreSQL at 127.0.0.1:1 is unreachable')
        self.assertIn('127.0.0.1:1', str(error))

    def test_unreachable_database_names_its_address(self):
        database = service_env.ProvisionedDatabase(
            'postgresql', 'postgresql+psycopg2://nobody:x@127.0.0.1:1/x')
        error = self.assertRaises(service_env.ServiceUnavailable,
                                  database.create)
        self.assertIn('127.0.0.1:1', str(error))
