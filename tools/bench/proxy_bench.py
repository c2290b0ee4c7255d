#!/usr/bin/env python3
"""Benchmark the console proxy's relay against direct TCP and websockify.

Not a test: it prints figures. In one run it measures

* relay throughput, console to client and client to console, through
  console-api's proxy, through websockify (if installed) and over direct
  loopback TCP, with the proxies' figures also as a ratio to direct TCP;
  and, since wall-clock rates on a busy machine are noisy, the bytes each
  proxy relays per CPU second it spends (its own process tree's time);
* the floor of the console to client direction: a minimal blocking relay
  (one thread per session, ``recv_into`` a fixed buffer, one ``sendall``
  of the frame header and the block) that does only what any websocket
  relay must do, the two kernel copies and a frame header per block;
* memory per idle session: each proxy's resident memory with N idle
  sessions open, minus its memory before, divided by N (for websockify,
  which forks a process per session, the sum over its process tree, as
  RSS and as PSS, which counts shared pages once).

The proxies run as child processes so their memory is theirs alone; the
console-api proxy uses a validator that accepts one fixed token, so no
database is involved. Usage::

    python tools/bench/proxy_bench.py [--size-mib 256] [--sessions 1000]
        [--json-out FILE]

``bench_console.py --proxy`` runs it and adds its figures to its own.
"""

import argparse
import asyncio
import base64
import json
import os
import resource
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
import urllib.parse

import psutil
import websockets
from websockets.asyncio import client as ws_client

TOKEN = '00000000-0000-4000-8000-000000000000'
CHUNK = 64 * 1024
# Every printed figure, by name, for --json-out (bench_console.py --proxy).
FIGURES = {}


def _raise_fd_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


# The console side: one TCP server, the first byte of a connection says
# what it wants ('D' download N bytes, 'U' upload N bytes, 'I' idle).

async def _console(reader, writer, size):
    try:
        mode = await reader.readexactly(1)
        if mode == b'D':
            block = b'\x5a' * CHUNK
            sent = 0
            while sent < size:
                writer.write(block)
                sent += len(block)
                await writer.drain()
        elif mode == b'U':
            received = 0
            while received < size:
                data = await reader.read(CHUNK * 4)
                if not data:
                    return
                received += len(data)
            writer.write(b'!')
            await writer.drain()
        else:
            await reader.read()
    except (OSError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


# Clients, the same code over TCP and over a websocket.

async def _tcp_transfer(port, mode, size):
    reader, writer = await asyncio.open_connection('127.0.0.1', port,
                                                   limit=4 * CHUNK)
    start = time.perf_counter()
    writer.write(mode)
    if mode == b'D':
        received = 0
        while received < size:
            data = await reader.read(4 * CHUNK)
            if not data:
                break
            received += len(data)
    else:
        block = b'\xa5' * CHUNK
        for _ in range(size // CHUNK):
            writer.write(block)
            await writer.drain()
        await reader.readexactly(1)
    elapsed = time.perf_counter() - start
    writer.close()
    return size / elapsed


def _masked_frame(payload):
    """Return a masked binary frame; a fixed mask keeps the client cheap."""
    mask = b'\x12\x34\x56\x78'
    header = bytes([0x82, 0x80 | 127])
    header += struct.pack('!Q', len(payload)) + mask
    if len(payload) < 126:
        header = bytes([0x82, 0x80 | len(payload)]) + mask
    elif len(payload) < 65536:
        header = bytes([0x82, 0x80 | 126]) + struct.pack('!H', len(payload))
        header += mask
    masked = (int.from_bytes(payload, 'big') ^ int.from_bytes(
        (mask * (len(payload) // 4 + 1))[:len(payload)], 'big'))
    return header + masked.to_bytes(len(payload), 'big')


async def _ws_open(url):
    """Open a websocket by hand; return (reader, writer, early bytes)."""
    parts = urllib.parse.urlsplit(url)
    reader, writer = await asyncio.open_connection(
        parts.hostname, parts.port, limit=4 * CHUNK)
    target = parts.path + ('?' + parts.query if parts.query else '')
    writer.write(('GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\n'
                  'Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n'
                  'Sec-WebSocket-Version: 13\r\n'
                  'Sec-WebSocket-Protocol: binary\r\n\r\n'
                  % (target, parts.netloc,
                     base64.b64encode(os.urandom(16)).decode())).encode())
    head = await reader.readuntil(b'\r\n\r\n')
    if not head.startswith(b'HTTP/1.1 101'):
        raise RuntimeError('upgrade refused: %r' % head[:40])
    return reader, writer


async def _ws_transfer(url, mode, size):
    """Move ``size`` bytes through a proxy with a client that does not
    parse frames: it counts bytes (frame headers are a few bytes per 64
    KiB) and sends one pre-masked frame over and over, so the figure is
    the proxy's, not the client's.
    """
    reader, writer = await _ws_open(url)
    start = time.perf_counter()
    writer.write(_masked_frame(mode))
    if mode == b'D':
        received = 0
        while received < size:
            data = await reader.read(4 * CHUNK)
            if not data:
                break
            received += len(data)
    else:
        frame = _masked_frame(b'\xa5' * CHUNK)
        for _ in range(-(-size // CHUNK)):
            writer.write(frame)
            await writer.drain()
        # The console's acknowledgement, not a keepalive ping.
        seen = b''
        while b'!' not in seen:
            data = await reader.read(16)
            if not data:
                raise RuntimeError('connection closed before the ack')
            seen += data
    elapsed = time.perf_counter() - start
    writer.close()
    return size / elapsed


async def _idle_sessions(url, count):
    """Open up to ``count`` idle sessions; stop at the first failure."""
    sessions = []
    try:
        for _ in range(count):
            ws = await ws_client.connect(url, subprotocols=['binary'],
                                         compression=None, open_timeout=60)
            sessions.append(ws)
            await ws.send(b'I')
    except (OSError, TimeoutError, websockets.WebSocketException) as exc:
        print('  session %d failed: %s' % (len(sessions), exc))
    return sessions


def _memory(pid):
    """Return (rss, pss) in bytes summed over ``pid`` and its children."""
    rss = pss = 0
    parent = psutil.Process(pid)
    for proc in [parent] + parent.children(recursive=True):
        try:
            info = proc.memory_full_info()
        except psutil.Error:
            continue
        rss += info.rss
        pss += getattr(info, 'pss', info.rss)
    return rss, pss


def _cpu_seconds(pid):
    """Return the CPU time of ``pid``, including its reaped children."""
    times = psutil.Process(pid).cpu_times()
    return (times.user + times.system + times.children_user
            + times.children_system)


def _wait_port(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(('127.0.0.1', port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError('nothing listens on port %s' % port)


def _start_console_api_proxy(port, console_port):
    return subprocess.Popen(
        [sys.executable, os.path.abspath(__file__), '--serve-proxy',
         str(port), str(console_port)])


def _start_websockify(port, console_port):
    return subprocess.Popen(
        [sys.executable, '-m', 'websockify', '--log-file', os.devnull,
         '127.0.0.1:%d' % port, '127.0.0.1:%d' % console_port],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _start_floor_relay(port, console_port):
    return subprocess.Popen(
        [sys.executable, os.path.abspath(__file__), '--serve-floor',
         str(port), str(console_port)])


async def _measure_proxy(name, start, url, console_port, args, direct,
                         floor_only=False):
    port = _free_port()
    process = start(port, console_port)
    try:
        _wait_port(port)
        full_url = url % port
        results = {}
        modes = (('console->client', b'D'), ('client->console', b'U'))
        if floor_only:
            modes = modes[:1]
        for label, mode in modes:
            cpu_before = _cpu_seconds(process.pid)
            rate = await _ws_transfer(full_url, mode, args.size)
            # Let a forking proxy reap the session's process.
            await asyncio.sleep(1)
            cpu = _cpu_seconds(process.pid) - cpu_before
            efficiency = args.size / 2**20 / cpu
            results[label] = efficiency
            FIGURES['%s %s MiB/s' % (name, label)] = round(rate / 2**20, 1)
            FIGURES['%s %s / direct TCP' % (name, label)] = round(
                rate / direct[label], 3)
            FIGURES['%s %s MiB per CPU s' % (name, label)] = round(
                efficiency, 1)
            print('%-12s %-16s %8.1f MiB/s  (%.2fx direct TCP), '
                  '%.0f MiB per CPU second'
                  % (name, label, rate / 2**20, rate / direct[label],
                     efficiency))
        if floor_only:
            return results
        await asyncio.sleep(0.5)
        before = _memory(process.pid)
        sessions = await _idle_sessions(full_url, args.sessions)
        await asyncio.sleep(2)
        after = _memory(process.pid)
        count = max(len(sessions), 1)
        FIGURES['%s idle sessions open' % name] = len(sessions)
        FIGURES['%s KiB RSS per idle session' % name] = round(
            (after[0] - before[0]) / count / 1024, 1)
        FIGURES['%s KiB PSS per idle session' % name] = round(
            (after[1] - before[1]) / count / 1024, 1)
        print('%-12s %d idle sessions: RSS %.1f MiB (+%.1f KiB/session), '
              'PSS %.1f MiB (+%.1f KiB/session)'
              % (name, len(sessions), after[0] / 2**20,
                 (after[0] - before[0]) / count / 1024, after[1] / 2**20,
                 (after[1] - before[1]) / count / 1024))
        await asyncio.gather(*(ws.close() for ws in sessions),
                             return_exceptions=True)
        # Let the console side see the sessions end before the loop stops.
        await asyncio.sleep(1)
        return results
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def _bench(args):
    console_port = _free_port()
    console = await asyncio.start_server(
        lambda r, w: _console(r, w, args.size), '127.0.0.1', console_port,
        limit=4 * CHUNK, backlog=4096)
    direct = {}
    for label, mode in (('console->client', b'D'),
                        ('client->console', b'U')):
        direct[label] = await _tcp_transfer(console_port, mode, args.size)
        FIGURES['direct TCP %s MiB/s' % label] = round(
            direct[label] / 2**20, 1)
        print('%-12s %-16s %8.1f MiB/s' % ('direct TCP', label,
                                           direct[label] / 2**20))
    ours = await _measure_proxy(
        'console-api', _start_console_api_proxy,
        'ws://127.0.0.1:%%d/?token=%s' % TOKEN, console_port, args, direct)
    floor = await _measure_proxy(
        'floor relay', _start_floor_relay, 'ws://127.0.0.1:%d/',
        console_port, args, direct, floor_only=True)
    for label in floor:
        FIGURES['console-api / floor relay %s, work per CPU s' % label] = \
            round(ours[label] / floor[label], 3)
        print('console-api / floor relay %-16s %.2fx the relay work per '
              'CPU second' % (label, ours[label] / floor[label]))
    if args.skip_websockify:
        pass
    elif shutil.which('websockify') or _has_module('websockify'):
        theirs = await _measure_proxy(
            'websockify', _start_websockify, 'ws://127.0.0.1:%d/',
            console_port, args, direct)
        for label in ours:
            FIGURES['console-api / websockify %s, work per CPU s'
                    % label] = round(ours[label] / theirs[label], 3)
            print('console-api / websockify %-16s %.2fx the relay work per '
                  'CPU second' % (label, ours[label] / theirs[label]))
        # Throughput ratio to websockify, from the same transfers.
        for label in ours:
            mine = FIGURES.get('console-api %s MiB/s' % label)
            other = FIGURES.get('websockify %s MiB/s' % label)
            if mine and other:
                FIGURES['console-api / websockify %s, MiB/s' % label] = \
                    round(mine / other, 3)
    else:
        FIGURES['websockify'] = 'not installed: no anchor figures'
        print('websockify is not installed: no anchor figures')
    console.close()


def _has_module(name):
    import importlib.util
    return importlib.util.find_spec(name) is not None


def _serve_proxy(port, console_port):
    """Child process: console-api's proxy with a one-token validator."""
    from console_api import conf
    from console_api.proxy import server
    from console_api.proxy import validator

    class OneToken:
        async def validate(self, token):
            if token != TOKEN:
                raise validator.TokenRejected('unknown token')
            return validator.ConnectInfo(
                console_type='serial', host='127.0.0.1', port=console_port,
                instance_uuid='bench', expires=int(time.time()) + 3600,
                token_hash='0' * 64, access_url_base='ws://127.0.0.1/')

    _raise_fd_limit()
    conf.CONF([], project='console_api', default_config_files=[])
    conf.CONF.set_override('cert', '/nonexistent')
    spec = server.ListenerSpec('serial', '127.0.0.1', port, ('serial',))
    server.ProxyService(conf.CONF, OneToken(), [spec]).run()


def _serve_floor(port, console_port):
    """Child process: the least work a websocket relay can do, per block.

    Console to client only: after the upgrade it reads the client's first
    (small, masked) frame and passes its payload on, then relays the
    console's bytes as binary frames until either side closes.
    """
    import hashlib
    import threading

    def session(client):
        with client, socket.create_connection(('127.0.0.1',
                                               console_port)) as console:
            head = b''
            while b'\r\n\r\n' not in head:
                data = client.recv(4096)
                if not data:
                    return  # a port probe, not a client
                head += data
            key = [line.split(b':', 1)[1].strip()
                   for line in head.split(b'\r\n')
                   if line.lower().startswith(b'sec-websocket-key:')][0]
            accept = base64.b64encode(hashlib.sha1(
                key + b'258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest())
            client.sendall(b'HTTP/1.1 101 Switching Protocols\r\n'
                           b'Upgrade: websocket\r\nConnection: Upgrade\r\n'
                           b'Sec-WebSocket-Accept: ' + accept
                           + b'\r\nSec-WebSocket-Protocol: binary\r\n\r\n')
            frame = client.recv(64)
            mask, payload = frame[2:6], frame[6:6 + (frame[1] & 127)]
            console.sendall(bytes(b ^ mask[i % 4]
                                  for i, b in enumerate(payload)))
            buffer = bytearray(256 * 1024)
            view = memoryview(buffer)
            while True:
                count = console.recv_into(buffer)
                if not count:
                    return
                if count < 65536:
                    header = struct.pack('!BBH', 0x82, 126, count)
                else:
                    header = struct.pack('!BBQ', 0x82, 127, count)
                client.sendmsg([header, view[:count]])

    def serve_one(client):
        try:
            session(client)
        except OSError:
            pass

    listener = socket.create_server(('127.0.0.1', port))
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    while True:
        client, _address = listener.accept()
        threading.Thread(target=serve_one, args=(client,),
                         daemon=True).start()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--size-mib', type=int, default=256,
                        help='bytes moved per throughput run, in MiB')
    parser.add_argument('--sessions', type=int, default=1000,
                        help='idle sessions for the memory figure')
    parser.add_argument('--skip-websockify', action='store_true')
    parser.add_argument('--json-out', default=None,
                        help='also write every figure to this JSON file')
    parser.add_argument('--serve-floor', nargs=2, type=int,
                        metavar=('PORT', 'CONSOLE_PORT'),
                        help=argparse.SUPPRESS)
    parser.add_argument('--serve-proxy', nargs=2, type=int,
                        metavar=('PORT', 'CONSOLE_PORT'),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_floor:
        _serve_floor(*args.serve_floor)
        return
    if args.serve_proxy:
        _serve_proxy(*args.serve_proxy)
        return
    _raise_fd_limit()
    args.size = args.size_mib * 2**20
    print('websockets %s, Python %s, %d CPUs'
          % (websockets.__version__, sys.version.split()[0], os.cpu_count()))
    asyncio.run(_bench(args))
    if args.json_out:
        with open(args.json_out, 'w') as out:
            json.dump({'size_mib': args.size_mib, 'sessions': args.sessions,
                       'websockets': websockets.__version__,
                       'figures': FIGURES}, out, indent=1, sort_keys=True)


if __name__ == '__main__':
    main()
