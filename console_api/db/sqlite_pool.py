"""Pooled connections and write-ahead logging for file-based sqlite.

oslo.db gives file-based sqlite engines a ``NullPool``, so every transaction
opens and closes a new sqlite connection, which costs more than the query
itself. SQLAlchemy's own default for such files is a ``QueuePool``, safe
across threads with the pysqlite driver; this module puts it back for the
all-in-one service and tests, which run on sqlite.

It also switches such databases to write-ahead logging: with sqlite's
default rollback journal every write transaction creates and deletes a
journal file, and readers and the one writer block each other; with WAL a
commit appends to one log and readers never wait for the writer (an agent's
heartbeat or purge does not stall console lookups). In-memory databases
keep oslo.db's ``StaticPool`` and journal, and other back ends are not
touched.

Both go through public interfaces: a SQLAlchemy ``CreateEnginePlugin``,
named in the URL by oslo.db's ``connection_parameters`` engine option.
"""

import sqlalchemy as sa
from sqlalchemy.dialects import plugins
from sqlalchemy import pool

PLUGIN = 'console_api_sqlite'


class Plugin(sa.engine.CreateEnginePlugin):
    """Pool a sqlite file's connections and put the file in WAL mode.

    oslo.db asks for a ``NullPool`` for files only; in-memory databases
    ignore the WAL pragma.
    """

    def __init__(self, url, kwargs):
        super().__init__(url, kwargs)
        if kwargs.get('poolclass') is pool.NullPool:
            kwargs['poolclass'] = pool.QueuePool

    def update_url(self, url):
        return url

    def engine_created(self, engine):
        sa.event.listen(engine, 'connect', _use_write_ahead_log)


def _use_write_ahead_log(dbapi_connection, connection_record):
    dbapi_connection.execute('PRAGMA journal_mode=WAL')


# Registered in-process, as SQLAlchemy registers dialects, so that a
# source tree works without installed entry points.
plugins.register(PLUGIN, __name__, 'Plugin')


def configure(facade, database):
    """Have ``facade`` create its sqlite engines through ``Plugin``.

    Call it right after ``facade.configure(**database)``, before the
    facade's first transaction. Other back ends are left alone.

    :param facade: an oslo.db enginefacade transaction context.
    :param database: the ``[database]`` option group of a ``ConfigOpts``.
    """
    if (database.connection or '').startswith('sqlite'):
        facade.configure(connection_parameters='&'.join(filter(None, [
            database.connection_parameters, 'plugin=' + PLUGIN])))
