"""Run console-api's commands as processes on a temporary configuration.

``CommandTestCase`` writes configuration files, syncs a sqlite file with
``console-api-manage db sync`` (once per test process: later tests get a
copy) and starts the console scripts installed
next to the interpreter, each with its output in a log file of its own.
"""

import atexit
import configparser
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

import fixtures
import testtools
from testtools import content

from console_api.tests.deployment import processes

BIN = os.path.dirname(sys.executable)
# Patience for anything a loaded machine may make slow.
TIMEOUT = 60
READY = 'ready; SIGTERM or SIGINT stops it'
# The database file the first sync made in this process.
_SYNCED = []


class CommandTestCase(testtools.TestCase):
    """Temporary directory, database, configuration files and processes."""

    def setUp(self):
        super().setUp()
        self.tmp = self.useFixture(fixtures.TempDir()).path
        self.db_path = os.path.join(self.tmp, 'console_api.sqlite')
        self.useFixture(fixtures.EnvironmentVariable('PYTHONWARNINGS',
                                                     'ignore'))
        self.processes = []
        self.addOnException(self._attach_logs)

    def _attach_logs(self, exc_info):
        for process in self.processes:
            self.addDetail(process.name, content.text_content(
                process.log_tail(200)))

    def write_config(self, name, options):
        """Write ``<name>.conf`` from ``{section: {option: value}}``."""
        parser = configparser.ConfigParser(interpolation=None)
        parser.read_dict({'DEFAULT': {'graceful_shutdown_timeout': 30}})
        parser.read_dict({'database': {
            'connection': 'sqlite:///' + self.db_path}})
        parser.read_dict(options)
        path = os.path.join(self.tmp, name + '.conf')
        with open(path + '.new', 'w') as out:
            parser.write(out)
        os.replace(path + '.new', path)
        return path

    def set_option(self, path, section, option, value):
        """Change one option of a configuration file in place."""
        parser = configparser.ConfigParser(interpolation=None)
        parser.read(path)
        if section != 'DEFAULT' and not parser.has_section(section):
            parser.add_section(section)
        parser.set(section, option, str(value))
        with open(path + '.new', 'w') as out:
            parser.write(out)
        os.replace(path + '.new', path)

    def db_sync(self, config):
        """Bring the database of ``config`` to the newest schema."""
        if _SYNCED:
            shutil.copy(_SYNCED[0], self.db_path)
            return
        subprocess.run([os.path.join(BIN, 'console-api-manage'),
                        '--config-file', config, 'db', 'sync'],
                       check=True, capture_output=True, timeout=TIMEOUT)
        keep = tempfile.mkdtemp()
        atexit.register(shutil.rmtree, keep, True)
        _SYNCED.append(shutil.copy(self.db_path, keep))

    def start(self, command, config):
        """Start ``command`` on ``config``; return once it says ready."""
        process = processes.Process(
            command, [os.path.join(BIN, command), '--config-file', config],
            self.tmp, ready=lambda: READY in process.output_since_start(),
            ready_timeout=TIMEOUT)
        self.processes.append(process)
        self.useFixture(process)
        return process

    def wait_for_log(self, process, text, start=0):
        """Wait until ``text`` is in the output after offset ``start``."""
        processes.wait_for(
            lambda: text in process.output_since_start()[start:],
            TIMEOUT, '%r in the log of %s' % (text, process.name))

    def debug_lines(self, process, start=0):
        return [line for line in
                process.output_since_start()[start:].splitlines()
                if ' DEBUG ' in line]

    def assert_hup_turns_on_debug(self, process, config):
        """Set ``debug`` in ``config``, send SIGHUP, see debug lines."""
        self.assertEqual([], self.debug_lines(process))
        mark = len(process.output_since_start())
        self.set_option(config, 'DEFAULT', 'debug', 'true')
        os.kill(process.pid, signal.SIGHUP)
        self.wait_for_log(process, 'Configuration reloaded', mark)
        processes.wait_for(lambda: self.debug_lines(process, mark), TIMEOUT,
                           'debug lines from %s' % process.name)

    def terminate(self, process, grace=30):
        """Send SIGTERM; wait until it logs that it stops.

        :returns: a function that waits for the exit status, failing if
            the process takes longer than ``grace`` seconds from now.
        """
        mark = len(process.output_since_start())
        sent = time.monotonic()
        os.kill(process.pid, signal.SIGTERM)
        self.wait_for_log(process, 'SIGTERM received, stopping', mark)

        def exit_status():
            status = process.popen.wait(TIMEOUT)
            self.assertLess(time.monotonic() - sent, grace)
            return status
        return exit_status

    def wait_refused(self, port):
        """Wait until nothing listens on 127.0.0.1:``port``."""
        def refused():
            try:
                socket.create_connection(('127.0.0.1', port), 1).close()
            except ConnectionRefusedError:
                return True
            return False
        processes.wait_for(refused, TIMEOUT, 'port %d closed' % port)


class SlowRequest(object):
    """A POST whose body is sent later: in flight until then.

    ``Expect: 100-continue`` makes the server say when a worker holds the
    request and waits for its body.
    """

    def __init__(self, port, path, body, headers):
        self.body = body.encode()
        self.sock = socket.create_connection(('127.0.0.1', port), TIMEOUT)
        lines = ['POST %s HTTP/1.1' % path, 'Host: 127.0.0.1',
                 'Content-Type: application/json',
                 'Content-Length: %d' % len(self.body),
                 'Expect: 100-continue']
        lines += ['%s: %s' % item for item in headers.items()]
        self.sock.sendall(('\r\n'.join(lines) + '\r\n\r\n').encode())
        interim = b''
        while not interim.endswith(b'\r\n\r\n'):
            chunk = self.sock.recv(1)
            if not chunk:
                raise AssertionError('closed after %r' % interim)
            interim += chunk
        if not interim.startswith(b'HTTP/1.1 100 '):
            raise AssertionError('no 100 Continue: %r' % interim)

    def finish(self):
        """Send the body; return the response's status and body."""
        self.sock.sendall(self.body)
        response = http.client.HTTPResponse(self.sock)
        response.begin()
        try:
            return response.status, response.read()
        finally:
            self.sock.close()
