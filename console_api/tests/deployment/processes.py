"""Start, watch and stop child processes for the deployment tests."""

import os
import signal
import socket
import subprocess
import time

import fixtures


def free_port():
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout, what, interval=0.1):
    """Call ``predicate`` until it returns a true value; return that value.

    :raises TimeoutError: naming ``what`` after ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError('%s: not within %ss' % (what, timeout))
        time.sleep(interval)


class Process(fixtures.Fixture):
    """One child process with its output in ``<log_dir>/<name>.log``.

    The child runs in a session of its own so that ``stop()`` reaches its
    children too (gunicorn workers). The cleanup always kills it.

    :param ready: callable returning true once the process serves; waited
        for in ``setUp`` (the log is part of the error when it never is).
    """

    def __init__(self, name, argv, log_dir, env=None, ready=None,
                 ready_timeout=60):
        super().__init__()
        self.name = name
        self.argv = argv
        self.log_path = os.path.join(log_dir, name + '.log')
        self.env = env
        self.ready = ready
        self.ready_timeout = ready_timeout
        self.popen = None
        self._start_offset = 0

    def _setUp(self):
        self.start()
        self.addCleanup(self.stop, timeout=10)

    def start(self):
        """Start (or restart) the process and wait until it is ready."""
        with open(self.log_path, 'ab') as log:
            self._start_offset = log.tell()
            self.popen = subprocess.Popen(
                self.argv, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, env=self.env,
                start_new_session=True)
        if self.ready is not None:
            try:
                wait_for(self._ready_or_dead, self.ready_timeout,
                         '%s ready' % self.name)
            except (TimeoutError, RuntimeError) as exc:
                self.stop(timeout=5)
                raise RuntimeError('%s\n--- %s ---\n%s' % (
                    exc, self.log_path, self.log_tail()))

    def _ready_or_dead(self):
        if self.popen.poll() is not None:
            raise RuntimeError('%s exited with %s before it was ready'
                               % (self.name, self.popen.returncode))
        return self.ready()

    @property
    def pid(self):
        return self.popen.pid

    def alive(self):
        return self.popen is not None and self.popen.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout=15):
        """Signal the process group; SIGKILL it after ``timeout`` seconds.

        :returns: the exit status, or ``None`` if it was never started.
        """
        if self.popen is None:
            return None
        if self.popen.poll() is None:
            self._signal_group(sig)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self._signal_group(signal.SIGKILL)
                self.popen.wait()
        # Stray children (a gunicorn worker) die with their group.
        self._signal_group(signal.SIGKILL)
        return self.popen.returncode

    def _signal_group(self, sig):
        try:
            os.killpg(self.popen.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass

    def log(self):
        try:
            with open(self.log_path, errors='replace') as log:
                return log.read()
        except OSError:
            return ''

    def output_since_start(self):
        """What the process wrote since its latest (re)start."""
        try:
            with open(self.log_path, 'rb') as log:
                log.seek(self._start_offset)
                return log.read().decode(errors='replace')
        except OSError:
            return ''

    def log_tail(self, lines=80):
        return '\n'.join(self.log().splitlines()[-lines:])
