"""Client side of the API-to-compute-agent RPC interface."""

import oslo_messaging as messaging

from console_api import conf as ca_conf
from console_api import rpc

CONF = ca_conf.CONF

# The queue every compute agent listens on (one server per host).
TOPIC = 'console-agent'
# The name an agent gives itself in the services table.
AGENT_BINARY = 'console-compute-agent'
# The newest version both sides of this code speak.
RPC_API_VERSION = '1.0'


class ConsoleAgentAPI(object):
    """Calls the API makes on compute agents.

    Version history:

    * 1.0 - Initial version: ``get_console``, ``revoke_tokens``,
      ``resync_all``.

    A method added later bumps the minor version; its client method checks
    ``self.client.can_send_version()`` so that an API capped by
    ``[upgrade_levels] console_agent`` keeps talking to older agents.
    """

    def __init__(self, transport=None):
        """Build the client lazily so constructing this needs no transport.

        :param transport: an oslo.messaging transport; defaults to the one
            created by ``console_api.rpc.init()``.
        """
        self._transport = transport
        self._client = None

    @property
    def client(self):
        if self._client is None:
            target = messaging.Target(topic=TOPIC, version=RPC_API_VERSION)
            self._client = rpc.get_client(
                target, version_cap=CONF.upgrade_levels.console_agent,
                transport=self._transport)
        return self._client

    def get_console(self, ctxt, host, instance_uuid, protocol, console_type):
        """Ask the agent on ``host`` to issue a console token.

        Waits at most ``[DEFAULT] rpc_call_timeout`` seconds.

        :returns: ``{'url': access_url}``.
        :raises oslo_messaging.MessagingTimeout: the agent did not answer.
        :raises console_api.exception.ConsoleApiException: whatever the agent
            raised on purpose (``ConsoleTypeInvalid``,
            ``ConsoleTypeUnavailable``, ``ConsoleNotSupported``,
            ``InstanceNotFound``, ...), rebuilt as the same type.
        """
        cctxt = self.client.prepare(server=host, version='1.0',
                                    timeout=CONF.rpc_call_timeout)
        return cctxt.call(ctxt, 'get_console', instance_uuid=instance_uuid,
                          protocol=protocol, console_type=console_type)

    def revoke_tokens(self, ctxt, host, instance_uuid):
        """Tell the agent on ``host`` to delete every token of an instance.

        Fire and forget: no answer, no error if the agent is down.
        """
        cctxt = self.client.prepare(server=host, version='1.0')
        cctxt.cast(ctxt, 'revoke_tokens', instance_uuid=instance_uuid)

    def resync_all(self, ctxt):
        """Ask every agent to sync its hypervisor's inventory now (fanout)."""
        cctxt = self.client.prepare(fanout=True, version='1.0')
        cctxt.cast(ctxt, 'resync_all')
