"""Client side of the RPC interface of the console proxies.

Every ``console-proxy`` listens on one fanout topic; whoever ends sessions
(the API, an agent whose server vanished, a proxy replacing a session over
the limit) casts to all of them, and the one holding a session cuts it.
"""

from oslo_log import log as logging
import oslo_messaging as messaging

from console_api import rpc

LOG = logging.getLogger(__name__)

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
        its next ``[consoleauth] session_check_interval``. So the cast is
        tried once, not retried until the message bus is back: a caller
        (an agent's periodic sync, say) must never hang on it.
        """
        try:
            self.client.prepare(fanout=True, retry=0).cast(
                ctxt, 'end_sessions', session_ids=list(session_ids),
                reason=reason)
        except messaging.MessagingException as exc:
            LOG.warning('Could not tell the console proxies to end %(n)d '
                        'sessions (%(error)s); they will find out at their '
                        'next session check',
                        {'n': len(session_ids), 'error': type(exc).__name__})
