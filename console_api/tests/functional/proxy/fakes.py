"""Test doubles for the console proxy: validator, consoles, raw client."""

import base64
import os
import socket
import socketserver
import struct
import threading
import time

from console_api.console import auth
from console_api.proxy import validator

GOOD = '11111111-2222-4333-8444-555555555555'
OP_CLOSE = 8


class FakeValidator:
    """Knows a fixed set of tokens, each leading to a ``ConnectInfo``."""

    def __init__(self):
        self.tokens = {}
        self.seen = []
        self.unavailable = False

    def add(self, token, console_type, port, host='127.0.0.1', expires=None,
            access_url_base='http://127.0.0.1:6080/vnc_lite.html',
            internal_access_path=None):
        self.tokens[token] = auth.ConnectInfo(
            console_type=console_type, host=host, port=port,
            instance_uuid='0b9a0b5e-0000-4000-8000-000000000001',
            expires=int(time.time() + 600) if expires is None else expires,
            token_hash='f' * 64, internal_access_path=internal_access_path,
            access_url_base=access_url_base)

    async def validate(self, token):
        self.seen.append(token)
        if self.unavailable:
            raise validator.ValidatorUnavailable('database error DBError')
        if token not in self.tokens:
            raise auth.TokenRejected('unknown token')
        return self.tokens[token]


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def start_tcp_server(handler_func):
    """Serve ``handler_func(sock)`` on a free loopback port; return server."""

    class Handler(socketserver.BaseRequestHandler):
        def handle(self):
            try:
                handler_func(self.request)
            except (OSError, EOFError):
                pass  # the proxy hung up, which some tests expect

    server = _Server(('127.0.0.1', 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def echo(sock):
    """Send back everything received until the peer closes."""
    while True:
        data = sock.recv(65536)
        if not data:
            return
        sock.sendall(data)


def recv_exactly(sock, count):
    data = b''
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise EOFError('closed after %d of %d bytes' % (len(data), count))
        data += chunk
    return data


def rfb_server(version=b'RFB 003.008\n', types=(1,), name=b'fake-guest'):
    """Return a handler playing an RFB server, then echoing."""

    def handler(sock):
        sock.sendall(version)
        recv_exactly(sock, 12)
        sock.sendall(bytes([len(types)]) + bytes(types))
        if not types:
            return
        recv_exactly(sock, 1)
        sock.sendall(struct.pack('!I', 0))
        recv_exactly(sock, 1)  # ClientInit
        sock.sendall(struct.pack('!HH16sI', 640, 480, b'\0' * 16, len(name))
                     + name)
        echo(sock)

    return handler


def refusing_rfb_server(reason=b'too many clients'):
    def handler(sock):
        sock.sendall(b'RFB 003.008\n')
        recv_exactly(sock, 12)
        sock.sendall(b'\0' + struct.pack('!I', len(reason)) + reason)
    return handler


class RawWebSocket:
    """A websocket client made the way tempest's ``_WebSocket`` is.

    It sends the upgrade request by hand (``Cookie`` carrying the whole
    console URL query), keeps whatever follows the response head, and
    reads frames without any library, so it sees exactly the bytes the
    proxy sends.
    """

    def __init__(self, host, port, request_target, cookie='', origin=None,
                 extra_headers=()):
        self.sock = socket.create_connection((host, port), timeout=10)
        lines = ['GET %s HTTP/1.1' % request_target,
                 'Host: %s:%s' % (host, port),
                 'Upgrade: websocket', 'Connection: Upgrade',
                 'Cookie: %s' % cookie,
                 'Sec-WebSocket-Key: %s'
                 % base64.b64encode(os.urandom(16)).decode(),
                 'Sec-WebSocket-Version: 13',
                 'Sec-WebSocket-Protocol: binary']
        if origin:
            lines.append('Origin: %s' % origin)
        lines.extend('%s: %s' % header for header in extra_headers)
        self.sock.sendall(('\r\n'.join(lines) + '\r\n\r\n').encode())
        response = b''
        while b'\r\n\r\n' not in response:
            data = self.sock.recv(4096)
            if not data:
                break
            response += data
        self.response, _sep, self.cached = response.partition(b'\r\n\r\n')
        self.last_opcode = None

    def _recv(self, count):
        data, self.cached = self.cached[:count], self.cached[count:]
        while len(data) < count:
            chunk = self.sock.recv(count - len(data))
            if not chunk:
                break
            data += chunk
        return data

    def receive_frame(self):
        """Return the payload of the next non-empty frame, or ``None``.

        ``last_opcode`` is the frame's opcode, ``OP_CLOSE`` also when the
        connection closed without a close frame.
        """
        while True:
            header = self._recv(2)
            if len(header) < 2:
                self.last_opcode = OP_CLOSE
                return None
            self.last_opcode = header[0] & 0x0f
            length = header[1] & 127
            if length == 126:
                length = struct.unpack('!H', self._recv(2))[0]
            elif length == 127:
                length = struct.unpack('!Q', self._recv(8))[0]
            if length:
                return self._recv(length)

    def send_frame(self, data):
        mask = os.urandom(4)
        header = bytes([0x82])
        if len(data) < 126:
            header += bytes([0x80 | len(data)])
        else:
            header += bytes([0x80 | 126]) + struct.pack('!H', len(data))
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
        self.sock.sendall(header + mask + masked)

    def close(self):
        self.sock.close()
