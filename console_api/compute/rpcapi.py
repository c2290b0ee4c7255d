"""Client side of the API-to-compute-agent RPC interface."""

import oslo_messaging as messaging

from console_api import rpc

# The queue every compute agent listens on (one server per host).
TOPIC = 'console-agent'
# The name an agent gives itself in the services table.
AGENT_BINARY = 'console-compute-agent'
# The newest version both sides of this code speak.
RPC_API_VERSION = '1.1'


class ConsoleAgentAPI(object):
    """Calls the API makes on compute agents.

    Version history:

    * 1.0 - Initial version: ``get_console``.
    * 1.1 - ``get_console`` takes ``session``: who asked, so the agent
      records the console session with the token.

    A method added later bumps the minor version; its client method checks
    ``self.client.can_send_version()`` so that an API capped by
    ``[upgrade_levels] console_agent`` keeps talking to older agents.

    :param transport: the oslo.messaging transport to send on.
    :param conf: the ``ConfigOpts`` with ``[upgrade_levels]`` and
        ``rpc_call_timeout``.
    """

    def __init__(self, transport, conf):
        self.conf = conf
        target = messaging.Target(topic=TOPIC, version=RPC_API_VERSION)
        self.client = rpc.get_client(
            transport, target, version_cap=conf.upgrade_levels.console_agent)

    def can_record_sessions(self):
        """Tell whether agents may be sent ``session`` (version 1.1)."""
        return self.client.can_send_version('1.1')

    def get_console(self, ctxt, host, instance_uuid, protocol, console_type,
                    session=None):
        """Ask the agent on ``host`` to issue a console token.

        Waits at most ``[DEFAULT] rpc_call_timeout`` seconds.

        :param session: the session's request fields (version 1.1 only:
            check ``can_record_sessions()`` first).
        :returns: ``{'url': access_url}``, plus ``session_id`` from 1.1.
        :raises oslo_messaging.MessagingTimeout: the agent did not answer.
        :raises console_api.exception.ConsoleApiException: whatever the agent
            raised on purpose (``ConsoleTypeInvalid``,
            ``ConsoleTypeUnavailable``, ``ConsoleNotSupported``,
            ``InstanceNotFound``, ...), rebuilt as the same type.
        """
        kwargs = {'instance_uuid': instance_uuid, 'protocol': protocol,
                  'console_type': console_type}
        version = '1.0'
        if session is not None:
            version = '1.1'
            kwargs['session'] = session
        cctxt = self.client.prepare(server=host, version=version,
                                    timeout=self.conf.rpc_call_timeout)
        return cctxt.call(ctxt, 'get_console', **kwargs)
