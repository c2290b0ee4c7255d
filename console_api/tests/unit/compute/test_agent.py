"""Tests of the compute agent service: start order, periodics, stop."""

import collections
import functools
import threading

import fixtures
from futurist import periodics
from oslo_config import fixture as config_fixture
import oslo_messaging as messaging
import testtools

from console_api.compute import agent as compute_agent
from console_api.compute import rpcapi
from console_api import conf
from console_api import context
from console_api import exception
from console_api.tests.unit.compute import stubs
from console_api.tests.unit.db import database

CONF = conf.CONF
# futurist's own worker: setUp puts a stand-in in its place.
PeriodicWorker = periodics.PeriodicWorker


class RecordingWorker(object):
    """Stands in for futurist's PeriodicWorker; runs nothing."""

    instances = []

    def __init__(self, callables):
        self.callables = callables
        self.stopped = False
        RecordingWorker.instances.append(self)

    def start(self):
        pass

    def stop(self):
        self.stopped = True

    def wait(self):
        return True


class FakeClock(object):
    """futurist's time, which passes only while its worker waits.

    Once a wait would pass ``horizon`` the worker idles for real until it
    is stopped, and ``past_horizon`` is set.
    """

    def __init__(self, horizon):
        self.now = 0
        self.horizon = horizon
        self.past_horizon = threading.Event()
        clock = self

        class Condition(threading.Condition):
            def wait(self, timeout=None):
                if timeout is None or clock.now + timeout > clock.horizon:
                    clock.past_horizon.set()
                    return super().wait(0.1)
                clock.now += timeout
                return False

        self.condition = Condition

    def __call__(self):
        return self.now


def _recorder(name, runs, clock):
    def job(manager, **kwargs):
        runs[name].append(clock())
    job.__name__ = name
    return job


class ComputeAgentTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.conf = self.useFixture(config_fixture.Config(CONF))
        self.conf.config(report_interval=10, sync_instances_interval=60)
        self.conf.config(purge_interval=300, group='consoleauth')
        self.database = self.useFixture(database.Database()).database
        self.transport = messaging.get_rpc_transport(CONF, url='fake://')
        self.addCleanup(self.transport.cleanup)
        self.driver = stubs.StubDriver([stubs.domain()])
        RecordingWorker.instances = []
        self.useFixture(fixtures.MockPatch(
            'futurist.periodics.PeriodicWorker', RecordingWorker))

    def make_agent(self):
        agent = compute_agent.ComputeAgent(CONF, host=stubs.HOST,
                                           driver=self.driver,
                                           transport=self.transport,
                                           database=self.database)
        self.addCleanup(agent.stop)
        return agent

    def test_reports_and_syncs_before_serving(self):
        seen_at_server_start = []
        real_get_server = compute_agent.rpc.get_server

        def get_server(transport, target, endpoints):
            ctxt = context.get_admin_context()
            seen_at_server_start.append((
                target.topic, target.server,
                self.database.service_get(ctxt, stubs.HOST,
                                          rpcapi.AGENT_BINARY) is not None,
                self.database.instance_get(ctxt, stubs.UUID) is not None))
            return real_get_server(transport, target, endpoints)
        self.useFixture(fixtures.MockPatchObject(
            compute_agent.rpc, 'get_server', side_effect=get_server))
        self.make_agent().start()
        self.assertEqual([('console-agent', stubs.HOST, True, True)],
                         seen_at_server_start)
        self.assertEqual(('init_host', stubs.HOST), self.driver.calls[0])

    def test_jobs_run_at_their_intervals(self):
        clock = FakeClock(horizon=600)
        self.useFixture(fixtures.MockPatch(
            'futurist.periodics.PeriodicWorker', functools.partial(
                PeriodicWorker, now_func=clock,
                cond_cls=clock.condition)))
        runs = collections.defaultdict(list)
        for name in ('heartbeat', 'sync_inventory', 'purge_expired_tokens'):
            self.useFixture(fixtures.MonkeyPatch(
                'console_api.compute.manager.ConsoleAgentManager.' + name,
                _recorder(name, runs, clock)))
        agent = self.make_agent()
        agent.start()
        self.assertTrue(clock.past_horizon.wait(30))
        agent.stop()
        # Heartbeat and sync also run once at start, at time 0.
        self.assertEqual([0, 10, 20, 30], runs['heartbeat'][:4])
        self.assertEqual(61, len(runs['heartbeat']))
        self.assertEqual([0, 60, 120], runs['sync_inventory'][:3])
        self.assertEqual(11, len(runs['sync_inventory']))
        self.assertEqual([300, 600], runs['purge_expired_tokens'])

    def test_non_positive_interval_disables_job(self):
        self.conf.config(sync_instances_interval=0)
        self.conf.config(purge_interval=-1, group='consoleauth')
        self.make_agent().start()
        worker, = RecordingWorker.instances
        self.assertEqual(['heartbeat'],
                         [cb.__name__ for cb, _a, _k in worker.callables])

    def test_periodic_job_calls_manager(self):
        agent = self.make_agent()
        agent.start()
        worker, = RecordingWorker.instances
        jobs = {cb.__name__: cb for cb, _a, _k in worker.callables}
        self.driver.domains = []
        jobs['sync_inventory']()
        self.assertIsNone(self.database.instance_get(
            context.get_admin_context(), stubs.UUID))

    def test_stop_stops_everything(self):
        agent = self.make_agent()
        agent.start()
        agent.stop()
        self.assertTrue(RecordingWorker.instances[0].stopped)
        self.assertIn(('cleanup_host',), self.driver.calls)

    def test_startup_sync_failure_raises(self):
        self.driver.list_error = exception.InventoryError(path='inv.yaml',
                                                          reason='bad')
        agent = self.make_agent()
        self.assertRaises(exception.InventoryError, agent.start)
        self.assertEqual([], RecordingWorker.instances)
        agent.stop()
        self.assertIn(('cleanup_host',), self.driver.calls)

    def test_unreachable_broker_fails_start(self):
        self.useFixture(fixtures.MockPatch(
            'oslo_messaging.rpc.client._BaseCallContext.cast',
            side_effect=OSError('refused')))
        exc = self.assertRaises(exception.ServiceUnavailable,
                                self.make_agent().start)
        self.assertIn('refused', exc.format_message())
        self.assertEqual([], self.driver.calls)
