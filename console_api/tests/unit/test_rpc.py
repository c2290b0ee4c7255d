"""Tests of the RPC plumbing: transport lifecycle and context serializer."""

from oslo_config import fixture as config_fixture
import oslo_messaging as messaging
import testtools

from console_api import conf
from console_api import context
from console_api import rpc

CONF = conf.CONF


class TransportTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(config_fixture.Config(CONF))

    def transport(self, url='fake://'):
        transport = rpc.create_transport(CONF, url=url)
        self.addCleanup(transport.cleanup)
        return transport

    def test_each_call_creates_a_transport(self):
        self.assertIsNot(self.transport(), self.transport())

    def test_reads_transport_url(self):
        CONF.set_override('transport_url', 'fake://')
        self.assertIsNotNone(self.transport(url=None))

    def test_bad_url(self):
        self.assertRaises(messaging.InvalidTransportURL,
                          rpc.create_transport, CONF, url='not a url')

    def test_client_and_server_use_serializer(self):
        transport = self.transport()
        target = messaging.Target(topic='t', server='h')
        client = rpc.get_client(transport, target, version_cap='1.0')
        self.assertIsInstance(client.serializer,
                              rpc.RequestContextSerializer)
        server = rpc.get_server(transport, target, [object()])
        self.assertIsInstance(server.dispatcher.serializer,
                              rpc.RequestContextSerializer)

    def test_exception_modules_allowed(self):
        self.assertIn('console_api.exception',
                      self.transport()._driver._allowed_remote_exmods)


class SerializerTestCase(testtools.TestCase):

    def test_context_round_trip(self):
        serializer = rpc.RequestContextSerializer()
        ctxt = context.RequestContext(user_id='u', project_id='p',
                                      roles=['member', 'reader'],
                                      request_id='req-1')
        wire = serializer.serialize_context(ctxt)
        self.assertIsInstance(wire, dict)
        back = serializer.deserialize_context(wire)
        self.assertIsInstance(back, context.RequestContext)
        self.assertEqual(('u', 'p', ['member', 'reader'], 'req-1', False),
                         (back.user_id, back.project_id, back.roles,
                          back.request_id, back.is_admin))

    def test_admin_context_round_trip(self):
        serializer = rpc.RequestContextSerializer()
        back = serializer.deserialize_context(
            serializer.serialize_context(context.get_admin_context()))
        self.assertTrue(back.is_admin)

    def test_entities_pass_through_base(self):
        serializer = rpc.RequestContextSerializer()
        ctxt = context.get_admin_context()
        entity = {'url': 'http://x/?token=t', 'n': [1, 2]}
        self.assertEqual(entity, serializer.deserialize_entity(
            ctxt, serializer.serialize_entity(ctxt, entity)))
