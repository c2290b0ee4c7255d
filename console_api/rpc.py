"""RPC plumbing: oslo.messaging transports, clients and servers.

Whoever assembles a service creates its transport with
``create_transport(conf)`` and hands it to the clients and servers built
here; ``transport.cleanup()`` releases it. (Transports of the ``fake://``
and ``inproc://`` drivers in one process share their queues, as clients of
one broker would.)
"""

import oslo_messaging as messaging

from console_api import context as ca_context

# Exceptions from these modules are rebuilt as their own type at the caller;
# anything else crossing the wire arrives as oslo.messaging's RemoteError.
ALLOWED_EXMODS = ['console_api.exception']

# The exchange our topics live in, so that console-api never shares queues
# with a Nova deployment on the same broker.
CONTROL_EXCHANGE = 'console_api'


class RequestContextSerializer(messaging.Serializer):
    """Carry a ``RequestContext`` as a dict; payloads go through ``base``."""

    def __init__(self, base=None):
        self._base = base or messaging.JsonPayloadSerializer()

    def serialize_entity(self, ctxt, entity):
        return self._base.serialize_entity(ctxt, entity)

    def deserialize_entity(self, ctxt, entity):
        return self._base.deserialize_entity(ctxt, entity)

    def serialize_context(self, ctxt):
        return ctxt.to_dict()

    def deserialize_context(self, ctxt):
        return ca_context.RequestContext.from_dict(ctxt)


def create_transport(conf, url=None):
    """Create an RPC transport.

    :param conf: the ``ConfigOpts`` holding ``transport_url``.
    :param url: a transport URL that wins over ``conf.transport_url``.
    :raises oslo_messaging.InvalidTransportURL: the URL cannot be parsed.
    :raises oslo_messaging.DriverLoadFailure: its driver is not installed.
    """
    messaging.set_transport_defaults(CONTROL_EXCHANGE)
    return messaging.get_rpc_transport(conf, url=url,
                                       allowed_remote_exmods=ALLOWED_EXMODS)


def get_client(transport, target, version_cap=None):
    """Return an RPC client for ``target`` that sends at most ``version_cap``.
    """
    return messaging.get_rpc_client(
        transport, target, version_cap=version_cap,
        serializer=RequestContextSerializer())


def get_server(transport, target, endpoints):
    """Return a (not yet started) threaded RPC server for ``endpoints``."""
    return messaging.get_rpc_server(
        transport, target, endpoints,
        executor='threading',
        serializer=RequestContextSerializer(),
        access_policy=messaging.DefaultRPCAccessPolicy)
