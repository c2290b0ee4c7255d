"""A libvirt connection shared by threads, reopened when libvirtd restarts.

libvirt-python is imported lazily so that console-api installs and imports
without it; only using the libvirt driver needs ``console-api[libvirt]``.
The connection is read-only: reading domain XML is all the driver does.
"""

import importlib
import threading

from oslo_log import log as logging

from console_api import exception

LOG = logging.getLogger(__name__)

_MODULE = None
_MODULE_LOCK = threading.Lock()


def _ignore_error(_context, _error):
    """libvirt error handler: errors arrive as exceptions, not on stderr."""


def import_libvirt():
    """Return the ``libvirt`` module, importing it on first use.

    :raises console_api.exception.ConfigurationError: libvirt-python is not
        installed.
    """
    global _MODULE
    with _MODULE_LOCK:
        if _MODULE is None:
            try:
                module = importlib.import_module('libvirt')
            except ImportError as exc:
                raise exception.ConfigurationError(
                    reason="the libvirt driver needs libvirt-python (%s); "
                           "install console-api[libvirt]" % exc)
            # Without a handler libvirt prints every error, expected ones
            # such as an unknown domain included, on stderr.
            module.registerErrorHandler(_ignore_error, None)
            _MODULE = module
        return _MODULE


class Connection:
    """Runs operations on one libvirt connection, reopening it if broken.

    ``call(operation)`` passes the live ``virConnect`` to ``operation``.
    When the operation fails because the connection broke (libvirtd was
    restarted, the socket closed), the connection is reopened once and the
    operation retried; any other ``libvirtError`` reaches the caller
    unchanged. A lock guards opening and replacing the connection, never
    the operations themselves, which libvirt runs concurrently.
    """

    def __init__(self, uri):
        self.uri = uri
        self._libvirt = import_libvirt()
        self._lock = threading.Lock()
        self._conn = None

    @property
    def libvirt(self):
        """The ``libvirt`` module, for its constants and ``libvirtError``."""
        return self._libvirt

    def open(self):
        """Open the connection now unless it is open already.

        :raises console_api.exception.HypervisorUnavailable: naming the URI.
        """
        self._current()

    def close(self):
        """Close the connection; the next call opens a new one."""
        with self._lock:
            conn, self._conn = self._conn, None
        self._close_quietly(conn)

    def call(self, operation):
        """Return ``operation(conn)``, reconnecting once if needed.

        :raises console_api.exception.HypervisorUnavailable: the connection
            cannot be (re)opened, or broke again on the retry.
        :raises libvirt.libvirtError: any failure that is not a broken
            connection.
        """
        conn = self._current()
        try:
            return operation(conn)
        except self._libvirt.libvirtError as exc:
            if not self.is_broken(conn, exc):
                raise
            LOG.warning('Connection to %(uri)s is broken (%(error)s); '
                        'reconnecting.', {'uri': self.uri, 'error': exc})
        conn = self._reopen(conn)
        try:
            return operation(conn)
        except self._libvirt.libvirtError as exc:
            if not self.is_broken(conn, exc):
                raise
            raise exception.HypervisorUnavailable(uri=self.uri,
                                                  reason=str(exc))

    def is_broken(self, conn, exc):
        """Whether ``exc`` means the connection itself is unusable."""
        lv = self._libvirt
        code = exc.get_error_code()
        if code == lv.VIR_ERR_NO_DOMAIN:
            return False
        if code in (lv.VIR_ERR_NO_CONNECT, lv.VIR_ERR_INVALID_CONN):
            return True
        if (code in (lv.VIR_ERR_SYSTEM_ERROR, lv.VIR_ERR_INTERNAL_ERROR)
                and exc.get_error_domain() in (lv.VIR_FROM_REMOTE,
                                               lv.VIR_FROM_RPC)):
            return True
        # Other codes can still come from a dead socket; ask libvirt.
        try:
            return conn.isAlive() != 1
        except lv.libvirtError:
            return True

    def _current(self):
        with self._lock:
            if self._conn is None:
                self._conn = self._open()
            return self._conn

    def _reopen(self, broken):
        with self._lock:
            # Another thread may have reopened it while this one failed.
            if self._conn is broken:
                self._conn = None
                self._close_quietly(broken)
                self._conn = self._open()
            elif self._conn is None:
                self._conn = self._open()
            return self._conn

    def _open(self):
        try:
            conn = self._libvirt.openReadOnly(self.uri)
        except self._libvirt.libvirtError as exc:
            raise exception.HypervisorUnavailable(uri=self.uri,
                                                  reason=str(exc))
        if conn is None:
            raise exception.HypervisorUnavailable(
                uri=self.uri, reason='libvirt returned no connection')
        LOG.info('Connected to libvirt at %s.', self.uri)
        return conn

    def _close_quietly(self, conn):
        if conn is None:
            return
        try:
            conn.close()
        except self._libvirt.libvirtError as exc:
            LOG.debug('Closing the connection to %(uri)s failed: %(error)s',
                      {'uri': self.uri, 'error': exc})
