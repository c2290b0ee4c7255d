"""Keeps a proxy's sessions in step with the database and the other proxies.

The database is the truth about sessions; this process holds their
websockets (``proxy.sessions.Registry``). The keeper, run in the proxy's
event loop:

* records the last close of each session (``disconnect``) with its bytes;
* cuts the sessions others ended: at once on the ``end_sessions`` fanout
  cast (topic ``console-proxy``), and, so that an end lands while the
  broker is down, by re-reading their statuses every
  ``[consoleauth] session_check_interval`` seconds;
* on that same tick heartbeats the proxy (binary ``console-proxy``),
  flushes every session's byte counts in one write, ends the sessions of
  dead proxies (``housekeeping``) and cuts idle sessions;
* on start, ends the sessions a previous life of this proxy left active.

Database work runs on the validator's executor, never in the loop; casts
run on a thread of their own, since a broker that is down blocks them.
"""

import asyncio
import concurrent.futures
import threading

from oslo_log import log as logging
import oslo_messaging as messaging

from console_api.console import sessions
from console_api import context as ctx
from console_api.proxy import rpcapi
from console_api import rpc

LOG = logging.getLogger(__name__)

# Byte counts reach the database at least this often (C1), whatever the
# check interval.
FLUSH_INTERVAL = 10


class _Endpoint:
    """The proxies' RPC interface (see ``rpcapi.ConsoleProxyAPI``)."""

    target = messaging.Target(version=rpcapi.RPC_API_VERSION)

    def __init__(self, keeper):
        self._keeper = keeper

    def end_sessions(self, context, session_ids, reason):
        """Cut those of ``session_ids`` held here with ``reason``'s code."""
        self._keeper.end_from_thread(session_ids, reason)


class SessionKeeper:
    """The session duties of one proxy process.

    :param validator: the ``TokenValidator`` (its ``ConsoleAuth`` and
        executor are used).
    :param conf: the ``ConfigOpts`` (``[consoleauth]`` options are read
        at each tick, ``service_down_time`` too).
    :param host: this proxy's ``[DEFAULT] host``.
    :param registry: the ``proxy.sessions.Registry`` of this process.
    :param transport: the oslo.messaging transport, or ``None`` for no RPC
        (the periodic check still cuts ended sessions).
    """

    def __init__(self, validator, conf, host, registry, transport=None):
        self._validator = validator
        self._auth = validator.console_auth
        self._conf = conf
        self._host = host
        self._registry = registry
        self._transport = transport
        self._loop = None
        self._task = None
        self._rpc_server = None
        self._casts = concurrent.futures.ThreadPoolExecutor(
            max_workers=1, thread_name_prefix='proxy-rpc')
        self._proxies = (rpcapi.ConsoleProxyAPI(transport)
                         if transport is not None else None)

    async def start(self):
        """End our previous life's sessions, heartbeat, start the duties."""
        self._loop = asyncio.get_running_loop()
        try:
            await self._validator.run(self._first_tick)
        except Exception as exc:
            # The next tick heartbeats; tokens fail meanwhile anyway.
            LOG.warning('Console proxy could not record its start (%s)',
                        exc)
        if self._transport is not None:
            # Started off the loop: with the broker down this may block
            # for long, and the proxy must serve meanwhile.
            threading.Thread(target=self._start_rpc, daemon=True,
                             name='proxy-rpc-server').start()
        self._task = asyncio.create_task(self._run())

    def _first_tick(self, context):
        lost = self._auth.end_for_proxies(context, [self._host])
        if lost:
            LOG.info('Ended %d console sessions left active by a previous '
                     'run of this proxy (proxy_lost)', len(lost))
        self._heartbeat(context)

    def _heartbeat(self, context):
        self._auth.database.service_heartbeat(
            context, self._host, sessions.PROXY_BINARY,
            rpcapi.RPC_API_VERSION)

    def _start_rpc(self):
        target = messaging.Target(topic=rpcapi.TOPIC, server=self._host)
        try:
            server = rpc.get_server(self._transport, target,
                                    [_Endpoint(self)])
            server.start()
        except Exception as exc:
            LOG.warning('Console proxy cannot listen for session ends on '
                        'the message bus (%s); ended sessions are cut at '
                        'the next session check instead',
                        type(exc).__name__)
            return
        self._rpc_server = server

    async def stop(self):
        """Stop the duties; flush what is left. Sessions are cut already."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        server, self._rpc_server = self._rpc_server, None
        if server is not None:
            await asyncio.to_thread(self._stop_rpc, server)
        self._casts.shutdown(wait=False, cancel_futures=True)
        await self._flush()

    @staticmethod
    def _stop_rpc(server):
        server.stop()
        server.wait()

    # -- sessions opening and closing ------------------------------------

    async def opened(self, info):
        """Cut the sessions ``info``'s connection replaced over the limit.

        Those held here are cut now; the others' proxies are told.
        """
        if not info.replaced:
            return
        held = await self._registry.cut(info.replaced, 'replaced')
        elsewhere = [uuid for uuid in info.replaced if uuid not in held]
        if elsewhere and self._proxies is not None:
            self._casts.submit(self._cast, elsewhere, 'replaced')

    def _cast(self, session_ids, reason):
        try:
            self._proxies.end_sessions(ctx.get_admin_context(), session_ids,
                                       reason)
        except Exception as exc:
            LOG.warning('Could not tell the other proxies to cut %d '
                        'sessions (%s); their session check will',
                        len(session_ids), type(exc).__name__)

    async def closed(self, held, reason):
        """Record the end of a session whose last websocket closed here."""
        try:
            await self._validator.run(self._record_close, held.take_delta(),
                                      held.cut_reason or reason)
        except Exception:
            LOG.exception('Could not record the end of console session %s',
                          held.session_id)

    def _record_close(self, context, delta, reason):
        if delta[1] or delta[2]:
            self._auth.add_bytes(context, [delta])
        if self._auth.disconnect(context, delta[0], reason):
            LOG.info('Console session %s closed (%s)', delta[0], reason)

    # -- ends from elsewhere ---------------------------------------------

    def end_from_thread(self, session_ids, reason):
        """Cut sessions from another thread (the RPC server's)."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            asyncio.run_coroutine_threadsafe(
                self._registry.cut(session_ids, reason), loop)
        except RuntimeError:
            pass  # the loop is shutting down; the sessions end with it

    async def _run(self):
        check = max(self._conf.consoleauth.session_check_interval, 0.05)
        period = min(check, FLUSH_INTERVAL)
        while True:
            await asyncio.sleep(period)
            try:
                await self.tick()
            except Exception:
                LOG.exception('Console session check failed')

    async def tick(self):
        """One round of the duties (see the module's docstring)."""
        ids = self._registry.held_ids()
        deltas = self._registry.take_deltas()
        found = await self._validator.run(self._database_tick, ids, deltas)
        ended = {}
        for uuid in ids:
            status, reason = found.get(uuid, (sessions.CLOSED, 'killed'))
            if status != sessions.ACTIVE:
                ended.setdefault(reason or 'killed', []).append(uuid)
        idle_timeout = self._conf.consoleauth.session_idle_timeout
        if idle_timeout:
            idle = self._registry.idle(idle_timeout)
            if idle:
                ended.setdefault('idle', []).extend(idle)
        # A session cut twice keeps its first reason.
        for reason, uuids in ended.items():
            LOG.info('Cutting %d console sessions (%s)', len(uuids), reason)
            await self._registry.cut(uuids, reason)

    def _database_tick(self, context, ids, deltas):
        self._heartbeat(context)
        self._auth.add_bytes(context, deltas)
        found = self._auth.statuses(context, ids) if ids else {}
        lost = self._auth.housekeeping(context,
                                       self._conf.service_down_time)
        if lost:
            LOG.info('Ended %d console sessions of proxies that stopped '
                     'heartbeating (proxy_lost)', len(lost))
        return found

    async def _flush(self):
        deltas = self._registry.take_deltas()
        if deltas:
            try:
                await self._validator.run(self._auth.add_bytes, deltas)
            except Exception:
                LOG.exception('Could not record relayed bytes')
