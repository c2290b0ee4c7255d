"""A console's TCP socket: a small stream API, then a direct byte pump.

While a handshake runs (an HTTP ``CONNECT`` tunnel, the RFB security
proxy) the socket is read with ``readexactly`` and ``readuntil``. Once the
relay starts, ``forward_to`` hands every block the event loop reads
straight to a sink function, without a reader task, a coroutine switch or
another copy per block; the sink applies backpressure by calling
``pause_reading`` and ``resume_reading``.
"""

import asyncio
import collections

# Reading pauses while more than this many handshake bytes wait unread.
BUFFER_LIMIT = 64 * 1024


class ConsoleSocket(asyncio.Protocol):
    """The protocol of one console connection (see the module docstring).

    ``closed`` is a future resolved when the connection is lost.
    """

    def __init__(self, loop):
        self._loop = loop
        self.transport = None
        self._buffer = bytearray()
        self._eof = False
        self._error = None
        self._read_waiter = None
        self._write_paused = False
        self._drain_waiters = collections.deque()
        self._sink = None
        self._on_eof = None
        self.closed = loop.create_future()

    # asyncio.Protocol callbacks

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        if self._sink is not None:
            self._sink(data)
            return
        self._buffer += data
        if len(self._buffer) > BUFFER_LIMIT:
            self.transport.pause_reading()
        self._wake_reader()

    def eof_received(self):
        self._eof = True
        self._wake_reader()
        if self._on_eof is not None:
            self._on_eof()
        # Returning False closes the transport: a console that stops
        # sending has ended the session.
        return False

    def connection_lost(self, exc):
        self._eof = True
        self._error = exc
        self._wake_reader()
        self._write_paused = False
        self._wake_drainers()
        if not self.closed.done():
            self.closed.set_result(exc)
        if self._on_eof is not None:
            self._on_eof()

    def pause_writing(self):
        self._write_paused = True

    def resume_writing(self):
        self._write_paused = False
        self._wake_drainers()

    # Stream API for handshakes

    async def readexactly(self, count):
        """Return exactly ``count`` bytes.

        :raises asyncio.IncompleteReadError: the console closed first.
        """
        while len(self._buffer) < count:
            if self._eof:
                raise asyncio.IncompleteReadError(bytes(self._buffer), count)
            await self._wait_data()
        return self._take(count)

    async def readuntil(self, separator, limit=BUFFER_LIMIT):
        """Return the bytes up to and including ``separator``.

        :raises asyncio.IncompleteReadError: the console closed first.
        :raises asyncio.LimitOverrunError: no separator in ``limit`` bytes.
        """
        while True:
            index = self._buffer.find(separator)
            if index >= 0:
                return self._take(index + len(separator))
            if len(self._buffer) > limit:
                raise asyncio.LimitOverrunError(
                    'separator not found in %d bytes' % limit, limit)
            if self._eof:
                raise asyncio.IncompleteReadError(bytes(self._buffer), None)
            await self._wait_data()

    def write(self, data):
        """Queue ``data`` for the console."""
        self.transport.write(data)

    async def drain(self):
        """Wait while the console's write buffer is above its limit.

        :raises ConnectionResetError: the connection is lost.
        """
        if self.transport.is_closing():
            # Let connection_lost run before telling the caller.
            await asyncio.sleep(0)
        if self.closed.done():
            raise ConnectionResetError('console connection lost')
        if self._write_paused:
            waiter = self._loop.create_future()
            self._drain_waiters.append(waiter)
            try:
                await waiter
            finally:
                self._drain_waiters.remove(waiter)
            if self.closed.done():
                raise ConnectionResetError('console connection lost')

    def close(self):
        """Close the connection (what is queued is still sent)."""
        if self.transport is not None:
            self.transport.close()

    async def wait_closed(self):
        """Wait until the connection is lost."""
        await asyncio.shield(self.closed)

    # Relay mode

    def forward_to(self, sink, on_eof):
        """Hand every block read from now on to ``sink(data)``.

        Bytes read but not consumed by the handshake go first. ``on_eof()``
        is called when the console stops sending or the connection is lost
        (possibly more than once).
        """
        self._sink = sink
        self._on_eof = on_eof
        if self._buffer:
            data = bytes(self._buffer)
            self._buffer.clear()
            sink(data)
        if self._eof:
            on_eof()
        else:
            self.transport.resume_reading()

    def pause_reading(self):
        """Stop reading from the console until ``resume_reading``."""
        if not self.transport.is_closing():
            self.transport.pause_reading()

    def resume_reading(self):
        """Read from the console again."""
        if not self.transport.is_closing():
            self.transport.resume_reading()

    # Helpers

    def _take(self, count):
        data = bytes(self._buffer[:count])
        del self._buffer[:count]
        if len(self._buffer) <= BUFFER_LIMIT and not self._eof:
            self.transport.resume_reading()
        return data

    async def _wait_data(self):
        self._read_waiter = self._loop.create_future()
        try:
            await self._read_waiter
        finally:
            self._read_waiter = None

    def _wake_reader(self):
        waiter = self._read_waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _wake_drainers(self):
        for waiter in self._drain_waiters:
            if not waiter.done():
                waiter.set_result(None)


async def open_connection(host, port):
    """Connect to ``host:port``; return its ``ConsoleSocket``.

    :raises OSError: the connection failed.
    """
    loop = asyncio.get_running_loop()
    _transport, protocol = await loop.create_connection(
        lambda: ConsoleSocket(loop), host, port)
    return protocol
