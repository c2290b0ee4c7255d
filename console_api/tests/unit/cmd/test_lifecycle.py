"""Unit tests of the commands' lifecycle, on signals sent to this process."""

import os
import signal
import threading
import time

import testtools

from console_api.cmd import lifecycle


class FakeConf(object):
    """The part of ``ConfigOpts`` the lifecycle uses."""

    def __init__(self, grace=7):
        self.graceful_shutdown_timeout = grace
        self.mutations = 0
        self.fail = False

    def mutate_config_files(self):
        self.mutations += 1
        if self.fail:
            raise ValueError('bad file')

    def log_opt_values(self, logger, level):
        pass


class ServeTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.conf = FakeConf()
        self.stops = []
        self.reloads = []
        self.handlers = [signal.getsignal(signum) for signum in
                         (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)]

    def send_later(self, *signums):
        """Send ``signums`` to this process, each once the last is seen.

        Start with SIGHUP: its reload shows that the start has ended.
        """
        def send():
            for signum in signums:
                seen = self.conf.mutations
                os.kill(os.getpid(), signum)
                deadline = time.monotonic() + 10
                while (signum == signal.SIGHUP and
                       self.conf.mutations == seen and
                       time.monotonic() < deadline):
                    time.sleep(0.01)
        thread = threading.Thread(target=send)
        self.addCleanup(thread.join, 10)
        return thread.start

    def serve(self, start):
        return lifecycle.serve(self.conf, 'test', start, self.stops.append,
                               lambda: self.reloads.append(1))

    def assert_handlers_restored(self):
        self.assertEqual(self.handlers, [
            signal.getsignal(signum) for signum in
            (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)])

    def test_sighup_reloads_and_sigterm_stops_with_the_grace(self):
        self.assertEqual(0, self.serve(self.send_later(
            signal.SIGHUP, signal.SIGHUP, signal.SIGTERM)))
        self.assertEqual(2, self.conf.mutations)
        self.assertEqual([1, 1], self.reloads)
        self.assertEqual([7], self.stops)
        self.assert_handlers_restored()

    def test_sigint_stops_and_zero_grace_is_no_limit(self):
        self.conf.graceful_shutdown_timeout = 0
        self.assertEqual(0, self.serve(self.send_later(
            signal.SIGHUP, signal.SIGINT)))
        self.assertEqual([None], self.stops)

    def test_failed_reload_keeps_serving(self):
        self.conf.fail = True
        self.assertEqual(0, self.serve(self.send_later(
            signal.SIGHUP, signal.SIGTERM)))
        self.assertEqual([], self.reloads)
        self.assertEqual([7], self.stops)

    def test_failed_start_is_stopped_and_raised(self):
        def start():
            raise ValueError('cannot bind')
        self.assertRaises(ValueError, self.serve, start)
        self.assertEqual([0], self.stops)
        self.assert_handlers_restored()

    def test_signal_interrupts_a_start(self):
        def start():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(30)
        self.assertRaises(KeyboardInterrupt, self.serve, start)
        self.assertEqual([0], self.stops)
        self.assert_handlers_restored()
