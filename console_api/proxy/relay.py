"""Byte relay between a websocket client and a console's TCP socket.

Console to client, the heavy direction (framebuffer updates): the event
loop hands each block it reads from the console (up to 256 KiB) to a
sender task, which sends it as one binary message with websockets'
``send()``; that waits while the websocket's write buffer is above its
limit, and reading from the console pauses while more than ``BACKLOG``
bytes wait for the sender. Client to console, frames are written to the
socket only as fast as it drains. A session therefore holds a few buffers,
never a backlog. It uses websockets' public API only (``recv``, ``send``).
"""

import asyncio
import contextlib

import websockets

# Bytes read from the console and not sent yet before reading pauses.
BACKLOG = 256 * 1024


class WebSocketStream:
    """Read exact byte counts from a websocket whose frames cut anywhere.

    Used while a protocol handshake runs on top of the websocket; what was
    received beyond the handshake is handed to the relay with
    ``take_buffered``.
    """

    def __init__(self, websocket):
        self._websocket = websocket
        self._buffer = bytearray()

    async def readexactly(self, count):
        """Return the next ``count`` bytes from the client.

        :raises websockets.ConnectionClosed: the client left first.
        """
        while len(self._buffer) < count:
            self._buffer += await self._websocket.recv(decode=False)
        data = bytes(self._buffer[:count])
        del self._buffer[:count]
        return data

    async def send(self, data):
        """Send ``data`` to the client as one binary message."""
        await self._websocket.send(data)

    def take_buffered(self):
        """Return and forget the bytes received but not read yet."""
        data = bytes(self._buffer)
        self._buffer.clear()
        return data


class _NoMeter:
    """Counts nothing (tokens without a session)."""

    def to_client(self, count):
        pass

    def from_client(self, count):
        pass


async def _client_to_console(websocket, console, pending, meter):
    if pending:
        console.write(pending)
        meter.from_client(len(pending))
    while True:
        # Text frames are relayed as their UTF-8 bytes: serial terminals
        # send keystrokes as text.
        data = await websocket.recv(decode=False)
        console.write(data)
        meter.from_client(len(data))
        await console.drain()


class _ConsoleToClient:
    """Gathers the console's blocks; ``run`` sends them to the client."""

    def __init__(self, console):
        self._console = console
        self._blocks = []
        self._size = 0
        self._eof = False
        self._ready = asyncio.Event()

    def feed(self, data):
        self._blocks.append(data)
        self._size += len(data)
        if self._size > BACKLOG:
            self._console.pause_reading()
        self._ready.set()

    def eof(self):
        self._eof = True
        self._ready.set()

    async def run(self, websocket, meter):
        """Send until the console ends and all it said is sent.

        :raises websockets.ConnectionClosed: the client left first.
        """
        while self._blocks or not self._eof:
            if not self._blocks:
                self._ready.clear()
                await self._ready.wait()
                continue
            blocks, self._blocks, self._size = self._blocks, [], 0
            self._console.resume_reading()
            for block in blocks:
                await websocket.send(block)
                meter.to_client(len(block))


async def relay(websocket, console, pending=b'', meter=None):
    """Relay until either side closes; return which side ended it.

    :param console: the console's ``console_socket.ConsoleSocket``, its
        handshake done.
    :param pending: bytes from the client to write to the console first.
    :param meter: gets ``to_client(n)`` and ``from_client(n)`` for the
        bytes relayed each way (websocket pings never reach it).
    :returns: ``'client'`` or ``'console'``.
    """
    meter = meter or _NoMeter()
    downstream = _ConsoleToClient(console)
    console.forward_to(downstream.feed, downstream.eof)
    sender = asyncio.create_task(downstream.run(websocket, meter))
    upstream = asyncio.create_task(
        _client_to_console(websocket, console, pending, meter))
    try:
        done, _pending = await asyncio.wait(
            (sender, upstream), return_when=asyncio.FIRST_COMPLETED)
    finally:
        console.pause_reading()
        for task in (sender, upstream):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError,
                                     websockets.ConnectionClosed,
                                     ConnectionError, OSError):
                await task
    if sender in done and sender.exception() is None:
        return 'console'
    if console.closed.done():
        # The client's frame could not be written: the console went away.
        return 'console'
    return 'client'
