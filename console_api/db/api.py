"""Database API: the instances and services tables, behind one object.

``Database`` owns an oslo.db enginefacade transaction context configured
from a ``ConfigOpts``'s ``[database]`` group; whoever assembles a service
builds one and hands it to the parts that need it. Its methods take a
``RequestContext`` first, open a reader or writer transaction on it
(joining the caller's if the context already has one) and return rows
detached from their session, with every column loaded.

Console tokens are not here: the console-auth service
(``console_api.console.auth``) owns their table.
"""

import dataclasses

from oslo_db import api as oslo_db_api
from oslo_db.sqlalchemy import enginefacade
from oslo_db import exception as db_exc
from oslo_utils import timeutils
import sqlalchemy as sa
from sqlalchemy.ext import compiler as sa_compiler

from console_api.db import models
from console_api.db import sqlite_pool

# Most bound parameters in one IN (...): well under every backend's limit
# (old SQLite builds allow 999).
IN_CHUNK = 500

# Instance attributes an agent's report can change.
_REPORTED_FIELDS = ('name', 'power_state', 'project_id', 'user_id',
                    'task_state')


def chunks(items, size=IN_CHUNK):
    """Yield ``items`` in lists small enough for one ``IN (...)``."""
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


class utcnow(sa.sql.expression.FunctionElement):
    """The database server's current UTC time as a naive timestamp."""

    type = sa.DateTime()
    inherit_cache = True


@sa_compiler.compiles(utcnow)
def _utcnow_default(element, compiler, **kw):
    # SQLite's CURRENT_TIMESTAMP is already UTC.
    return 'CURRENT_TIMESTAMP'


@sa_compiler.compiles(utcnow, 'mysql')
def _utcnow_mysql(element, compiler, **kw):
    return 'UTC_TIMESTAMP()'


@sa_compiler.compiles(utcnow, 'postgresql')
def _utcnow_postgresql(element, compiler, **kw):
    return "(CURRENT_TIMESTAMP AT TIME ZONE 'UTC')"


def delete_in_batches(database, context, table, *where, batch_size):
    """Delete ``table``'s rows matching ``where``; return how many.

    Each batch of at most ``batch_size`` rows is a transaction of its own,
    so a large purge never holds long locks or much memory (a context
    already inside a writer transaction would join them all into one:
    pass a fresh context). One DELETE per batch, so each transaction asks
    for the write lock first: on sqlite, reading ids and then upgrading to
    a write lock fails at once when another writer is waiting. The ids sit
    in a derived table because MySQL refuses LIMIT in an IN subquery on
    the table being deleted from.
    """
    batch = (sa.select(table.c.id).where(*where).limit(batch_size)
             .subquery('batch'))
    purge = sa.delete(table).where(table.c.id.in_(sa.select(batch.c.id)))
    total = 0
    while True:
        with database.writer.connection.using(context) as connection:
            deleted = connection.execute(purge).rowcount
        total += deleted
        if deleted < batch_size:
            return total


@dataclasses.dataclass
class SyncResult:
    """What ``instance_sync_host`` did, as lists of instance uuids."""

    added: list = dataclasses.field(default_factory=list)
    changed: list = dataclasses.field(default_factory=list)
    removed: list = dataclasses.field(default_factory=list)
    moved: list = dataclasses.field(default_factory=list)


def _sqlite_busy(exc):
    """sqlite refused a lock it could not wait for: the write may retry."""
    return 'database is locked' in str(exc)


# Writes that race other writers retry when sqlite refuses the lock (the
# all-in-one's single file); other back ends wait for their row locks.
retry_on_sqlite_busy = oslo_db_api.wrap_db_retry(
    max_retries=10, retry_interval=0.05, max_retry_interval=0.5,
    jitter=True, exception_checker=_sqlite_busy)


class Database(object):
    """One database, as configured by ``conf.database``.

    The engine is created on first use, so building this object costs
    nothing and reaches no server. ``dispose()`` closes its connections.
    """

    def __init__(self, conf):
        self.facade = enginefacade.transaction_context()
        self.facade.configure(**dict(conf.database.items()))
        sqlite_pool.configure(self.facade, conf.database)

    @property
    def reader(self):
        """The facade's reader, for ``with db.reader.using(ctxt)``."""
        return self.facade.reader

    @property
    def writer(self):
        """The facade's writer, for ``with db.writer.using(ctxt)``."""
        return self.facade.writer

    def get_engine(self):
        """Return the writer engine (migrations and status checks use it)."""
        return self.facade.writer.get_engine()

    def dispose(self):
        """Close every pooled connection; the next use reconnects."""
        if self.facade.is_started:
            self.facade.dispose_pool()

    # Instances

    def instance_get(self, context, uuid, project_id=None):
        """Return the live instance ``uuid`` or ``None``.

        Every console request runs this, so it reads through a plain
        connection rather than an ORM session: the result is a read-only
        row with the table's columns as attributes.

        :param project_id: when given, only an instance of that project.
        """
        table = models.Instance.__table__
        query = sa.select(table).where(table.c.uuid == uuid,
                                       table.c.deleted == 0)
        if project_id is not None:
            query = query.where(table.c.project_id == project_id)
        with self.reader.connection.using(context) as connection:
            return connection.execute(query).first()

    def instance_get_all(self, context, project_id=None):
        """Return the live instances, optionally of one project."""
        query = sa.select(models.Instance).where(
            models.Instance.deleted == 0)
        if project_id is not None:
            query = query.where(models.Instance.project_id == project_id)
        with self.reader.using(context) as session:
            return list(session.execute(
                query.order_by(models.Instance.id)).scalars())

    # A sync reads the host's instances before writing; on sqlite a
    # transaction that read first cannot take the write lock once another
    # writer (a token insert, a heartbeat) has committed since, so it
    # starts over.
    @retry_on_sqlite_busy
    def instance_sync_host(self, context, host, domains):
        """Make the instances of ``host`` match the agent's report.

        :param domains: every domain the hypervisor of ``host`` runs, as
            ``DomainInfo``-like objects (``uuid``, ``name``,
            ``power_state``, ``project_id``, ``user_id``, ``task_state``).
        :returns: ``SyncResult``: ``added`` (new, or back after a removal),
            ``changed`` (reported attributes differ), ``removed`` (were on
            this host, not reported: soft-deleted) and ``moved`` (were live
            on another host). Their consoles are the console-auth service's
            business: its validation refuses a token whose instance is gone
            or on another host from the moment this commits.
        """
        reported = {domain.uuid: domain for domain in domains}
        result = SyncResult()
        with self.writer.using(context) as session:
            known = _load_for_sync(session, host, reported)
            for uuid, domain in reported.items():
                row = known.get(uuid)
                if row is None:
                    session.add(models.Instance(uuid=uuid, host=host,
                                                **_reported_values(domain)))
                    result.added.append(uuid)
                elif row.deleted:
                    row.deleted, row.deleted_at, row.host = 0, None, host
                    _apply(row, domain)
                    result.added.append(uuid)
                elif row.host != host:
                    row.host = host
                    _apply(row, domain)
                    result.moved.append(uuid)
                elif _apply(row, domain):
                    result.changed.append(uuid)
            now = timeutils.utcnow()
            for uuid, row in known.items():
                if (row.host == host and not row.deleted
                        and uuid not in reported):
                    row.deleted, row.deleted_at = row.id, now
                    result.removed.append(uuid)
        return result

    # Services

    def service_heartbeat(self, context, host, binary, rpc_version):
        """Record that ``binary`` on ``host`` is alive, creating its row.

        ``last_seen_up`` takes the database server's UTC clock, so every
        service is stamped by the same clock whatever its own says.
        """
        try:
            self._service_touch(context, host, binary, rpc_version,
                                create=True)
        except db_exc.DBDuplicateEntry:
            # Another process created the row between UPDATE and INSERT.
            self._service_touch(context, host, binary, rpc_version,
                                create=False)

    def _service_touch(self, context, host, binary, rpc_version, create):
        service = models.Service
        with self.writer.using(context) as session:
            updated = session.execute(
                sa.update(service)
                .where(service.host == host, service.binary == binary)
                .values(rpc_version=rpc_version, last_seen_up=utcnow())
            ).rowcount
            if not updated and create:
                session.execute(sa.insert(service).values(
                    host=host, binary=binary, rpc_version=rpc_version,
                    last_seen_up=utcnow()))

    def service_get(self, context, host, binary):
        """Return the service row of ``binary`` on ``host`` or ``None``."""
        with self.reader.using(context) as session:
            return session.execute(
                sa.select(models.Service).where(
                    models.Service.host == host,
                    models.Service.binary == binary)).scalars().first()


def _load_for_sync(session, host, reported):
    """Return {uuid: row} for this host's live rows and every reported one."""
    instance = models.Instance
    known = {row.uuid: row for row in session.execute(
        sa.select(instance).where(instance.host == host,
                                  instance.deleted == 0)).scalars()}
    elsewhere = [uuid for uuid in reported if uuid not in known]
    for chunk in chunks(elsewhere):
        for row in session.execute(sa.select(instance).where(
                instance.uuid.in_(chunk))).scalars():
            known[row.uuid] = row
    return known


def _reported_values(domain):
    return {field: getattr(domain, field) for field in _REPORTED_FIELDS}


def _apply(row, domain):
    """Copy the reported attributes onto ``row``; tell whether any differed."""
    changed = False
    for field, value in _reported_values(domain).items():
        if getattr(row, field) != value:
            setattr(row, field, value)
            changed = True
    return changed
