"""Tests of the console-auth service: issue, validate, revoke, purge."""

import datetime
import types

import fixtures
from oslo_config import fixture as config_fixture
from oslo_utils import timeutils
import testtools

from console_api import conf
from console_api.console import auth
from console_api.console import sessions
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


class SessionTestCase(ConsoleAuthTestCase):

    REQUEST = {'user_id': 'alice', 'project_id': 'p1', 'protocol': 'vnc',
               'view_only': False, 'request_id': 'req-1'}

    def open(self, uuid=UUID1, console_type='novnc', **request):
        issued = self.auth.issue(
            self.ctxt, uuid, 'agent1', console_type, BASE, ENDPOINT, None,
            session=dict(self.REQUEST, **request))
        return issued, tokens.from_url(issued.url)

    def session(self, issued):
        return self.auth.get_session(self.ctxt, issued.session_id)

    def connect(self, token, address='192.0.2.1', proxy='proxy1'):
        return self.auth.connect(self.ctxt, token, address, proxy)

    def assertRefused(self, token, reason, address='192.0.2.1'):
        error = self.assertRaises(auth.TokenRejected, self.connect, token,
                                  address)
        self.assertIn(reason, error.reason)

    def test_issue_records_the_session(self):
        issued, _token = self.open()
        view = sessions.view(self.session(issued))
        self.assertEqual(
            {'id': issued.session_id, 'server_id': UUID1,
             'project_id': 'p1', 'user_id': 'alice', 'protocol': 'vnc',
             'type': 'novnc', 'view_only': False, 'status': 'issued',
             'created_at': '2030-01-01T00:00:00Z',
             'expires_at': '2030-01-01T00:01:00Z', 'connected_at': None,
             'closed_at': None, 'close_reason': None,
             'client_address': None, 'proxy_host': None,
             'bytes_to_client': 0, 'bytes_to_console': 0}, view)

    def test_validate_does_not_use_the_token(self):
        issued, token = self.open()
        self.auth.validate(self.ctxt, token)
        self.assertEqual('issued', self.session(issued).status)

    def test_single_use_binds_the_first_address(self):
        issued, token = self.open()
        info = self.connect(token)
        self.assertEqual(issued.session_id, info.session_id)
        row = self.session(issued)
        self.assertEqual(('active', '192.0.2.1', 'proxy1'),
                         (row.status, row.client_address, row.proxy_host))
        # A sibling channel from the same address joins; others are out.
        self.connect(token)
        self.assertRefused(token, 'token already used', '192.0.2.2')

    def test_resume_within_the_window_from_the_same_address(self):
        self.conf.config(group='consoleauth', token_ttl=600)
        issued, token = self.open()
        self.connect(token)
        self.assertTrue(self.auth.disconnect(self.ctxt, issued.session_id,
                                             'client'))
        self.assertEqual('closed', self.session(issued).status)
        self.assertRefused(token, 'token already used', '192.0.2.2')
        timeutils.advance_time_seconds(29)
        self.connect(token)
        self.assertEqual('active', self.session(issued).status)
        self.auth.disconnect(self.ctxt, issued.session_id, 'client')
        timeutils.advance_time_seconds(31)
        self.assertRefused(token, 'token already used')

    def test_without_single_use_anyone_any_time(self):
        self.conf.config(group='consoleauth', single_use=False)
        issued, token = self.open()
        self.connect(token, '192.0.2.1')
        self.connect(token, '192.0.2.2')
        self.auth.disconnect(self.ctxt, issued.session_id, 'client')
        timeutils.advance_time_seconds(50)
        self.connect(token, '192.0.2.3')
        self.assertEqual('192.0.2.1', self.session(issued).client_address)

    def test_end_issued_revokes_and_active_closes(self):
        unused, unused_token = self.open()
        used, used_token = self.open()
        self.connect(used_token)
        cut = self.auth.end(self.ctxt, [unused.session_id, used.session_id],
                            'killed')
        self.assertEqual([used.session_id], cut)
        self.assertEqual(('revoked', 'killed'),
                         (self.session(unused).status,
                          self.session(unused).close_reason))
        self.assertEqual(('closed', 'killed'),
                         (self.session(used).status,
                          self.session(used).close_reason))
        for token in (unused_token, used_token):
            error = self.assertRaises(auth.TokenRejected, self.auth.validate,
                                      self.ctxt, token)
            self.assertIn('ended', error.reason)
        # A late close of the proxy keeps the reason it was killed for.
        self.assertFalse(self.auth.disconnect(self.ctxt, used.session_id,
                                              'client'))
        self.assertEqual('killed', self.session(used).close_reason)

    def test_limit_refuses(self):
        self.conf.config(group='consoleauth', max_sessions_per_server=1)
        _first, token1 = self.open()
        _second, token2 = self.open()
        _watch, token3 = self.open(view_only=True)
        self.connect(token1)
        self.assertRefused(token2, 'session limit reached', '192.0.2.2')
        # View-only sessions never count.
        self.connect(token3, '192.0.2.3')

    def test_limit_replaces_the_oldest(self):
        self.conf.config(group='consoleauth', max_sessions_per_server=1,
                         session_limit_action='replace')
        first, token1 = self.open()
        second, token2 = self.open()
        self.connect(token1)
        info = self.connect(token2, '192.0.2.2')
        self.assertEqual((first.session_id,), info.replaced)
        self.assertEqual(('closed', 'replaced'),
                         (self.session(first).status,
                          self.session(first).close_reason))

    def test_serial_is_one_session_and_replaces(self):
        first, token1 = self.open(console_type='serial', protocol='serial')
        second, token2 = self.open(console_type='serial', protocol='serial',
                                   view_only=True)
        self.connect(token1)
        info = self.connect(token2, '192.0.2.2')
        self.assertEqual((first.session_id,), info.replaced)

    def test_end_for_instances_and_proxies(self):
        issued, _token = self.open()
        used, token = self.open(UUID2)
        self.connect(token)
        self.assertEqual([], self.auth.end_for_instances(
            self.ctxt, [UUID1], 'server_gone'))
        self.assertEqual('revoked', self.session(issued).status)
        self.assertEqual([used.session_id],
                         self.auth.end_for_proxies(self.ctxt, ['proxy1']))
        self.assertEqual('proxy_lost', self.session(used).close_reason)

    def test_housekeeping(self):
        unused, _token = self.open()
        used, token = self.open()
        self.connect(token, proxy='dead-proxy')
        timeutils.advance_time_seconds(61)
        self.assertEqual([used.session_id],
                         self.auth.housekeeping(self.ctxt, 60))
        self.assertEqual(('expired', 'expired'),
                         (self.session(unused).status,
                          self.session(unused).close_reason))
        self.assertEqual('proxy_lost', self.session(used).close_reason)
        timeutils.advance_time_seconds(30 * 24 * 3600 + 1)
        self.auth.housekeeping(self.ctxt, 60)
        self.assertIsNone(self.session(unused))
        self.assertIsNone(self.session(used))

    def test_bytes_are_added(self):
        issued, token = self.open()
        self.connect(token)
        self.auth.add_bytes(self.ctxt, [(issued.session_id, 10, 2)])
        self.auth.add_bytes(self.ctxt, [(issued.session_id, 5, 1)])
        row = self.session(issued)
        self.assertEqual((15, 3), (row.bytes_to_client,
                                   row.bytes_to_console))

    def test_attach_session_for_an_old_agent(self):
        issued, token = self.issue()
        session_id = self.auth.attach_session(
            self.ctxt, issued.url, UUID1, 'novnc', self.REQUEST)
        self.assertEqual(session_id, self.auth.validate(
            self.ctxt, token).session_id)
        self.assertIsNone(self.auth.attach_session(
            self.ctxt, issued.url, UUID1, 'novnc', self.REQUEST))

    def test_list_newest_first_with_filters_and_marker(self):
        made = []
        for user in ('alice', 'bob', 'alice'):
            made.append(self.open(user_id=user)[0].session_id)
            timeutils.advance_time_seconds(1)
        rows = self.auth.list_sessions(self.ctxt)
        self.assertEqual(made[::-1], [row.uuid for row in rows])
        rows = self.auth.list_sessions(self.ctxt, user_id='alice', limit=1)
        self.assertEqual([made[2]], [row.uuid for row in rows])
        rows = self.auth.list_sessions(self.ctxt, user_id='alice',
                                       marker=rows[0])
        self.assertEqual([made[0]], [row.uuid for row in rows])
