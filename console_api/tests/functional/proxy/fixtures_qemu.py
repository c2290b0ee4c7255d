"""A disk-less QEMU guest with a VNC server and a TCP serial port."""

import os
import shutil
import socket
import struct
import subprocess
import time

import fixtures

QEMU = '/usr/bin/qemu-system-x86_64'


def qemu_binary():
    """Return the QEMU binary to use, or ``None`` when there is none."""
    if os.access(QEMU, os.X_OK):
        return QEMU
    return shutil.which('qemu-system-x86_64')


def free_port():
    """Return a loopback TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def _wait_listening(port, process, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError('QEMU exited with status %s'
                               % process.returncode)
        try:
            socket.create_connection(('127.0.0.1', port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError('QEMU did not listen on port %s' % port)


class QemuGuest(fixtures.Fixture):
    """Run QEMU with VNC on ``vnc_port`` and the QEMU monitor on a serial
    port at ``serial_port`` (``mon:`` multiplexes it: Ctrl-a c switches
    to the monitor, whose answers come back over the same port).
    """

    def __init__(self, name='proxy-test-guest'):
        super().__init__()
        self.name = name

    def _setUp(self):
        binary = qemu_binary()
        if binary is None:
            raise RuntimeError('qemu-system-x86_64 is not installed')
        # VNC displays are ports 5900+N; find a free one in that range.
        for _attempt in range(20):
            self.vnc_port = free_port()
            if self.vnc_port > 5900:
                break
        self.serial_port = free_port()
        self.process = subprocess.Popen(
            [binary, '-display', 'none', '-nodefaults', '-m', '64',
             '-machine', 'accel=tcg', '-name', self.name,
             '-vnc', '127.0.0.1:%d' % (self.vnc_port - 5900),
             '-serial', 'mon:tcp:127.0.0.1:%d,server=on,wait=off'
             % self.serial_port],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE)
        self.addCleanup(self._kill)
        _wait_listening(self.vnc_port, self.process)
        _wait_listening(self.serial_port, self.process)

    def _kill(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.process.stderr.close()


def assert_rfb_handshake(testcase, client, desktop_name):
    """Tempest's NoVNCValidateMixin steps on an upgraded connection.

    101 upgrade, RFB 3.8 version echoed, security type None offered and
    chosen, SecurityResult 0, ClientInit, then a ServerInit whose name
    length agrees with its size and which names ``desktop_name``.
    """
    testcase.assertTrue(client.response.startswith(
        b'HTTP/1.1 101 Switching Protocols'), client.response)
    testcase.assertIn(b'upgrade: websocket', client.response.lower())
    version = client.receive_frame()
    testcase.assertEqual(b'RFB 003.008\n', version)
    client.send_frame(version)
    types = client.receive_frame()
    testcase.assertIn(1, types[1:1 + types[0]])
    client.send_frame(b'\x01')
    testcase.assertEqual(b'\0\0\0\0', client.receive_frame())
    client.send_frame(b'\x01')  # ClientInit: shared
    init = client.receive_frame()
    testcase.assertGreater(len(init), 24)
    (name_length,) = struct.unpack('!I', init[20:24])
    testcase.assertEqual(len(init), 24 + name_length)
    testcase.assertIn(desktop_name, init[24:])


def assert_closed_without_data(testcase, client):
    """The proxy refused before the upgrade and sent no console byte."""
    testcase.assertTrue(client.response.startswith(b'HTTP/1.1 403'),
                        client.response)
    testcase.assertIsNone(client.receive_frame())
