"""The console proxy service: every enabled proxy on its own listener.

One asyncio event loop serves the noVNC, spice-html5 and serial listeners.
A connection costs a few small buffers, no thread or process. Before the
websocket upgrade the request's ``Origin`` and token are checked; a refused
request gets ``403`` with an empty body and the connection is closed, so no
byte of any console reaches it. The log says why, naming the token only by
a prefix of its hash.
"""

import asyncio
import concurrent.futures
import dataclasses
import http
import os
import threading
import time
import typing

from oslo_log import log as logging
import websockets
from websockets.asyncio import server as ws_server

from console_api.console import auth
from console_api.console import sessions
from console_api.console import tokens
from console_api.console import types as console_types
from console_api.db import api as db_api
from console_api.db import migration
from console_api import exception
from console_api.proxy import connect
from console_api.proxy import handshake
from console_api.proxy import keeper as session_keeper
from console_api.proxy import relay
from console_api.proxy import rfb
from console_api.proxy import sessions as held_sessions
from console_api.proxy import static
from console_api.proxy import tls
from console_api.proxy import validator as token_validator
from console_api import rpc

LOG = logging.getLogger(__name__)

# Bounds per session: the largest client message, how many of them may
# queue unread, and the high-water mark of the outgoing buffer. noVNC and
# serial clients send small messages; a paste is the largest.
MAX_MESSAGE_SIZE = 256 * 1024
MAX_QUEUE = 4
WRITE_LIMIT = 64 * 1024
# Keepalive pings let idle consoles survive load balancers' idle timeouts
# and find clients that vanished without closing.
PING_INTERVAL = 20
PING_TIMEOUT = 20
# The websocket handshake, including the token lookup.
OPEN_TIMEOUT = 10
# Reaching the console and negotiating with it before relaying starts.
CONSOLE_TIMEOUT = 15

SUBPROTOCOL = 'binary'


@dataclasses.dataclass(frozen=True)
class ListenerSpec:
    """One proxy listener: where it binds and what it serves.

    ``console_types`` are the token types it accepts; ``web_root`` is the
    directory of static files (``None``: websocket only); ``rfb_security``
    runs the RFB security proxy (noVNC).
    """

    name: str
    host: str
    port: int
    console_types: typing.Tuple[str, ...]
    web_root: typing.Optional[str] = None
    rfb_security: bool = False


# Per listener the registry names: host, port and web root options, RFB.
_LISTENERS = {
    'novnc': ('novncproxy_host', 'novncproxy_port', 'web', True),
    'spice-html5': ('html5proxy_host', 'html5proxy_port', 'spice_web', False),
    'serial': ('serialproxy_host', 'serialproxy_port', None, False),
}


def listeners_from_conf(conf):
    """Return the ``ListenerSpec`` of every proxy enabled in ``conf``."""
    specs = []
    for row in console_types.TYPES:
        group = getattr(conf, row.group)
        if row.proxy and group.enabled:
            host, port, web, rfb = _LISTENERS[row.proxy]
            # No web root option, or an empty one: websocket only.
            specs.append(ListenerSpec(
                row.proxy, getattr(group, host), getattr(group, port),
                (row.type,), web and getattr(conf, web) or None, rfb))
    return specs


def check_listeners(specs):
    """Refuse to start without listeners or with a missing web root.

    :raises ConfigurationError: with the reason.
    """
    if not specs:
        raise exception.ConfigurationError(
            reason='no console proxy is enabled ([vnc], [spice] or '
                   '[serial_console] enabled)')
    for spec in specs:
        if spec.web_root and not os.path.isdir(spec.web_root):
            raise exception.ConfigurationError(
                reason='web directory %s of the %s proxy does not exist'
                       % (spec.web_root, spec.name))


def _transport(conf):
    """The RPC transport of ``conf``, or ``None`` if it cannot be built."""
    try:
        return rpc.create_transport(conf)
    except Exception as exc:
        # The periodic session check still cuts ended sessions.
        LOG.warning('Console proxy has no message bus (%s); ended sessions '
                    'are cut at the next session check', exc)
        return None


def _peer(connection):
    address = connection.remote_address
    return '%s:%s' % tuple(address[:2]) if address else '?'


def _is_upgrade(request):
    return any('websocket' in value.lower()
               for value in request.headers.get_all('Upgrade'))


def _offers_binary(headers):
    """Whether the upgrade can succeed as far as subprotocols go."""
    offered = [name.strip() for value in
               headers.get_all('Sec-WebSocket-Protocol')
               for name in value.split(',')]
    return not offered or SUBPROTOCOL in offered


def _select_subprotocol(connection, offered):
    """Echo ``binary`` when offered; refuse offers without it."""
    if not offered:
        return None
    if SUBPROTOCOL in offered:
        return SUBPROTOCOL
    raise websockets.NegotiationError('only the binary subprotocol is '
                                      'supported')


class ConsoleProxy:
    """Requests and sessions of one listener."""

    def __init__(self, spec, validator, allowed_origins=(),
                 auth_schemes=('none',), enforce_session_timeout=False,
                 clock=time.time, keeper=None, registry=None, host=None,
                 trusted_proxies=()):
        """Serve one listener.

        :param keeper: the process's ``SessionKeeper``; with it (and the
            ``registry``) each upgrade uses its token (``connect``) as
            this proxy ``host``, and sessions are tracked; without it
            tokens are only validated.
        :param trusted_proxies: networks whose ``X-Forwarded-For`` is
            believed (``handshake.trusted_networks``).
        """
        self.spec = spec
        self._validator = validator
        self._keeper = keeper
        self._registry = registry
        self._host = host
        self._trusted = list(trusted_proxies)
        self._allowed_origins = list(allowed_origins)
        self._auth_schemes = list(auth_schemes)
        self._enforce_session_timeout = enforce_session_timeout
        self._clock = clock

    async def process_request(self, connection, request):
        """Answer plain HTTP; check origin and token before an upgrade.

        :returns: ``None`` to go on with the websocket upgrade, else the
            HTTP response to send.
        """
        if not _is_upgrade(request):
            return await self._serve_static(request)
        token = None
        try:
            scheme = handshake.check_origin_host(request.headers,
                                                 self._allowed_origins)
            token = handshake.find_token(request.path,
                                         request.headers.get('Cookie'))
            if not token:
                raise auth.TokenRejected('no token')
            info = await self._validator.validate(token)
            if info.console_type not in self.spec.console_types:
                raise auth.TokenRejected(
                    'token is for a %s console' % info.console_type)
            handshake.check_origin_scheme(scheme, info.access_url_base)
            # Only an upgrade that can succeed uses the token.
            if (self._keeper is not None and info.session_id is not None
                    and _offers_binary(request.headers)):
                address = handshake.client_address(
                    (connection.remote_address or ('?',))[0],
                    request.headers, self._trusted)
                info = await self._validator.connect(token, address,
                                                     self._host)
        except (handshake.OriginRejected,
                auth.TokenRejected) as exc:
            LOG.warning('%s proxy refused %s (token %s): %s',
                        self.spec.name, _peer(connection),
                        tokens.log_id(token), exc)
            # No body: a client reading frames must find nothing at all.
            return static.response(http.HTTPStatus.FORBIDDEN)
        except token_validator.ValidatorUnavailable as exc:
            LOG.error('%s proxy cannot check tokens: %s', self.spec.name, exc)
            return static.response(http.HTTPStatus.SERVICE_UNAVAILABLE)
        except Exception:
            LOG.exception('%s proxy could not validate a token',
                          self.spec.name)
            return static.response(http.HTTPStatus.SERVICE_UNAVAILABLE)
        connection.console_info = info
        return None

    async def _serve_static(self, request):
        if self.spec.web_root is None:
            return static.error_response(http.HTTPStatus.METHOD_NOT_ALLOWED)
        if request.method not in ('GET', 'HEAD'):
            return static.error_response(http.HTTPStatus.METHOD_NOT_ALLOWED,
                                         [('Allow', 'GET, HEAD')])
        try:
            path = static.resolve(self.spec.web_root, request.path)
            body = await asyncio.to_thread(static.read_file, path)
        except static.StaticError as exc:
            return static.error_response(exc.status, exc.headers)
        response = static.response(http.HTTPStatus.OK, body,
                                   static.content_type(path),
                                   [('X-Content-Type-Options', 'nosniff')])
        if request.method == 'HEAD':
            response.body = b''
        return response

    async def handle(self, websocket):
        """Run one console session from the upgrade to either side's close.

        A tracked session's last websocket to close records the end
        (``SessionKeeper.closed``) with the reason.
        """
        info = websocket.console_info
        held = None
        if self._keeper is not None and info.session_id is not None:
            held = self._registry.join(info, websocket)
            websocket.held_session = held
        ended = 'error'
        try:
            if held is not None:
                await self._keeper.opened(info)
            ended = await self._run(websocket, info)
        finally:
            if held is not None and self._registry.leave(held, websocket):
                await self._keeper.closed(held, ended)

    async def _run(self, websocket, info):
        """Open the console and relay; return the close reason's name."""
        peer = _peer(websocket)
        try:
            async with asyncio.timeout(CONSOLE_TIMEOUT):
                console = await connect.open_console(info)
        except (connect.ConsoleUnreachable, TimeoutError) as exc:
            LOG.warning('%s proxy: console of instance %s (token %s) '
                        'unreachable: %s', self.spec.name,
                        info.instance_uuid, info.log_id,
                        exc or 'timed out')
            await websocket.close(1011, 'Console unreachable')
            return 'error'
        LOG.info('%s proxy: %s connected to instance %s (token %s)',
                 self.spec.name, peer, info.instance_uuid, info.log_id)
        ended = 'error'
        try:
            pending = await self._negotiate(websocket, console, info)
            if pending is None:
                await websocket.close(1011, 'Console handshake failed')
            else:
                ended = await self._relay(websocket, console, info, pending)
            if ended == 'console':
                reason = sessions.REASONS['console']
                await websocket.close(reason.code, reason.text)
            return ended
        finally:
            await connect.close(console)
            LOG.info('%s proxy: session of %s to instance %s (token %s) '
                     'ended by %s', self.spec.name, peer, info.instance_uuid,
                     info.log_id, ended)

    async def _negotiate(self, websocket, console, info):
        """Run the console protocol's security step; ``None`` on failure."""
        if not self.spec.rfb_security:
            return b''
        stream = relay.WebSocketStream(websocket)
        try:
            async with asyncio.timeout(CONSOLE_TIMEOUT):
                await rfb.negotiate(stream, console, self._auth_schemes)
        except (rfb.SecurityProxyError, TimeoutError,
                asyncio.IncompleteReadError, websockets.ConnectionClosed,
                OSError) as exc:
            LOG.warning('%s proxy: RFB negotiation for instance %s (token '
                        '%s) failed: %s', self.spec.name, info.instance_uuid,
                        info.log_id, exc or type(exc).__name__)
            return None
        return stream.take_buffered()

    async def _relay(self, websocket, console, info, pending):
        meter = getattr(websocket, 'held_session', None)
        if not self._enforce_session_timeout:
            return await relay.relay(websocket, console, pending, meter)
        remaining = info.expires - self._clock()
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout_at(loop.time() + max(remaining, 0)):
                return await relay.relay(websocket, console, pending, meter)
        except TimeoutError:
            LOG.info('%s proxy: token %s expired, closing the session of '
                     'instance %s', self.spec.name, info.log_id,
                     info.instance_uuid)
            # Tokens without a session keep the code they always had.
            code = (sessions.REASONS['expired'].code if info.session_id
                    else 1000)
            await websocket.close(code, sessions.REASONS['expired'].text)
            return 'expired'


class ProxyService:
    """Run the enabled console proxies in one event loop.

    ``start_in_thread()`` and ``stop()`` run it in a background thread
    with its own loop.
    """

    def __init__(self, conf, validator=None, specs=None, transport=None,
                 host=None):
        """Prepare the service; nothing binds until it starts.

        :param conf: the ``CONF`` object (proxy, TLS and consoleauth
            options are read here).
        :param validator: an object with ``async validate(token)`` returning
            a ``ConnectInfo`` or raising ``TokenRejected``; default the
            database-backed ``TokenValidator``.
        :param specs: listeners to serve; default those enabled in ``conf``.
        :raises ConfigurationError: no listener, missing web root, TLS
            required but unusable, or (default validator) the database
            schema not at its newest revision (``DBNotAtHead``).
        :param transport: the oslo.messaging transport the proxy listens
            for session ends on; default one built from ``conf`` (and
            released at stop). Only with a validator that has a
            ``console_auth`` (the default one): sessions are tracked then.
        :param host: the name this proxy records and heartbeats under;
            default ``[DEFAULT] host``.
        """
        self._specs = list(listeners_from_conf(conf) if specs is None
                           else specs)
        check_listeners(self._specs)
        try:
            trusted = handshake.trusted_networks(
                conf.console_proxy.trusted_proxies)
        except ValueError as exc:
            raise exception.ConfigurationError(
                reason='[console_proxy] trusted_proxies: %s' % exc)
        self._ssl = tls.server_context(conf) if tls.wants_tls(conf) else None
        self._database = None
        if validator is None:
            self._database = db_api.Database(conf)
            # Checked once here: an old schema would fail every lookup.
            migration.check_at_head(self._database.get_engine())
            validator = token_validator.TokenValidator(
                auth.ConsoleAuth(self._database, conf))
            self._owns_validator = True
        else:
            self._owns_validator = False
        self._validator = validator
        self.host = host or conf.host
        self.registry = held_sessions.Registry()
        self.keeper = None
        self._owned_transport = None
        if hasattr(validator, 'console_auth'):
            if transport is None:
                transport = self._owned_transport = _transport(conf)
            self.keeper = session_keeper.SessionKeeper(
                validator, conf, self.host, self.registry, transport)
        self.proxies = [
            ConsoleProxy(spec, validator,
                         allowed_origins=conf.console.allowed_origins,
                         auth_schemes=conf.vnc.auth_schemes,
                         enforce_session_timeout=(
                             conf.consoleauth.enforce_session_timeout),
                         keeper=self.keeper, registry=self.registry,
                         host=self.host, trusted_proxies=trusted)
            for spec in self._specs]
        self.addresses = {}
        self._loop = None
        self._stop_event = None
        self._thread = None
        self._grace = 0

    async def serve(self, on_ready):
        """Serve until ``stop()``; call ``on_ready()`` once listening."""
        self._loop = asyncio.get_running_loop()
        self._stop_event = asyncio.Event()
        servers = []
        try:
            if self.keeper is not None:
                await self.keeper.start()
            for proxy in self.proxies:
                server = await self._listen(proxy)
                servers.append(server)
                address = server.sockets[0].getsockname()[:2]
                self.addresses[proxy.spec.name] = address
                LOG.info('%s proxy listening on %s:%s (%s)', proxy.spec.name,
                         address[0], address[1],
                         'TLS' if self._ssl else 'plain')
            on_ready()
            await self._stop_event.wait()
        finally:
            # Stop listening; open sessions get the grace period to end,
            # then are closed with 1001 (going away).
            for server in servers:
                server.close(close_connections=False)
            try:
                async with asyncio.timeout(self._grace):
                    for server in servers:
                        await server.wait_closed()
            except TimeoutError:
                await self.registry.cut(self.registry.held_ids(),
                                        'proxy_lost')
                await asyncio.gather(*(
                    connection.close(1001) for server in servers
                    for connection in server.connections))
                for server in servers:
                    await server.wait_closed()
            if self.keeper is not None:
                await self.keeper.stop()
            if self._owned_transport is not None:
                await asyncio.to_thread(self._owned_transport.cleanup)
            if self._owns_validator:
                await asyncio.to_thread(self._validator.close)
                self._database.dispose()

    def _listen(self, proxy):
        return ws_server.serve(
            proxy.handle, proxy.spec.host, proxy.spec.port,
            ssl=self._ssl,
            process_request=proxy.process_request,
            select_subprotocol=_select_subprotocol,
            # Console streams are mostly compressed already; deflate would
            # cost CPU and hundreds of KiB per session.
            compression=None,
            server_header=None,
            open_timeout=OPEN_TIMEOUT,
            ping_interval=PING_INTERVAL,
            ping_timeout=PING_TIMEOUT,
            max_size=MAX_MESSAGE_SIZE,
            max_queue=MAX_QUEUE,
            write_limit=WRITE_LIMIT)

    def start_in_thread(self):
        """Start serving in a daemon thread; return once listening.

        :returns: ``{listener name: (host, port)}`` actually bound.
        :raises OSError: a listener could not bind (and the like).
        """
        started = concurrent.futures.Future()

        def target():
            try:
                asyncio.run(self.serve(on_ready=lambda: started.set_result(
                    dict(self.addresses))))
            except BaseException as exc:
                if not started.done():
                    started.set_exception(exc)

        self._thread = threading.Thread(target=target, name='console-proxy',
                                        daemon=True)
        self._thread.start()
        return started.result()

    def stop(self, timeout=0):
        """Stop a service started with ``start_in_thread``; wait for it.

        :param timeout: seconds open sessions get to end before they are
            closed (``None``: no limit).
        """
        self._grace = timeout
        if self._loop is not None and self._stop_event is not None:
            try:
                self._loop.call_soon_threadsafe(self._stop_event.set)
            except RuntimeError:
                pass  # the loop has already finished
        if self._thread is not None:
            self._thread.join()
