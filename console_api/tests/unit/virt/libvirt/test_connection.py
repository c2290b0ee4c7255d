"""Unit tests of the shared libvirt connection and its reconnect rules."""

import sys
from unittest import mock

import fixtures
import testtools

from console_api import exception
from console_api.virt.libvirt import connection

try:
    import libvirt
except ImportError:
    libvirt = None

URI = 'qemu:///system'


def error(code, domain=0):
    """A libvirtError carrying the given code and error domain."""
    exc = libvirt.libvirtError('simulated error %d' % code)
    exc.err = (code, domain, 'simulated error %d' % code, 2,
               None, None, None, 0, 0)
    return exc


class FakeConn:
    """Stands in for a virConnect: tracks liveness and closing."""

    def __init__(self, alive=True):
        self.alive = alive
        self.closed = False

    def isAlive(self):
        if self.closed:
            raise error(libvirt.VIR_ERR_INVALID_CONN)
        return 1 if self.alive else 0

    def close(self):
        self.closed = True
        return 0


class TestImport(testtools.TestCase):

    def test_missing_libvirt_python(self):
        with mock.patch.object(connection, '_MODULE', None), \
                mock.patch.dict(sys.modules, {'libvirt': None}):
            error = self.assertRaises(exception.ConfigurationError,
                                      connection.import_libvirt)
        self.assertIn('console-api[libvirt]', error.format_message())


@testtools.skipIf(libvirt is None, 'libvirt-python is not installed')
class TestConnection(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.conns = []
        self.open_errors = []
        self.useFixture(fixtures.MockPatchObject(
            libvirt, 'openReadOnly', side_effect=self._open))
        self.connection = connection.Connection(URI)

    def _open(self, uri):
        self.assertEqual(URI, uri)
        if self.open_errors:
            raise self.open_errors.pop(0)
        self.conns.append(FakeConn())
        return self.conns[-1]

    def test_opens_lazily_once(self):
        self.assertEqual([], self.conns)
        self.connection.open()
        self.connection.open()
        self.assertEqual(1, len(self.conns))
        self.assertIs(self.conns[0], self.connection.call(lambda conn: conn))

    def test_open_failure_names_uri(self):
        self.open_errors.append(error(libvirt.VIR_ERR_SYSTEM_ERROR))
        exc = self.assertRaises(exception.HypervisorUnavailable,
                                self.connection.open)
        self.assertIn(URI, exc.format_message())
        self.assertEqual(503, exc.code)

    def test_broken_codes(self):
        conn = FakeConn()
        broken = self.connection.is_broken
        self.assertTrue(broken(conn, error(libvirt.VIR_ERR_NO_CONNECT)))
        self.assertTrue(broken(conn, error(libvirt.VIR_ERR_INVALID_CONN)))
        for code in (libvirt.VIR_ERR_SYSTEM_ERROR,
                     libvirt.VIR_ERR_INTERNAL_ERROR):
            for domain in (libvirt.VIR_FROM_REMOTE, libvirt.VIR_FROM_RPC):
                self.assertTrue(broken(conn, error(code, domain)))
            # Same codes from elsewhere on a live connection: not broken.
            self.assertFalse(broken(conn, error(code, libvirt.VIR_FROM_QEMU)))

    def test_not_broken_when_alive(self):
        conn = FakeConn()
        self.assertFalse(self.connection.is_broken(
            conn, error(libvirt.VIR_ERR_NO_DOMAIN)))
        self.assertFalse(self.connection.is_broken(
            conn, error(libvirt.VIR_ERR_OPERATION_INVALID)))

    def test_dead_connection_is_broken_whatever_the_code(self):
        self.assertTrue(self.connection.is_broken(
            FakeConn(alive=False),
            error(libvirt.VIR_ERR_OPERATION_INVALID)))
        closed = FakeConn()
        closed.close()
        self.assertTrue(self.connection.is_broken(
            closed, error(libvirt.VIR_ERR_INTERNAL_ERROR)))

    def test_reconnects_once_and_retries(self):
        seen = []

        def operation(conn):
            seen.append(conn)
            if len(seen) == 1:
                raise error(libvirt.VIR_ERR_SYSTEM_ERROR,
                            libvirt.VIR_FROM_RPC)
            return 'result'

        self.assertEqual('result', self.connection.call(operation))
        self.assertEqual(self.conns, seen)
        self.assertTrue(self.conns[0].closed)
        self.assertFalse(self.conns[1].closed)
        # The new connection is kept for the next call.
        self.assertIs(self.conns[1], self.connection.call(lambda conn: conn))

    def test_other_errors_pass_through_without_reconnect(self):
        def operation(conn):
            raise error(libvirt.VIR_ERR_NO_DOMAIN)

        exc = self.assertRaises(libvirt.libvirtError,
                                self.connection.call, operation)
        self.assertEqual(libvirt.VIR_ERR_NO_DOMAIN, exc.get_error_code())
        self.assertEqual(1, len(self.conns))

    def test_reopen_failure(self):
        self.connection.open()
        self.open_errors.append(error(libvirt.VIR_ERR_SYSTEM_ERROR))

        def operation(conn):
            raise error(libvirt.VIR_ERR_INVALID_CONN)

        exc = self.assertRaises(exception.HypervisorUnavailable,
                                self.connection.call, operation)
        self.assertIn(URI, exc.format_message())
        # The next call tries again and succeeds once libvirtd is back.
        conn = self.connection.call(lambda c: c)
        self.assertEqual(2, len(self.conns))
        self.assertIs(self.conns[1], conn)
        self.assertTrue(self.conns[0].closed)

    def test_broken_again_after_reopen(self):
        def operation(conn):
            raise error(libvirt.VIR_ERR_NO_CONNECT)

        exc = self.assertRaises(exception.HypervisorUnavailable,
                                self.connection.call, operation)
        self.assertIn(URI, exc.format_message())
        self.assertEqual(2, len(self.conns))

    def test_another_thread_already_reopened(self):
        first = self.connection.call(lambda conn: conn)
        # A second caller noticed the same broken connection and reopened.
        second = self.connection._reopen(first)
        self.assertIsNot(first, second)
        self.assertIs(second, self.connection._reopen(first))
        self.assertEqual(2, len(self.conns))

    def test_close(self):
        conn = self.connection.call(lambda c: c)
        self.connection.close()
        self.connection.close()
        self.assertTrue(conn.closed)
        self.assertIsNot(conn, self.connection.call(lambda c: c))
