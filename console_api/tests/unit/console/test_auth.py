"""Tests of the console-auth service: issue, validate, revoke, purge."""

import datetime
import types

import fixtures
from oslo_config import fixture as config_fixture
from oslo_utils import timeutils
import testtools

from console_api import conf
from console_api.console import auth
from console_api.console import token_store
from console_api.console import tokens
from console_api import context
from console_api import exception
from console_api.tests.unit.db import database
from console_api.tests.unit.db import test_api as db_tests

CONF = conf.CONF
UUID1, UUID2 = db_tests.UUID1, db_tests.UUID2
BASE = 'http://proxy:6080/vnc_lite.html'
ENDPOINT = types.SimpleNamespace(host='192.0.2.10', port=5900, tls_port=None)


class ConsoleAuthTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.conf = self.useFixture(config_fixture.Config(CONF))
        self.conf.config(group='consoleauth', token_ttl=60)
        self.database = self.useFixture(database.Database()).database
        self.ctxt = context.get_admin_context()
        self.auth = auth.ConsoleAuth(self.database, CONF)
        timeutils.set_time_override(datetime.datetime(2030, 1, 1))
        self.addCleanup(timeutils.clear_time_override)
        self.database.instance_sync_host(
            self.ctxt, 'agent1', [db_tests.domain(UUID1),
                                  db_tests.domain(UUID2)])
        self.log = self.useFixture(fixtures.FakeLogger(level='DEBUG'))

    def issue(self, uuid=UUID1, console_type='novnc', host='agent1'):
        issued = self.auth.issue(self.ctxt, uuid, host, console_type, BASE,
                                 ENDPOINT, '/path')
        token = issued.url.rsplit('%3D', 1)[-1]
        return issued, token

    def test_issue_stores_only_the_hash(self):
        issued, token = self.issue()
        self.assertTrue(tokens.looks_valid(token))
        self.assertEqual(tokens.hash_token(token), issued.token_hash)
        self.assertEqual(timeutils.utcnow_ts() + 60, issued.expires)
        row = token_store.get_with_instance(self.database, self.ctxt,
                                            issued.token_hash, 0)
        self.assertEqual(('novnc', '192.0.2.10', 5900, '/path', 'agent1'),
                         (row.console_type, row.host, row.port,
                          row.internal_access_path, row.compute_host))
        self.assertNotIn(token, self.log.output)
        self.assertIn(tokens.log_form(issued.token_hash), self.log.output)

    def test_validate(self):
        issued, token = self.issue(console_type='novnc')
        info = self.auth.validate(self.ctxt, token)
        self.assertEqual((UUID1, '192.0.2.10', 5900, issued.expires, BASE,
                          'agent1'),
                         (info.instance_uuid, info.host, info.port,
                          info.expires, info.access_url_base,
                          info.compute_host))
        self.assertEqual(tokens.log_form(issued.token_hash), info.log_id)

    def assertRejected(self, token, reason):
        error = self.assertRaises(auth.TokenRejected, self.auth.validate,
                                  self.ctxt, token)
        self.assertIsInstance(error, exception.InvalidToken)
        self.assertIn(reason, error.reason)
        if token:
            self.assertNotIn(token, str(error))

    def test_malformed_never_reaches_database(self):
        self.useFixture(fixtures.MockPatchObject(
            token_store, 'get_with_instance',
            side_effect=AssertionError('db used')))
        for junk in ('', 'abc', 'x' * 5000, "' or 1=1 --",
                     '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4dX'):
            self.assertRejected(junk, 'malformed token')

    def test_unknown_and_expired(self):
        _issued, token = self.issue()
        self.assertRejected(str(UUID2), 'unknown, expired or revoked')
        timeutils.advance_time_seconds(60)
        self.assertRejected(token, 'unknown, expired or revoked')

    def test_instance_gone(self):
        _issued, token = self.issue()
        self.database.instance_sync_host(self.ctxt, 'agent1',
                                         [db_tests.domain(UUID2)])
        self.assertRejected(token, 'instance %s no longer exists' % UUID1)

    def test_instance_moved(self):
        _issued, token = self.issue()
        self.database.instance_sync_host(self.ctxt, 'agent2',
                                         [db_tests.domain(UUID1)])
        self.assertRejected(token, 'moved from agent1 to agent2')

    def test_revoke(self):
        _issued, token1 = self.issue(UUID1)
        _issued, token2 = self.issue(UUID2)
        self.assertEqual(1, self.auth.revoke(self.ctxt, [UUID1]))
        self.assertRejected(token1, 'unknown, expired or revoked')
        self.assertEqual(UUID2, self.auth.validate(self.ctxt,
                                                   token2).instance_uuid)

    def test_purge_expired(self):
        self.issue()
        self.assertEqual(0, self.auth.purge_expired(self.ctxt, 10))
        timeutils.advance_time_seconds(60)
        self.assertEqual(1, self.auth.purge_expired(self.ctxt, 10))
