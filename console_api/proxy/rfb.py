"""RFB (VNC) security proxy: authenticate to the guest, offer the client None.

The proxy speaks RFB 3.8 to both sides. Towards the compute host's VNC
server it picks the first security type from ``[vnc] auth_schemes`` that the
server offers; towards the client, whose right to the console the token has
already proven, it offers exactly security type None. After the security
type is chosen both sides are relayed unchanged, so the server's
SecurityResult and everything after it reach the client as sent.
"""

import re
import struct

VERSION_3_8 = b'RFB 003.008\n'
SECURITY_NONE = 1
SCHEME_TYPES = {'none': SECURITY_NONE}

# A server's failure reason is forwarded to the client; longer reasons are
# cut, and longer announcements are not read at all.
MAX_REASON = 256
MAX_REASON_READ = 64 * 1024

_VERSION_RE = re.compile(rb'^RFB (\d{3})\.(\d{3})\n$')


class SecurityProxyError(Exception):
    """The RFB negotiation failed; the message is for the log."""


def parse_version(data):
    """Return ``(major, minor)`` of a 12-byte ProtocolVersion message.

    :raises SecurityProxyError: not a ProtocolVersion message.
    """
    match = _VERSION_RE.match(data)
    if not match:
        raise SecurityProxyError('not an RFB version message: %r' % data[:12])
    return int(match.group(1)), int(match.group(2))


def _failure(reason):
    """Return a SecurityResult "failed" message with ``reason`` (RFB 3.8)."""
    text = reason.encode('utf-8')[:MAX_REASON]
    return struct.pack('!II', 1, len(text)) + text


async def negotiate(client, server, auth_schemes):
    """Run the RFB handshake up to the security type on both sides.

    :param client: the console client's side; ``readexactly(n)`` and
        ``send(data)`` coroutines.
    :param server: the VNC server's side; ``readexactly(n)`` and
        ``drain()`` coroutines and ``write(data)`` (a
        ``console_socket.ConsoleSocket``).
    :param auth_schemes: scheme names (``[vnc] auth_schemes``) in order of
        preference.
    :raises SecurityProxyError: a side does not speak RFB 3.8, the server
        refused or offers no acceptable type, or the client chose another
        type than None. The client has been told why where RFB allows it.
    """
    server_version = await server.readexactly(12)
    if parse_version(server_version) != (3, 8):
        raise SecurityProxyError('VNC server speaks RFB %d.%d, not 3.8'
                                 % parse_version(server_version))
    await client.send(VERSION_3_8)
    client_version = await client.readexactly(12)
    if parse_version(client_version) != (3, 8):
        raise SecurityProxyError('client speaks RFB %d.%d, not 3.8'
                                 % parse_version(client_version))
    server.write(VERSION_3_8)

    (count,) = await server.readexactly(1)
    if count == 0:
        (length,) = struct.unpack('!I', await server.readexactly(4))
        if length > MAX_REASON_READ:
            raise SecurityProxyError('VNC server refused the connection')
        reason = (await server.readexactly(length))[:MAX_REASON]
        await client.send(b'\0' + struct.pack('!I', len(reason)) + reason)
        raise SecurityProxyError('VNC server refused the connection: %s'
                                 % reason.decode('utf-8', 'replace'))
    offered = await server.readexactly(count)

    await client.send(bytes([1, SECURITY_NONE]))
    (chosen_by_client,) = await client.readexactly(1)
    if chosen_by_client != SECURITY_NONE:
        await client.send(_failure('Only security type None is offered'))
        raise SecurityProxyError('client chose security type %d, not None'
                                 % chosen_by_client)

    for scheme in auth_schemes:
        security_type = SCHEME_TYPES.get(scheme)
        if security_type is not None and security_type in offered:
            break
    else:
        await client.send(_failure('Unable to negotiate security with the '
                                   'VNC server'))
        raise SecurityProxyError(
            'VNC server offers security types %s, none of %s'
            % (sorted(offered), list(auth_schemes)))
    server.write(bytes([security_type]))
    await server.drain()
