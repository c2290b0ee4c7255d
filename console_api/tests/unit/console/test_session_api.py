"""Tests of the console-session service layer: find, page and end sessions."""

import datetime
import threading
import types
from unittest import mock

import fixtures
from oslo_config import fixture as config_fixture
from oslo_utils import timeutils
import testtools

from console_api import conf
from console_api.console import auth
from console_api.console import session_api
from console_api import context
from console_api import exception
from console_api.tests.unit.db import database
from console_api.tests.unit.db import test_api as db_tests

CONF = conf.CONF
UUID1, UUID2 = db_tests.UUID1, db_tests.UUID2
ENDPOINT = types.SimpleNamespace(host='192.0.2.10', port=5900, tls_port=None)
UNKNOWN = '00000000-0000-4000-8000-000000000000'


class ConsoleSessionAPITest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.conf = self.useFixture(config_fixture.Config(CONF))
        self.database = self.useFixture(database.Database()).database
        self.ctxt = context.get_admin_context()
        self.auth = auth.ConsoleAuth(self.database, CONF)
        self.proxy = mock.Mock(spec=['end_sessions'])
        self.api = session_api.ConsoleSessionAPI(CONF, self.auth, self.proxy)
        self.now = datetime.datetime(2030, 1, 1)
        timeutils.set_time_override(self.now)
        self.addCleanup(timeutils.clear_time_override)
        self.database.instance_sync_host(
            self.ctxt, 'agent1', [db_tests.domain(UUID1),
                                  db_tests.domain(UUID2)])

    def issue(self, uuid=UUID1, project='p1', user='u1'):
        """Issue a console a second after the last; return its token."""
        self.now += datetime.timedelta(seconds=1)
        timeutils.set_time_override(self.now)
        issued = self.auth.issue(
            self.ctxt, uuid, 'agent1', 'novnc', 'http://proxy/vnc.html',
            ENDPOINT, None, session={
                'user_id': user, 'project_id': project, 'protocol': 'vnc',
                'view_only': False, 'request_id': None})
        return issued.session_id, issued.url.rsplit('%3D', 1)[-1]

    def test_get_limits_to_a_project(self):
        session_id, _token = self.issue(project='p1')
        self.assertEqual(session_id, self.api.get(self.ctxt, session_id).uuid)
        self.assertEqual(session_id,
                         self.api.get(self.ctxt, session_id, 'p1').uuid)
        for args in ((session_id, 'p2'), (UNKNOWN,), ('not-a-uuid',)):
            self.assertRaises(exception.ConsoleSessionNotFound,
                              self.api.get, self.ctxt, *args)

    def test_malformed_id_never_reaches_the_database(self):
        with mock.patch.object(self.auth, 'get_session') as get:
            self.assertRaises(exception.ConsoleSessionNotFound,
                              self.api.get, self.ctxt, "1' or '1'='1")
        get.assert_not_called()

    def test_page_size(self):
        self.conf.config(max_limit=3, group='api')
        self.assertEqual([3, 2, 3, 0],
                         [self.api.page_size(limit)
                          for limit in (None, 2, 10, 0)])

    def test_get_all_pages_within_a_project(self):
        self.conf.config(max_limit=2, group='api')
        mine = [self.issue(project='p1')[0] for _i in range(3)][::-1]
        theirs, _token = self.issue(project='p2')

        def ids(**kwargs):
            return [row.uuid for row in self.api.get_all(self.ctxt,
                                                         **kwargs)]

        self.assertEqual(mine[:2], ids(project_id='p1'))
        self.assertEqual(mine[2:], ids(project_id='p1', marker=mine[1]))
        self.assertEqual([theirs, mine[0]], ids())
        self.assertEqual(mine[:1], ids(project_id='p1', limit=1))
        self.assertRaises(exception.MarkerNotFound, ids, project_id='p1',
                          marker=theirs)
        self.assertRaises(exception.MarkerNotFound, ids, marker=UNKNOWN)
        self.assertEqual(mine[:2], ids(project_id='p1', statuses=[]))

    def test_end_issued(self):
        session_id, _token = self.issue()
        self.api.end(self.ctxt, self.api.get(self.ctxt, session_id))
        row = self.api.get(self.ctxt, session_id)
        self.assertEqual(('revoked', 'killed', self.now),
                         (row.status, row.close_reason, row.closed_at))
        self.proxy.end_sessions.assert_not_called()

    def test_end_active_casts(self):
        session_id, token = self.issue()
        self.auth.connect(self.ctxt, token, '198.51.100.7', 'proxy-1')
        self.api.end(self.ctxt, self.api.get(self.ctxt, session_id))
        self.assertEqual(('closed', 'killed'),
                         self.auth.statuses(self.ctxt, [session_id])[
                             session_id])
        self.proxy.end_sessions.assert_called_once_with(
            self.ctxt, [session_id], 'killed')

    def test_end_ended_is_a_conflict(self):
        session_id, _token = self.issue()
        row = self.api.get(self.ctxt, session_id)
        self.api.end(self.ctxt, row)
        error = self.assertRaises(exception.ConsoleSessionEnded,
                                  self.api.end, self.ctxt,
                                  self.api.get(self.ctxt, session_id))
        self.assertIn('(revoked)', error.format_message())
        # Two requests that both read it unused both succeed: it ended as
        # each of them asked.
        self.api.end(self.ctxt, row)
        self.proxy.end_sessions.assert_not_called()

    def test_end_of_a_session_that_ended_meanwhile(self):
        session_id, token = self.issue()
        self.auth.connect(self.ctxt, token, '198.51.100.7', 'proxy-1')
        row = self.api.get(self.ctxt, session_id)
        self.auth.disconnect(self.ctxt, session_id, 'console')
        error = self.assertRaises(exception.ConsoleSessionEnded,
                                  self.api.end, self.ctxt, row)
        self.assertIn('(closed)', error.format_message())
        self.assertEqual(('closed', 'console'),
                         self.auth.statuses(self.ctxt, [session_id])[
                             session_id])
        self.proxy.end_sessions.assert_not_called()

    def test_cast_failure_is_not_an_error(self):
        session_id, token = self.issue()
        self.auth.connect(self.ctxt, token, '198.51.100.7', 'proxy-1')
        self.proxy.end_sessions.side_effect = RuntimeError('no bus')
        self.api.end(self.ctxt, self.api.get(self.ctxt, session_id))
        self.assertEqual('closed', self.api.get(self.ctxt,
                                                session_id).status)

    def test_a_blocked_cast_does_not_hold_the_request(self):
        # The message bus is down: the cast hangs until it is back.
        self.useFixture(fixtures.MonkeyPatch(
            'console_api.console.session_api.CAST_WAIT', 0.05))
        self.useFixture(fixtures.MonkeyPatch(
            'console_api.console.session_api.MAX_CASTS_IN_FLIGHT', 2))
        log = self.useFixture(fixtures.FakeLogger())
        bus_back = threading.Event()
        self.addCleanup(bus_back.set)
        self.proxy.end_sessions.side_effect = (
            lambda *args: bus_back.wait(10))
        ended = []
        for _i in range(3):
            session_id, token = self.issue()
            self.auth.connect(self.ctxt, token, '198.51.100.7', 'proxy-1')
            self.api.end(self.ctxt, self.api.get(self.ctxt, session_id))
            ended.append(session_id)
        # Each ended in the database; the third was not even cast, since
        # two casts were already waiting.
        self.assertEqual({'closed'}, {self.api.get(self.ctxt, i).status
                                      for i in ended})
        self.assertEqual(2, self.proxy.end_sessions.call_count)
        self.assertIn('did not take the end', log.output)
        self.assertIn('2 casts to the console proxies are still waiting',
                      log.output)
        bus_back.set()
        for _i in range(100):
            if not self.api._casting:
                break
            threading.Event().wait(0.01)
        self.assertEqual(0, self.api._casting)

    def test_end_for_server(self):
        issued, _token = self.issue(UUID1)
        active, token = self.issue(UUID1)
        other, _token = self.issue(UUID2)
        self.auth.connect(self.ctxt, token, '198.51.100.7', 'proxy-1')
        self.assertEqual(1, self.api.end_for_server(self.ctxt, UUID1))
        self.assertEqual({issued: ('revoked', 'killed'),
                          active: ('closed', 'killed'),
                          other: ('issued', None)},
                         self.auth.statuses(self.ctxt,
                                            [issued, active, other]))
        self.proxy.end_sessions.assert_called_once_with(
            self.ctxt, [active], 'killed')
        self.assertEqual(0, self.api.end_for_server(self.ctxt, UUID1))
        self.assertEqual(1, self.proxy.end_sessions.call_count)
