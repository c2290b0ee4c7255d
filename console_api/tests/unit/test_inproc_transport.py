"""The ``inproc://`` transport: calls, casts, fanout, timeouts, shutdown."""

import threading
import time

import fixtures
import oslo_messaging as messaging
import testtools

from console_api import conf
from console_api import context
from console_api import inproc_transport
from console_api import rpc

CONF = conf.CONF


class Endpoint(object):
    target = messaging.Target(version='1.0')

    def __init__(self):
        self.casts = []
        self.cast_seen = threading.Event()

    def echo(self, ctxt, value):
        return {'value': value, 'user': ctxt.user_id}

    def note(self, ctxt, value):
        self.casts.append(value)
        self.cast_seen.set()


class InProcessTransportTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        CONF([], project='console_api', default_config_files=[])
        self.transport = messaging.get_rpc_transport(CONF, url='inproc://')
        self.addCleanup(self.transport.cleanup)
        self.context = context.RequestContext(user_id='u1', project_id='p1')

    def _serve(self, server='host-a'):
        endpoint = Endpoint()
        srv = rpc.get_server(self.transport,
                             messaging.Target(topic='probe', server=server),
                             [endpoint])
        srv.start()
        self.addCleanup(srv.wait)
        self.addCleanup(srv.stop)
        return endpoint

    def _client(self, **prepare):
        client = rpc.get_client(self.transport,
                                messaging.Target(topic='probe',
                                                 version='1.0'))
        return client.prepare(**prepare)

    def test_driver_is_registered(self):
        self.assertIsInstance(self.transport._driver,
                              inproc_transport.InProcessDriver)

    def test_call_round_trip_carries_context(self):
        self._serve()
        reply = self._client(server='host-a', timeout=5).call(
            self.context, 'echo', value=42)
        self.assertEqual({'value': 42, 'user': 'u1'}, reply)

    def test_delivery_wakes_the_listener(self):
        # Listeners re-check the queues only once a minute here, far beyond
        # the calls' timeout: each call is answered because its delivery
        # wakes the listener, not because a poll comes round.
        self.useFixture(fixtures.MonkeyPatch(
            'console_api.inproc_transport._MAX_WAIT', 60))
        self._serve()
        client = self._client(server='host-a', timeout=5)
        for value in range(20):
            self.assertEqual(value, client.call(self.context, 'echo',
                                                value=value)['value'])

    def test_cast_and_fanout_are_delivered(self):
        endpoint = self._serve()
        self._client(server='host-a').cast(self.context, 'note', value='x')
        self.assertTrue(endpoint.cast_seen.wait(5))
        endpoint.cast_seen.clear()
        self._client(fanout=True).cast(self.context, 'note', value='y')
        self.assertTrue(endpoint.cast_seen.wait(5))
        self.assertEqual(['x', 'y'], endpoint.casts)

    def test_call_to_absent_server_times_out(self):
        self._serve(server='host-a')
        client = self._client(server='host-b', timeout=0.2)
        self.assertRaises(messaging.MessagingTimeout, client.call,
                          self.context, 'echo', value=1)

    def test_stop_returns_promptly(self):
        # Stopping wakes the listener; it does not wait for a re-check.
        self.useFixture(fixtures.MonkeyPatch(
            'console_api.inproc_transport._MAX_WAIT', 60))
        srv = rpc.get_server(self.transport,
                             messaging.Target(topic='idle', server='h'),
                             [Endpoint()])
        srv.start()
        started = time.monotonic()
        srv.stop()
        srv.wait()
        self.assertLess(time.monotonic() - started, 5)
