"""Reach a console: TCP to the token's host and port, then any tunnel."""

import asyncio

from console_api.proxy import console_socket


class ConsoleUnreachable(Exception):
    """The console cannot be reached; the message is for the log."""


async def open_console(info):
    """Open the console of ``info`` (a ``ConnectInfo``).

    When the token carries an ``internal_access_path``, the host is an
    HTTP proxy in front of the console: an HTTP ``CONNECT`` to that path
    must be answered with status 200 before the console's bytes flow.

    :returns: the connection's ``console_socket.ConsoleSocket``.
    :raises ConsoleUnreachable: connection refused or reset, or the
        tunnel refused. Callers bound the time with a timeout.
    """
    try:
        console = await console_socket.open_connection(info.host,
                                                       info.port)
    except OSError as exc:
        raise ConsoleUnreachable('cannot connect to %s:%s: %s'
                                 % (info.host, info.port, exc))
    if not info.internal_access_path:
        return console
    try:
        console.write(b'CONNECT %s HTTP/1.1\r\n\r\n'
                      % info.internal_access_path.encode('utf-8'))
        head = await console.readuntil(b'\r\n\r\n')
    except (OSError, asyncio.IncompleteReadError,
            asyncio.LimitOverrunError) as exc:
        await close(console)
        raise ConsoleUnreachable('tunnel to %s:%s failed: %s'
                                 % (info.host, info.port, exc))
    status_line = head.split(b'\r\n', 1)[0]
    parts = status_line.split()
    if len(parts) < 2 or parts[1] != b'200':
        await close(console)
        raise ConsoleUnreachable('tunnel to %s:%s refused: %s'
                                 % (info.host, info.port,
                                    status_line[:80].decode('latin-1')))
    return console


async def close(console):
    """Close a console connection and wait until it is gone."""
    console.close()
    await console.wait_closed()
