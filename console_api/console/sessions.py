"""Console sessions: their states, how they end, and how they are shown.

A session is one console handed out (one token); the console-auth service
creates it with its token, the proxies move it through its states, the
API lists and ends it. This module holds the vocabulary they share: the
statuses, the close reasons with the websocket close codes a proxy sends
for them, and the session object the API returns.
"""

import dataclasses

# The services-table name of the proxies, which hold active sessions.
PROXY_BINARY = 'console-proxy'

ISSUED = 'issued'
ACTIVE = 'active'
CLOSED = 'closed'
EXPIRED = 'expired'
REVOKED = 'revoked'
STATUSES = (ISSUED, ACTIVE, CLOSED, EXPIRED, REVOKED)
# A session in one of these has ended for good.
ENDED = (CLOSED, EXPIRED, REVOKED)


@dataclasses.dataclass(frozen=True)
class CloseReason:
    """Why a session ended, and the websocket close code that says so."""

    name: str
    code: int
    text: str


_REASONS = [
    CloseReason('client', 1000, 'Client closed the connection'),
    CloseReason('console', 1000, 'The console closed the connection'),
    CloseReason('proxy_lost', 1001, 'The console proxy is going away'),
    CloseReason('killed', 4001, 'Console session ended by request'),
    CloseReason('expired', 4002, 'Console session expired'),
    CloseReason('idle', 4003, 'Console session idle for too long'),
    CloseReason('replaced', 4004, 'Replaced by a newer console session'),
    CloseReason('server_gone', 4005, 'The server was deleted or moved'),
    CloseReason('error', 1011, 'Console session failed'),
]
REASONS = {reason.name: reason for reason in _REASONS}
# A session that ended for one of these may be resumed by its client
# within the reconnect window: the client went away, nobody ended it.
RESUMABLE = frozenset(['client', 'error'])


def _time(value):
    return value.strftime('%Y-%m-%dT%H:%M:%SZ') if value else None


def view(row):
    """The session object of the API (and of notifications) for a row."""
    return {
        'id': row.uuid,
        'server_id': row.instance_uuid,
        'project_id': row.project_id,
        'user_id': row.user_id,
        'protocol': row.protocol,
        'type': row.console_type,
        'view_only': bool(row.view_only),
        'status': row.status,
        'created_at': _time(row.created_at),
        'expires_at': _time(row.expires_at),
        'connected_at': _time(row.connected_at),
        'closed_at': _time(row.closed_at),
        'close_reason': row.close_reason,
        'client_address': row.client_address,
        'proxy_host': row.proxy_host,
        'bytes_to_client': row.bytes_to_client,
        'bytes_to_console': row.bytes_to_console,
    }
