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
"""

from oslo_db.sqlalchemy import engines
import sqlalchemy
from sqlalchemy import pool

_INSTALLED = []


def _pool_file_connections(url, engine_args, kw):
    if engine_args.get('poolclass') is pool.NullPool:
        engine_args['poolclass'] = pool.QueuePool


def _use_write_ahead_log(engine, **kw):
    if not engine.url.database or engine.url.database == ':memory:':
        return

    @sqlalchemy.event.listens_for(engine, 'connect')
    def _wal(dbapi_connection, connection_record):
        dbapi_connection.execute('PRAGMA journal_mode=WAL')


def install():
    """Register both with oslo.db's engine set-up (idempotent).

    oslo.db calls every function registered for a dialect in order, so
    these, registered after its own, have the last word for sqlite.
    """
    if not _INSTALLED:
        engines._init_connection_args.dispatch_for('sqlite')(
            _pool_file_connections)
        engines._init_events.dispatch_for('sqlite')(_use_write_ahead_log)
        _INSTALLED.append(True)
