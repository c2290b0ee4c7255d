"""Tests of the console service layer, with the RPC client stubbed."""

import datetime
import types

import fixtures
from oslo_config import fixture as config_fixture
import oslo_messaging as messaging
from oslo_utils import timeutils
import testtools

from console_api.compute import api as compute_api
from console_api.compute import power_state
from console_api.compute import rpcapi
from console_api import conf
from console_api.console import auth
from console_api import context
from console_api import exception
from console_api.tests.unit.compute import stubs
from console_api.tests.unit.db import database

CONF = conf.CONF
URL = 'http://proxy:6080/vnc_lite.html?path=%3Ftoken%3Dx'


class RecordingAgentAPI(object):
    """Stands in for ConsoleAgentAPI: records calls, answers or raises."""

    def __init__(self, result=None, error=None, version='1.1'):
        self.result = ({'url': URL, 'session_id': 'sid'} if result is None
                       else result)
        self.error = error
        self.version = version
        self.calls = []
        self.sessions = []

    def can_record_sessions(self):
        return self.version == '1.1'

    def get_console(self, ctxt, host, instance_uuid, protocol, console_type,
                    session=None):
        self.calls.append((host, instance_uuid, protocol, console_type))
        self.sessions.append(session)
        if self.error is not None:
            raise self.error
        return self.result


def instance(host=stubs.HOST, task_state=None, state=power_state.RUNNING):
    return types.SimpleNamespace(uuid=stubs.UUID, host=host, project_id='p1',
                                 task_state=task_state, power_state=state)


class ConsoleAPITestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.conf = self.useFixture(config_fixture.Config(CONF))
        self.conf.config(service_down_time=60, rpc_call_timeout=7)
        self.database = self.useFixture(database.Database()).database
        self.ctxt = context.get_admin_context()
        self.agent = RecordingAgentAPI()
        self.api = compute_api.ConsoleAPI(
            CONF, self.database, auth.ConsoleAuth(self.database, CONF),
            self.agent)
        self.addCleanup(timeutils.clear_time_override)

    def heartbeat(self, host=stubs.HOST):
        self.database.service_heartbeat(self.ctxt, host, rpcapi.AGENT_BINARY,
                                        '1.0')

    def make_stale(self):
        # Heartbeats are stamped with the database clock; move ours ahead.
        timeutils.set_time_override(
            timeutils.utcnow() + datetime.timedelta(seconds=61))


class GetInstanceTestCase(ConsoleAPITestCase):

    def setUp(self):
        super().setUp()
        self.database.instance_sync_host(self.ctxt, stubs.HOST,
                                         [stubs.domain(project='p1')])

    def test_found(self):
        self.assertEqual(stubs.UUID,
                         self.api.get_instance(self.ctxt, stubs.UUID).uuid)

    def test_project_filter(self):
        self.api.get_instance(self.ctxt, stubs.UUID, project_id='p1')
        self.assertRaises(exception.InstanceNotFound, self.api.get_instance,
                          self.ctxt, stubs.UUID, project_id='p2')

    def test_unknown(self):
        exc = self.assertRaises(exception.InstanceNotFound,
                                self.api.get_instance, self.ctxt,
                                stubs.OTHER_UUID)
        self.assertIn(stubs.OTHER_UUID, exc.format_message())

    def test_not_a_uuid_never_reaches_database(self):
        self.useFixture(fixtures.MockPatchObject(
            self.database, 'instance_get',
            side_effect=AssertionError('db used')))
        exc = self.assertRaises(exception.InstanceNotFound,
                                self.api.get_instance, self.ctxt, 'abc')
        self.assertEqual(404, exc.code)

    def test_list_instances(self):
        self.database.instance_sync_host(self.ctxt, 'compute2',
                                         [stubs.domain(stubs.OTHER_UUID,
                                                       project='p2')])
        self.assertEqual(2, len(self.api.list_instances(self.ctxt)))
        self.assertEqual(
            [stubs.OTHER_UUID],
            [i.uuid for i in self.api.list_instances(self.ctxt, 'p2')])


class GetConsoleTestCase(ConsoleAPITestCase):

    def get_console(self, inst):
        return self.api.get_console(self.ctxt, inst, 'vnc', 'novnc')

    def test_returns_url_from_agent(self):
        self.heartbeat()
        self.ctxt.user_id = 'alice'
        self.assertEqual((URL, 'sid'), self.get_console(instance()))
        self.assertEqual([(stubs.HOST, stubs.UUID, 'vnc', 'novnc')],
                         self.agent.calls)
        self.assertEqual([{'user_id': 'alice', 'project_id': 'p1',
                           'protocol': 'vnc', 'view_only': False,
                           'request_id': self.ctxt.request_id}],
                         self.agent.sessions)

    def test_old_agent_gets_no_session_and_the_api_records_it(self):
        self.heartbeat()
        self.agent.version = '1.0'
        self.agent.result = {'url': URL}
        attach = self.useFixture(fixtures.MockPatchObject(
            self.api.console_auth, 'attach_session',
            return_value='late')).mock
        self.assertEqual((URL, 'late'), self.get_console(instance()))
        self.assertEqual([None], self.agent.sessions)
        attach.assert_called_once_with(
            self.ctxt, URL, stubs.UUID, 'novnc',
            {'user_id': None, 'project_id': 'p1', 'protocol': 'vnc',
             'view_only': False, 'request_id': self.ctxt.request_id})

    def test_no_host_first(self):
        inst = instance(host=None, task_state='deleting',
                        state=power_state.SHUTDOWN)
        exc = self.assertRaises(exception.InstanceNotReady,
                                self.get_console, inst)
        self.assertEqual(409, exc.code)

    def test_task_state_before_power_state(self):
        for task_state in ('deleting', 'migrating'):
            inst = instance(task_state=task_state,
                            state=power_state.SHUTDOWN)
            exc = self.assertRaises(exception.InstanceInvalidState,
                                    self.get_console, inst)
            self.assertEqual(409, exc.code)
            self.assertIn('get_vnc_console', exc.format_message())
            self.assertIn(task_state, exc.format_message())

    def test_power_state_before_liveness(self):
        for state in (power_state.SHUTDOWN, power_state.CRASHED,
                      power_state.NOSTATE, power_state.SUSPENDED):
            exc = self.assertRaises(exception.InstanceNotRunning,
                                    self.get_console, instance(state=state))
            self.assertIn(power_state.name(state), exc.format_message())
            self.assertEqual(409, exc.code)

    def test_paused_is_allowed(self):
        self.heartbeat()
        self.assertEqual(
            (URL, 'sid'),
            self.get_console(instance(state=power_state.PAUSED)))

    def test_missing_service_is_down(self):
        exc = self.assertRaises(exception.ComputeHostDown,
                                self.get_console, instance())
        self.assertIn(stubs.HOST, exc.format_message())
        self.assertEqual(409, exc.code)
        self.assertEqual([], self.agent.calls)

    def test_stale_heartbeat_is_down_without_rpc(self):
        self.heartbeat()
        self.make_stale()
        self.assertRaises(exception.ComputeHostDown,
                          self.get_console, instance())
        self.assertEqual([], self.agent.calls)

    def test_other_binary_does_not_count(self):
        self.database.service_heartbeat(self.ctxt, stubs.HOST,
                                        'console-proxy', '1.0')
        self.assertRaises(exception.ComputeHostDown,
                          self.get_console, instance())

    def test_rpc_timeout_is_503(self):
        self.heartbeat()
        self.agent.error = messaging.MessagingTimeout('no answer')
        exc = self.assertRaises(exception.ComputeAgentTimeout,
                                self.get_console, instance())
        self.assertEqual(503, exc.code)
        self.assertIn('7', exc.format_message())
        self.assertIn(stubs.HOST, exc.format_message())

    def test_agent_errors_pass_through(self):
        self.heartbeat()
        self.agent.error = exception.ConsoleTypeInvalid(console_type='x')
        self.assertRaises(exception.ConsoleTypeInvalid,
                          self.get_console, instance())


class LivenessCacheTestCase(ConsoleAPITestCase):

    def setUp(self):
        super().setUp()
        self.reads = []
        real = self.database.service_get

        def counting(*args):
            self.reads.append(args[1:])
            return real(*args)
        self.useFixture(fixtures.MockPatchObject(self.database, 'service_get',
                                                 side_effect=counting))
        self.monotonic = self.useFixture(fixtures.MockPatchObject(
            compute_api, '_clock', return_value=1000.0)).mock

    def test_row_reused_within_cache_time(self):
        self.heartbeat()
        self.api.get_console(self.ctxt, instance(), 'vnc', 'novnc')
        self.api.get_console(self.ctxt, instance(), 'vnc', 'novnc')
        self.assertEqual(1, len(self.reads))
        self.monotonic.return_value = 1001.5
        self.api.get_console(self.ctxt, instance(), 'vnc', 'novnc')
        self.assertEqual(2, len(self.reads))

    def test_cached_row_still_judged_against_now(self):
        self.heartbeat()
        self.api.get_console(self.ctxt, instance(), 'vnc', 'novnc')
        self.make_stale()
        self.assertRaises(exception.ComputeHostDown, self.api.get_console,
                          self.ctxt, instance(), 'vnc', 'novnc')
        self.assertEqual(1, len(self.reads))

    def test_missing_row_not_cached(self):
        self.assertRaises(exception.ComputeHostDown, self.api.get_console,
                          self.ctxt, instance(), 'vnc', 'novnc')
        self.heartbeat()
        self.api.get_console(self.ctxt, instance(), 'vnc', 'novnc')
        self.assertEqual(2, len(self.reads))

    def test_cache_can_be_disabled(self):
        api = compute_api.ConsoleAPI(
            CONF, self.database, auth.ConsoleAuth(self.database, CONF),
            self.agent, service_cache_seconds=0)
        self.heartbeat()
        api.get_console(self.ctxt, instance(), 'vnc', 'novnc')
        api.get_console(self.ctxt, instance(), 'vnc', 'novnc')
        self.assertEqual(2, len(self.reads))


class GetTokenInfoTestCase(ConsoleAPITestCase):

    def test_is_the_console_auth_rule(self):
        self.useFixture(fixtures.MockPatchObject(
            self.api.console_auth, 'validate', return_value='info'))
        self.assertEqual('info', self.api.get_token_info(self.ctxt, 't'))
        self.api.console_auth.validate.assert_called_once_with(self.ctxt,
                                                               't')
