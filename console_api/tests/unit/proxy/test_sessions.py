"""The per-process registry of held sessions."""

import asyncio
import types

import testtools

from console_api.proxy import sessions


class FakeWebSocket:

    def __init__(self):
        self.closed_with = None

    async def close(self, code, reason):
        self.closed_with = (code, reason)


def info(session_id):
    return types.SimpleNamespace(session_id=session_id)


class RegistryTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.now = [100.0]
        self.registry = sessions.Registry(clock=lambda: self.now[0])

    def test_last_leave_ends_the_session(self):
        one, two = FakeWebSocket(), FakeWebSocket()
        held = self.registry.join(info('s1'), one)
        self.assertIs(held, self.registry.join(info('s1'), two))
        self.assertFalse(self.registry.leave(held, one))
        self.assertTrue(self.registry.leave(held, two))
        self.assertNotIn('s1', self.registry)

    def test_cut_closes_every_websocket_with_the_code(self):
        one, two, other = FakeWebSocket(), FakeWebSocket(), FakeWebSocket()
        held = self.registry.join(info('s1'), one)
        self.registry.join(info('s1'), two)
        self.registry.join(info('s2'), other)
        found = asyncio.run(self.registry.cut(['s1', 'gone'], 'killed'))
        self.assertEqual(['s1'], found)
        expected = (4001, 'Console session ended by request')
        self.assertEqual([expected, expected, None],
                         [one.closed_with, two.closed_with,
                          other.closed_with])
        # The first reason stays.
        asyncio.run(self.registry.cut(['s1'], 'idle'))
        self.assertEqual('killed', held.cut_reason)

    def test_bytes_and_idle(self):
        held = self.registry.join(info('s1'), FakeWebSocket())
        self.registry.join(info('s2'), FakeWebSocket())
        held.to_client(10)
        self.now[0] += 5
        held.from_client(3)
        self.assertEqual([('s1', 10, 3)], self.registry.take_deltas())
        self.assertEqual([], self.registry.take_deltas())
        self.assertEqual(['s2'], self.registry.idle(4))
