"""Client side of the RPC interface of the console proxies.

Every ``console-proxy`` listens on one fanout topic; whoever ends sessions
(the API, an agent whose server vanished, a proxy replacing a session over
the limit) casts to all of them, and the one holding a session cuts it.
"""

import oslo_messaging as messaging

from console_api import rpc

# The fanout topic of the proxies.
TOPIC = 'console-proxy'
# The newest version both sides of this code speak.
RPC_API_VERSION = '1.0'


class ConsoleProxyAPI(object):
    """Casts to every console proxy.

    Version history:

    * 1.0 - Initial version: ``end_sessions``.

    :param transport: the oslo.messaging transport to send on.
    """

    def __init__(self, transport):
        self.client = rpc.get_client(
            transport, messaging.Target(topic=TOPIC,
                                        version=RPC_API_VERSION))

    def end_sessions(self, ctxt, session_ids, reason):
        """Tell every proxy to cut these sessions with ``reason``'s code.

        Fire and forget: a proxy that misses it finds the ended status at
        its next ``[consoleauth] session_check_interval``.
        """
        self.client.prepare(fanout=True).cast(
            ctxt, 'end_sessions', session_ids=list(session_ids),
            reason=reason)
