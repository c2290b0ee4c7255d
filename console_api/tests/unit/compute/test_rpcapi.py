"""Tests of the compute agent RPC client: targets, versions, timeouts."""

from unittest import mock

from oslo_config import fixture as config_fixture
import oslo_messaging as messaging
import testtools

from console_api.compute import rpcapi
from console_api import conf
from console_api import context

CONF = conf.CONF


class ConsoleAgentAPITestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.conf = self.useFixture(config_fixture.Config(CONF))
        self.ctxt = context.get_admin_context()
        self.transport = messaging.get_rpc_transport(CONF, url='fake://')
        self.addCleanup(self.transport.cleanup)

    def api_with_mock_client(self):
        api = rpcapi.ConsoleAgentAPI(self.transport, CONF)
        api.client = mock.Mock()
        return api, api.client

    def test_target(self):
        client = rpcapi.ConsoleAgentAPI(self.transport, CONF).client
        self.assertEqual('console-agent', client.target.topic)
        self.assertEqual('1.1', client.target.version)
        self.assertIsNone(client.version_cap)
        self.assertTrue(rpcapi.ConsoleAgentAPI(
            self.transport, CONF).can_record_sessions())

    def test_version_cap_from_upgrade_levels(self):
        self.conf.config(group='upgrade_levels', console_agent='1.0')
        client = rpcapi.ConsoleAgentAPI(self.transport, CONF).client
        self.assertEqual('1.0', client.version_cap)
        self.assertTrue(client.can_send_version('1.0'))
        self.assertFalse(client.can_send_version('1.1'))
        self.assertFalse(rpcapi.ConsoleAgentAPI(
            self.transport, CONF).can_record_sessions())

    def test_get_console_calls_host_with_timeout(self):
        self.conf.config(rpc_call_timeout=4)
        api, client = self.api_with_mock_client()
        client.prepare.return_value.call.return_value = {'url': 'u'}
        result = api.get_console(self.ctxt, 'compute1', 'uuid', 'vnc',
                                 'novnc')
        self.assertEqual({'url': 'u'}, result)
        client.prepare.assert_called_once_with(
            server='compute1', version='1.0', timeout=4)
        client.prepare.return_value.call.assert_called_once_with(
            self.ctxt, 'get_console', instance_uuid='uuid', protocol='vnc',
            console_type='novnc')

    def test_get_console_with_session_is_1_1(self):
        self.conf.config(rpc_call_timeout=4)
        api, client = self.api_with_mock_client()
        api.get_console(self.ctxt, 'compute1', 'uuid', 'vnc', 'novnc',
                        session={'user_id': 'u'})
        client.prepare.assert_called_once_with(
            server='compute1', version='1.1', timeout=4)
        client.prepare.return_value.call.assert_called_once_with(
            self.ctxt, 'get_console', instance_uuid='uuid', protocol='vnc',
            console_type='novnc', session={'user_id': 'u'})
