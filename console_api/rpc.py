"""RPC plumbing: the one oslo.messaging transport and its clients and servers.

A process calls ``init(conf)`` once at start (the API, an agent, or the
all-in-one command for both) and ``cleanup()`` on exit. Clients and servers
built here share that transport, which matters for ``fake://``: its queues
live inside one transport object, so an in-process agent and API only meet
when they use the same one.
"""

import threading

import oslo_messaging as messaging

from console_api import context as ca_context

# Exceptions from these modules are rebuilt as their own type at the caller;
# anything else crossing the wire arrives as oslo.messaging's RemoteError.
ALLOWED_EXMODS = ['console_api.exception']

# The exchange our topics live in, so that console-api never shares queues
# with a Nova deployment on the same broker.
CONTROL_EXCHANGE = 'console_api'

TRANSPORT = None
_LOCK = threading.Lock()


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


def init(conf, url=None):
    """Create the process's RPC transport unless it already exists.

    :param conf: the ``ConfigOpts`` holding ``transport_url``.
    :param url: a transport URL that wins over ``conf.transport_url``
        (the all-in-one command passes ``fake://``).
    :returns: the transport.
    :raises oslo_messaging.InvalidTransportURL: the URL cannot be parsed.
    :raises oslo_messaging.DriverLoadFailure: its driver is not installed.
    """
    global TRANSPORT
    with _LOCK:
        if TRANSPORT is None:
            messaging.set_transport_defaults(CONTROL_EXCHANGE)
            TRANSPORT = messaging.get_rpc_transport(
                conf, url=url, allowed_remote_exmods=ALLOWED_EXMODS)
        return TRANSPORT


def cleanup():
    """Release the transport; a later ``init()`` creates a new one."""
    global TRANSPORT
    with _LOCK:
        if TRANSPORT is not None:
            TRANSPORT.cleanup()
            TRANSPORT = None


def get_transport():
    """Return the transport made by ``init()``.

    :raises RuntimeError: ``init()`` has not been called in this process.
    """
    if TRANSPORT is None:
        raise RuntimeError('console_api.rpc.init() has not been called')
    return TRANSPORT


def get_client(target, version_cap=None, transport=None):
    """Return an RPC client for ``target`` that sends at most ``version_cap``.

    :param transport: defaults to the process transport.
    """
    return messaging.get_rpc_client(
        transport or get_transport(), target,
        version_cap=version_cap,
        serializer=RequestContextSerializer())


def get_server(target, endpoints, transport=None):
    """Return a (not yet started) threaded RPC server for ``endpoints``.

    :param transport: defaults to the process transport.
    """
    return messaging.get_rpc_server(
        transport or get_transport(), target, endpoints,
        executor='threading',
        serializer=RequestContextSerializer(),
        access_policy=messaging.DefaultRPCAccessPolicy)
