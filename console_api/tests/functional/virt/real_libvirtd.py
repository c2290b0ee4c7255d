"""A real libvirtd (qemu:///system) for tests: start it, restart it, guests.

Tests use ``libvirtd_unavailable()`` to decide whether they can run: when
libvirtd does not answer and this process is root, ``tools/ci/libvirtd.sh``
starts virtlogd and libvirtd (machines without systemd). ``Guest`` defines
and starts a disk-less 64 MB TCG guest with autoport VNC and SPICE, a TCP
serial port on an explicit loopback port, and Nova's ownership metadata.
"""

import os
import signal
import socket
import subprocess
import time
import uuid
from xml.sax import saxutils

import fixtures

try:
    import libvirt
except ImportError:
    libvirt = None

URI = 'qemu:///system'
NAME_PREFIX = 'console-api-test-'
REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..',
                                         '..', '..', '..'))
START_SCRIPT = os.path.join(REPO_ROOT, 'tools', 'ci', 'libvirtd.sh')
PID_FILES = ('/run/libvirtd.pid', '/var/run/libvirtd.pid')
REQUIRE_ENV = 'CONSOLE_API_TEST_REQUIRE_SERVICES'
QEMU = '/usr/bin/qemu-system-x86_64'

DOMAIN_XML = """<domain type='qemu'>
  <name>{name}</name>
  <uuid>{uuid}</uuid>
  <metadata>
    <nova:instance xmlns:nova="http://openstack.org/xmlns/libvirt/nova/1.1">
      <nova:name>{name}</nova:name>
      <nova:owner>
        <nova:user uuid="{user_id}">test-user</nova:user>
        <nova:project uuid="{project_id}">test-project</nova:project>
      </nova:owner>
    </nova:instance>
  </metadata>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <on_poweroff>destroy</on_poweroff>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>{emulator}</emulator>
    <serial type='tcp'>
      <source mode='bind' host='127.0.0.1' service='{serial_port}'/>
      <protocol type='raw'/>
    </serial>
    <graphics type='vnc' autoport='yes' listen='127.0.0.1'/>
    <graphics type='spice' autoport='yes' listen='127.0.0.1'/>
    <video><model type='cirrus'/></video>
  </devices>
</domain>
"""


def services_required():
    """Whether a missing service fails the test instead of skipping it."""
    return os.environ.get(REQUIRE_ENV) == '1'


def _answers():
    """Return ``None`` when libvirtd answers on ``URI``, else why not."""
    try:
        conn = libvirt.open(URI)
    except libvirt.libvirtError as exc:
        return str(exc)
    try:
        conn.getVersion()
    finally:
        conn.close()
    return None


def libvirtd_unavailable():
    """Return ``None`` when tests can use libvirtd, else the reason.

    Starts virtlogd and libvirtd with ``tools/ci/libvirtd.sh`` when they
    do not answer and this process may start them (root).
    """
    if libvirt is None:
        return 'libvirt-python cannot be imported'
    if not os.access(QEMU, os.X_OK):
        return '%s is missing (Debian package qemu-system-x86)' % QEMU
    libvirt.registerErrorHandler(lambda _ctx, _err: None, None)
    error = _answers()
    if error is None:
        return None
    if os.geteuid() != 0:
        return ('libvirtd does not answer on %s (%s) and only root may '
                'start it' % (URI, error))
    result = subprocess.run(['bash', START_SCRIPT], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            universal_newlines=True)
    if result.returncode != 0:
        return '%s failed: %s' % (START_SCRIPT, result.stdout.strip())
    return _answers()


def _libvirtd_pid():
    for path in PID_FILES:
        try:
            with open(path) as pid_file:
                return int(pid_file.read().strip())
        except (OSError, ValueError):
            continue
    raise RuntimeError('no libvirtd pid file in %s' % ', '.join(PID_FILES))


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def stop_libvirtd(timeout=30):
    """Stop libvirtd (its guests keep running) and wait until it is gone."""
    pid = _libvirtd_pid()
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _alive(pid):
        if time.monotonic() > deadline:
            raise RuntimeError('libvirtd (pid %d) did not stop in %ds'
                               % (pid, timeout))
        time.sleep(0.1)


def start_libvirtd():
    """Start libvirtd again and wait until it answers."""
    subprocess.run(['bash', START_SCRIPT], stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, check=True)


def free_port():
    """Return a loopback TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def read_banner(port, size=12, timeout=10):
    """Connect to ``127.0.0.1:port`` and return the first bytes it sends."""
    with socket.create_connection(('127.0.0.1', port),
                                  timeout=timeout) as sock:
        data = b''
        while len(data) < size:
            chunk = sock.recv(size - len(data))
            if not chunk:
                break
            data += chunk
        return data


def can_connect(port, timeout=10):
    """Whether something accepts TCP connections on ``127.0.0.1:port``."""
    try:
        socket.create_connection(('127.0.0.1', port), timeout=timeout).close()
    except OSError:
        return False
    return True


class Guest(fixtures.Fixture):
    """A test domain on ``URI``: defined on setUp, gone on cleanUp.

    ``uuid``, ``name``, ``project_id``, ``user_id`` and ``serial_port``
    describe it; ``domain`` is its ``virDomain`` on a read-write
    connection, for starting, stopping and undefining it.
    """

    def __init__(self, project_id, user_id='test-user-id', start=True):
        super().__init__()
        self.project_id = project_id
        self.user_id = user_id
        self.start = start

    def _setUp(self):
        self.uuid = str(uuid.uuid4())
        self.name = NAME_PREFIX + self.uuid[:8]
        self.serial_port = free_port()
        self.conn = libvirt.open(URI)
        self.addCleanup(self._close)
        self.addCleanup(self.remove)
        values = {'name': self.name, 'uuid': self.uuid,
                  'project_id': self.project_id, 'user_id': self.user_id,
                  'serial_port': self.serial_port, 'emulator': QEMU}
        self.domain = self.conn.defineXML(DOMAIN_XML.format(
            **{key: saxutils.escape(str(value))
               for key, value in values.items()}))
        if self.start:
            self.domain.create()

    def _close(self):
        try:
            self.conn.close()
        except libvirt.libvirtError:
            pass

    def _reconnect(self):
        """A fresh connection and domain handle (after a libvirtd restart)."""
        self._close()
        self.conn = libvirt.open(URI)
        self.domain = self.conn.lookupByUUIDString(self.uuid)

    def live_xml(self):
        return self.domain.XMLDesc(0)

    def stop(self):
        self.domain.destroy()

    def remove(self):
        """Destroy and undefine the domain; nothing when already gone."""
        try:
            self._reconnect()
        except libvirt.libvirtError:
            return
        if self.domain.isActive():
            self.domain.destroy()
        self.domain.undefine()
