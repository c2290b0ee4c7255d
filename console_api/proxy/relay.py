"""Byte relay between a websocket client and a console's TCP socket.

Console to client, the heavy direction (framebuffer updates), runs without
a task: each block the event loop reads from the console (up to 256 KiB)
is framed and written to the websocket's transport in the same callback,
and reading from the console pauses while that transport holds more than
its write limit. Client to console, frames are written to the socket only
as fast as it drains. A session therefore holds a few buffers, never a
backlog.
"""

import asyncio
import contextlib
import struct

import websockets
from websockets import protocol as ws_protocol

# FIN and the binary opcode: every console block is one whole message.
_BINARY_FINAL = 0x82


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


async def _client_to_console(websocket, console, pending):
    if pending:
        console.write(pending)
    while True:
        # Text frames are relayed as their UTF-8 bytes: serial terminals
        # send keystrokes as text.
        console.write(await websocket.recv(decode=False))
        await console.drain()


def frame_header(length):
    """Return the header of a final, unmasked binary frame of ``length``."""
    if length < 126:
        return bytes((_BINARY_FINAL, length))
    if length < 65536:
        return struct.pack('!BBH', _BINARY_FINAL, 126, length)
    return struct.pack('!BBQ', _BINARY_FINAL, 127, length)


class _ConsoleToClient:
    """Writes each block of the console to the client as a binary message.

    websockets' ``send()`` costs a coroutine, a lock-free context manager
    and two copies per message; framing here costs one concatenation. The
    frames go to the same transport websockets writes its own frames to,
    whole and in order, so pings and the closing handshake interleave
    between messages only. ``done`` resolves to the side that ended.
    """

    def __init__(self, websocket, console):
        self._websocket = websocket
        self._transport = websocket.transport
        self._console = console
        self._resume_task = None
        self._stopped = False
        self.done = asyncio.get_running_loop().create_future()

    def send(self, data):
        if self._stopped:
            return
        if self._websocket.protocol.state is not ws_protocol.State.OPEN:
            # The client is closing; the relay ends, nothing more is sent.
            self._finish('client')
            return
        transport = self._transport
        transport.write(frame_header(len(data)) + data)
        if (self._resume_task is None and transport.get_write_buffer_size()
                > transport.get_write_buffer_limits()[1]):
            # The transport has just paused websockets' protocol too, so
            # its drain() wakes when the buffer is down to the low mark.
            self._console.pause_reading()
            self._resume_task = asyncio.ensure_future(self._resume())

    async def _resume(self):
        try:
            await self._websocket.drain()
        finally:
            self._resume_task = None
        if not self._stopped:
            self._console.resume_reading()

    def eof(self):
        self._finish('console')

    def _finish(self, side):
        self.stop()
        if not self.done.done():
            self.done.set_result(side)

    def stop(self):
        """Send nothing more and stop reading from the console."""
        if not self._stopped:
            self._stopped = True
            self._console.pause_reading()
        if self._resume_task is not None:
            self._resume_task.cancel()


async def relay(websocket, console, pending=b''):
    """Relay until either side closes; return which side ended it.

    :param console: the console's ``console_socket.ConsoleSocket``, its
        handshake done.
    :param pending: bytes from the client to write to the console first.
    :returns: ``'client'`` or ``'console'``.
    """
    downstream = _ConsoleToClient(websocket, console)
    upstream = asyncio.create_task(
        _client_to_console(websocket, console, pending))
    console.forward_to(downstream.send, downstream.eof)
    try:
        await asyncio.wait((upstream, downstream.done),
                           return_when=asyncio.FIRST_COMPLETED)
    finally:
        downstream.stop()
        upstream.cancel()
        with contextlib.suppress(asyncio.CancelledError,
                                 websockets.ConnectionClosed,
                                 ConnectionError, OSError):
            await upstream
    if downstream.done.done() and downstream.done.result() == 'console':
        return 'console'
    if console.closed.done():
        # The client's frame could not be written: the console went away.
        return 'console'
    return 'client'
