"""``inproc://``: an oslo.messaging transport for one process, without polling.

oslo.messaging's ``fake://`` driver passes messages in memory but its
listeners look for new messages every 50 ms, which adds 25 ms on average to
every RPC call. This driver keeps the fake driver's in-memory queues and
wakes listeners the moment a message arrives, so the all-in-one service and
in-process benchmarks pay microseconds for an RPC hop. Like ``fake://`` it
only connects threads of one process.

oslo.messaging adds transports through its ``oslo.messaging.drivers`` entry
point (see ``setup.cfg``), and a driver builds on the library's driver
classes: this module is the one place that imports them.
"""

import threading
import time

import oslo_messaging
from oslo_messaging._drivers import base
from oslo_messaging._drivers import impl_fake

# Bumped on every delivery; listeners sleep until it changes.
_ARRIVAL = threading.Condition()
_GENERATION = [0]
# Listeners re-check whether they were stopped at least this often.
_MAX_WAIT = 1.0


def _announce_arrival():
    with _ARRIVAL:
        _GENERATION[0] += 1
        _ARRIVAL.notify_all()


class _Exchange(impl_fake.FakeExchange):
    """The fake exchange, announcing each message it queues."""

    def deliver_message(self, *args, **kwargs):
        super().deliver_message(*args, **kwargs)
        _announce_arrival()


class _ExchangeManager(impl_fake.FakeExchangeManager):
    # A registry of its own, apart from fake://'s.
    _exchanges_lock = threading.Lock()
    _exchanges = {}

    def get_exchange(self, name):
        if name is None:
            name = self._default_exchange
        with self._exchanges_lock:
            return self._exchanges.setdefault(name, _Exchange(name))


class _Listener(impl_fake.FakeListener):
    """A listener that sleeps until a message arrives, not 50 ms at a time."""

    def _next_message(self):
        for target in self._targets:
            exchange = self._exchange_manager.get_exchange(target.exchange)
            ctxt, message, reply_q, requeue = exchange.poll(target, self._pool)
            if message is not None:
                return impl_fake.FakeIncomingMessage(ctxt, message, reply_q,
                                                     requeue)
        return None

    @base.batch_poll_helper
    def poll(self, timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._stopped.is_set():
            with _ARRIVAL:
                seen = _GENERATION[0]
            message = self._next_message()
            if message is not None:
                return message
            wait = _MAX_WAIT
            if deadline is not None:
                wait = min(wait, deadline - time.monotonic())
                if wait <= 0:
                    return None
            with _ARRIVAL:
                # Sleep only if nothing arrived since the queues were read.
                if _GENERATION[0] == seen:
                    _ARRIVAL.wait(wait)
        return None

    def stop(self):
        super().stop()
        _announce_arrival()


class InProcessDriver(impl_fake.FakeDriver):
    """oslo.messaging driver behind ``inproc://`` URLs."""

    def __init__(self, conf, url, default_exchange=None,
                 allowed_remote_exmods=None):
        super().__init__(conf, url, default_exchange, allowed_remote_exmods)
        self._exchange_manager = _ExchangeManager(default_exchange)

    def listen(self, target, batch_size, batch_timeout):
        exchange = target.exchange or self._default_exchange
        listener = _Listener(self._exchange_manager, [
            oslo_messaging.Target(topic=target.topic, server=target.server,
                                  exchange=exchange),
            oslo_messaging.Target(topic=target.topic, exchange=exchange)])
        return base.PollStyleListenerAdapter(listener, batch_size,
                                             batch_timeout)

    def listen_for_notifications(self, targets_and_priorities, pool,
                                 batch_size, batch_timeout):
        targets = [oslo_messaging.Target(topic='%s.%s' % (target.topic,
                                                          priority),
                                         exchange=target.exchange)
                   for target, priority in targets_and_priorities]
        listener = _Listener(self._exchange_manager, targets, pool)
        return base.PollStyleListenerAdapter(listener, batch_size,
                                             batch_timeout)
