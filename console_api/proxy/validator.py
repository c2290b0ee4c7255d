"""Token validation for the proxies: from a presented token to a target.

The proxy only ever sees the token a client presents; everything it needs to
reach the console comes from the token's row, found by the token's hash. A
token is good when it has our shape, its row exists and has not expired,
and the instance still lives on the host the token was issued for.
"""

import asyncio
import concurrent.futures
import dataclasses
import time
import typing

from oslo_db import exception as db_exc

from console_api.console import tokens
from console_api import context as ctx
from console_api import exception

# Hex digits of a token's hash that logs may show: enough to correlate
# with the database row, useless for opening a console.
HASH_PREFIX_LENGTH = 8


def log_id(token):
    """Return what a log line may say about ``token``: a hash prefix."""
    if not token:
        return '<none>'
    return 'sha256:%s' % tokens.hash_token(token)[:HASH_PREFIX_LENGTH]


class TokenRejected(exception.InvalidToken):
    """The proxy refuses a token; ``reason`` says why, never the token."""

    def __init__(self, reason):
        super().__init__()
        self.reason = reason

    def __str__(self):
        return self.reason


class ValidatorUnavailable(Exception):
    """Tokens cannot be checked now (the database failed); say why briefly.

    The message names the error class only: database errors quote the
    statement's parameters, which include the token's full hash.
    """


@dataclasses.dataclass(frozen=True)
class ConnectInfo:
    """Where a validated token leads, and until when it is good.

    ``expires`` is in Unix seconds; ``access_url_base`` is the base the
    console URL was built from (its scheme is what an ``Origin`` must
    match); ``token_hash`` identifies the session in logs.
    """

    console_type: str
    host: str
    port: int
    instance_uuid: str
    expires: int
    token_hash: str
    internal_access_path: typing.Optional[str] = None
    access_url_base: typing.Optional[str] = None
    tls_port: typing.Optional[int] = None

    @property
    def log_id(self):
        return 'sha256:%s' % self.token_hash[:HASH_PREFIX_LENGTH]


class TokenValidator:
    """Validate tokens against the database, off the event loop.

    The database API is blocking, so lookups run on a small executor of
    their own: a burst of connections cannot starve other blocking work,
    and the number of database connections the proxy opens stays bounded.
    """

    def __init__(self, max_workers=4, clock=time.time):
        self._executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=max_workers, thread_name_prefix='proxy-db')
        self._clock = clock

    async def validate(self, token):
        """Return the ``ConnectInfo`` of ``token``.

        :raises TokenRejected: the token is malformed, unknown, expired or
            revoked, or its instance is gone or on another host.
        :raises ValidatorUnavailable: the database failed.
        """
        if not tokens.looks_valid(token):
            raise TokenRejected('malformed token')
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._executor, self._lookup, tokens.hash_token(token))

    def close(self):
        """Release the executor; pending lookups finish first."""
        self._executor.shutdown(wait=True)

    def _rows(self, token_hash):
        """Return the token row and its live instance (each or ``None``)."""
        # Imported here so that unit tests of the proxy need no database.
        from console_api.db import api as db_api

        context = ctx.get_admin_context()
        row = db_api.token_get_valid(context, token_hash, int(self._clock()))
        if row is None:
            return None, None
        return row, db_api.instance_get(context, row.instance_uuid)

    def _lookup(self, token_hash):
        try:
            row, instance = self._rows(token_hash)
        except db_exc.DBError as exc:
            raise ValidatorUnavailable(
                'database error %s' % type(exc).__name__) from None
        if row is None:
            raise TokenRejected('unknown, expired or revoked token')
        if instance is None:
            raise TokenRejected('instance %s no longer exists'
                                % row.instance_uuid)
        if instance.host != row.compute_host:
            raise TokenRejected('instance %s moved from %s to %s'
                                % (row.instance_uuid, row.compute_host,
                                   instance.host))
        return ConnectInfo(
            console_type=row.console_type, host=row.host, port=row.port,
            instance_uuid=row.instance_uuid, expires=row.expires,
            token_hash=token_hash,
            internal_access_path=row.internal_access_path,
            access_url_base=row.access_url_base, tls_port=row.tls_port)
