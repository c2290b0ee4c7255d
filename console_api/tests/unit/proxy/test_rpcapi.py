"""The proxies' RPC client: a fanout cast that never waits for the bus."""

from unittest import mock

import oslo_messaging as messaging
import testtools

from console_api import context
from console_api.proxy import rpcapi


class ConsoleProxyAPITest(testtools.TestCase):

    def api(self):
        api = rpcapi.ConsoleProxyAPI.__new__(rpcapi.ConsoleProxyAPI)
        api.client = mock.Mock()
        return api, api.client

    def test_fanout_cast_tried_once(self):
        api, client = self.api()
        ctxt = context.get_admin_context()
        api.end_sessions(ctxt, ('s1', 's2'), 'killed')
        client.prepare.assert_called_once_with(fanout=True, retry=0)
        client.prepare.return_value.cast.assert_called_once_with(
            ctxt, 'end_sessions', session_ids=['s1', 's2'], reason='killed')

    def test_bus_down_is_logged_not_raised(self):
        api, client = self.api()
        client.prepare.return_value.cast.side_effect = (
            messaging.MessageDeliveryFailure('down'))
        api.end_sessions(context.get_admin_context(), ['s1'], 'server_gone')
