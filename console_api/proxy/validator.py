"""Token validation for the proxies, off the event loop.

The rule itself is the console-auth service's (``ConsoleAuth.validate``);
this adapter runs it on a small executor of its own, since the database API
blocks, and turns a database failure into ``ValidatorUnavailable``.
"""

import asyncio
import concurrent.futures

from oslo_db import exception as db_exc

from console_api import context as ctx


class ValidatorUnavailable(Exception):
    """Tokens cannot be checked now (the database failed); say why briefly.

    The message names the error class only: database errors quote the
    statement's parameters, which include the token's full hash.
    """


class TokenValidator:
    """Validate tokens with a ``ConsoleAuth`` without blocking the loop.

    A burst of connections cannot starve other blocking work, and the
    number of database connections the proxy opens stays bounded by the
    executor's size.

    :param console_auth: the ``console_api.console.auth.ConsoleAuth``.
    """

    def __init__(self, console_auth, max_workers=4):
        self._console_auth = console_auth
        self._executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=max_workers, thread_name_prefix='proxy-db')

    async def validate(self, token):
        """Return the ``ConnectInfo`` of ``token``.

        :raises TokenRejected: see ``ConsoleAuth.validate``.
        :raises ValidatorUnavailable: the database failed.
        """
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._lookup,
                                          token)

    async def connect(self, token, client_address, proxy_host):
        """Use ``token`` for a connection (``ConsoleAuth.connect``).

        :returns: the ``ConnectInfo``; its ``replaced`` names sessions
            this connection ended over the per-server limit.
        :raises TokenRejected: see ``ConsoleAuth.connect``.
        :raises ValidatorUnavailable: the database failed.
        """
        return await self.run(self._console_auth.connect, token,
                              client_address, proxy_host)

    @property
    def console_auth(self):
        """The ``ConsoleAuth`` behind this validator."""
        return self._console_auth

    async def run(self, func, *args):
        """Run ``func(admin context, *args)`` on the executor.

        :raises ValidatorUnavailable: the database failed.
        """
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._call, func,
                                          args)

    def close(self):
        """Release the executor; pending lookups finish first."""
        self._executor.shutdown(wait=True)

    def _lookup(self, token):
        return self._call(self._console_auth.validate, (token,))

    @staticmethod
    def _call(func, args):
        try:
            return func(ctx.get_admin_context(), *args)
        except db_exc.DBError as exc:
            raise ValidatorUnavailable(
                'database error %s' % type(exc).__name__) from None
