"""Tests of the compute agent service: start order, periodics, stop."""

import fixtures
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


class ComputeAgentTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.conf = self.useFixture(config_fixture.Config(CONF))
        self.conf.config(report_interval=10, sync_instances_interval=60,
                         instance_delete_interval=300)
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

    def test_periodic_spacings(self):
        self.make_agent().start()
        worker, = RecordingWorker.instances
        spacings = {cb.__name__: cb._periodic_spacing
                    for cb, _args, _kwargs in worker.callables}
        self.assertEqual({'heartbeat': 10, 'sync_inventory': 60,
                          'purge_expired_tokens': 300}, spacings)

    def test_non_positive_interval_disables_job(self):
        self.conf.config(sync_instances_interval=0,
                         instance_delete_interval=-1)
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
