"""The console sessions one proxy process holds, and how to cut them.

A session (one token) may hold several websockets at once (spice-html5
opens one per SPICE channel). The registry lives in the event loop's
thread only: it knows each session's websockets, the bytes relayed since
the last flush and when the client last sent console data, and closes
every websocket of a session with the close code and text of C4 when the
session is cut.
"""

import asyncio
import time

from console_api.console import sessions as session_vocab


class HeldSession:
    """One session with at least one live websocket here.

    It is the relay's meter too: ``to_client`` and ``from_client`` count
    the bytes each way; only client data (never a ping) counts as activity.
    """

    def __init__(self, info, clock):
        self.info = info
        self.websockets = set()
        self.to_client_bytes = 0
        self.to_console_bytes = 0
        self.last_input = clock()
        # Set when the proxy cut it: what the last close records.
        self.cut_reason = None
        self._clock = clock

    @property
    def session_id(self):
        return self.info.session_id

    def to_client(self, count):
        self.to_client_bytes += count

    def from_client(self, count):
        self.to_console_bytes += count
        self.last_input = self._clock()

    def take_delta(self):
        """Return and forget ``(id, to_client, to_console)`` not flushed."""
        delta = (self.session_id, self.to_client_bytes,
                 self.to_console_bytes)
        self.to_client_bytes = self.to_console_bytes = 0
        return delta


class Registry:
    """The held sessions of one proxy process, by session id.

    Only connections whose ``ConnectInfo`` names a session are held;
    tokens issued before sessions existed run untracked (Nova's rules).
    """

    def __init__(self, clock=time.monotonic):
        self._held = {}
        self._clock = clock

    def __contains__(self, session_id):
        return session_id in self._held

    def held_ids(self):
        return list(self._held)

    def join(self, info, websocket):
        """Add a websocket of ``info``'s session; return its ``HeldSession``.
        """
        held = self._held.get(info.session_id)
        if held is None:
            held = self._held[info.session_id] = HeldSession(info,
                                                             self._clock)
        held.websockets.add(websocket)
        return held

    def leave(self, held, websocket):
        """Remove a websocket; return whether it was the session's last."""
        held.websockets.discard(websocket)
        if held.websockets or self._held.get(held.session_id) is not held:
            return False
        del self._held[held.session_id]
        return True

    async def cut(self, session_ids, reason):
        """Close every websocket of these sessions (those held here).

        :param reason: a name of ``console.sessions.REASONS``; unknown
            names are cut as ``error``.
        :returns: the ids that were held here.
        """
        close = session_vocab.REASONS.get(reason,
                                          session_vocab.REASONS['error'])
        found, closing = [], []
        for session_id in session_ids:
            held = self._held.get(session_id)
            if held is None:
                continue
            found.append(session_id)
            held.cut_reason = held.cut_reason or close.name
            closing.extend(websocket.close(close.code, close.text)
                           for websocket in list(held.websockets))
        await asyncio.gather(*closing, return_exceptions=True)
        return found

    def take_deltas(self):
        """Byte counts of every held session since the last flush."""
        deltas = [held.take_delta() for held in self._held.values()]
        return [delta for delta in deltas if delta[1] or delta[2]]

    def idle(self, timeout):
        """Ids of sessions whose client sent nothing for ``timeout`` s."""
        limit = self._clock() - timeout
        return [held.session_id for held in self._held.values()
                if held.last_input < limit]
