"""Byte relay between a websocket client and a console's TCP socket.

Both directions are bounded: reads from the console socket are at most
``CHUNK_SIZE`` and wait while the websocket's write buffer is above its
high-water mark; frames from the client are written to the socket only as
fast as it drains. A session therefore holds a few buffers, never a backlog.
"""

import asyncio
import contextlib

import websockets

CHUNK_SIZE = 64 * 1024


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


async def _client_to_console(websocket, writer, pending):
    if pending:
        writer.write(pending)
    while True:
        # Text frames are relayed as their UTF-8 bytes: serial terminals
        # send keystrokes as text.
        writer.write(await websocket.recv(decode=False))
        await writer.drain()


async def _console_to_client(reader, websocket):
    while True:
        data = await reader.read(CHUNK_SIZE)
        if not data:
            return
        await websocket.send(data)


async def relay(websocket, reader, writer, pending=b''):
    """Relay until either side closes; return which side ended it.

    :param pending: bytes from the client to write to the console first.
    :returns: ``'client'`` or ``'console'``.
    """
    upstream = asyncio.create_task(
        _client_to_console(websocket, writer, pending))
    downstream = asyncio.create_task(_console_to_client(reader, websocket))
    try:
        done, _pending = await asyncio.wait(
            (upstream, downstream), return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (upstream, downstream):
            task.cancel()
        for task in (upstream, downstream):
            with contextlib.suppress(asyncio.CancelledError,
                                     websockets.ConnectionClosed,
                                     ConnectionError, OSError):
                await task
    if downstream in done and not downstream.cancelled():
        error = downstream.exception()
        if error is None or not isinstance(error,
                                           websockets.ConnectionClosed):
            return 'console'
    return 'client'


async def close_writer(writer):
    """Close a console socket, ignoring errors of a connection already gone."""
    writer.close()
    with contextlib.suppress(ConnectionError, OSError):
        await writer.wait_closed()
