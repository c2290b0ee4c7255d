"""Database API: every read and write of console-api's tables goes here.

Plain functions taking a ``RequestContext`` first. Each opens a reader or
writer transaction through oslo.db's enginefacade (joining the caller's if
the context already has one) and returns ORM rows detached from their
session, with every column loaded. Only token hashes are ever stored.
"""

import dataclasses
import threading
import types

from oslo_db import api as oslo_db_api
from oslo_db import exception as db_exc
from oslo_db.sqlalchemy import enginefacade
from oslo_utils import timeutils
import sqlalchemy as sa
from sqlalchemy.ext import compiler as sa_compiler

from console_api.db import models
from console_api.db import sqlite_pool
from console_api import exception

# Most bound parameters in one IN (...): well under every backend's limit
# (old SQLite builds allow 999).
_IN_CHUNK = 500

# Instance attributes an agent's report can change.
_REPORTED_FIELDS = ('name', 'power_state', 'project_id', 'user_id',
                    'task_state')

main_context_manager = enginefacade.transaction_context()
_configure_lock = threading.Lock()
_configured = False


def configure(conf):
    """Apply the ``[database]`` options of ``conf`` to the engine facade.

    Only the first call takes effect, so every entry point may call it.
    """
    global _configured
    with _configure_lock:
        if _configured:
            return
        sqlite_pool.install()
        main_context_manager.configure(**dict(conf.database.items()))
        _configured = True


def reset():
    """Forget the configuration and engine; for tests that reconfigure."""
    global main_context_manager, _configured
    with _configure_lock:
        if main_context_manager.is_started:
            main_context_manager.dispose_pool()
        main_context_manager = enginefacade.transaction_context()
        _configured = False


def get_engine():
    """Return the writer engine (migrations and status checks use it)."""
    return main_context_manager.writer.get_engine()


def _chunks(items, size=_IN_CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


class _utcnow(sa.sql.expression.FunctionElement):
    """The database server's current UTC time as a naive timestamp."""

    type = sa.DateTime()
    inherit_cache = True


@sa_compiler.compiles(_utcnow)
def _utcnow_default(element, compiler, **kw):
    # SQLite's CURRENT_TIMESTAMP is already UTC.
    return 'CURRENT_TIMESTAMP'


@sa_compiler.compiles(_utcnow, 'mysql')
def _utcnow_mysql(element, compiler, **kw):
    return 'UTC_TIMESTAMP()'


@sa_compiler.compiles(_utcnow, 'postgresql')
def _utcnow_postgresql(element, compiler, **kw):
    return "(CURRENT_TIMESTAMP AT TIME ZONE 'UTC')"


# Console tokens

def token_create(context, values):
    """Store a console token and return what was stored.

    Every console request runs this, so it writes through a plain
    connection rather than an ORM session.

    :param values: dict with ``token_hash``, ``console_type``, ``host``,
        ``port``, ``tls_port``, ``internal_access_path``, ``instance_uuid``,
        ``compute_host``, ``access_url_base`` and ``expires`` (int Unix
        seconds). Never the token itself.
    :returns: a read-only record of the stored columns, ``id`` and
        ``created_at`` included.
    :raises InstanceNotFound: the instance is unknown or deleted.
    :raises TokenInUse: a token with this hash exists already.
    """
    instance_uuid = values['instance_uuid']
    tokens_table = models.ConsoleAuthToken.__table__
    instances = models.Instance.__table__
    stored = dict(values, created_at=timeutils.utcnow(), updated_at=None)
    columns = sorted(stored)
    # One INSERT ... SELECT that copies the values only if the instance is
    # live: the transaction starts by writing, so on sqlite it waits for
    # another writer instead of failing to upgrade a read lock.
    source = sa.select(*[
        sa.literal(stored[name], type_=tokens_table.c[name].type)
        for name in columns]).where(instances.c.uuid == instance_uuid,
                                    instances.c.deleted == 0)
    try:
        with main_context_manager.writer.connection.using(
                context) as connection:
            inserted = connection.execute(
                sa.insert(tokens_table).from_select(columns, source)).rowcount
            if not inserted:
                raise exception.InstanceNotFound(instance_id=instance_uuid)
            stored['id'] = connection.execute(
                sa.select(tokens_table.c.id).where(
                    tokens_table.c.token_hash == values['token_hash'])
            ).scalar_one()
    except db_exc.DBDuplicateEntry:
        # token_hash carries the table's only unique constraint.
        raise exception.TokenInUse()
    return types.SimpleNamespace(**stored)


def token_get_valid(context, token_hash, now):
    """Return the token row with ``token_hash`` if ``expires > now``.

    Every console validation runs this, so it reads through a plain
    connection rather than an ORM session: the result is a read-only row
    with the table's columns as attributes.

    :param now: current time in Unix seconds.
    :returns: a row or ``None`` (unknown or expired).
    """
    table = models.ConsoleAuthToken.__table__
    with main_context_manager.reader.connection.using(context) as connection:
        return connection.execute(
            sa.select(table).where(table.c.token_hash == token_hash,
                                   table.c.expires > now).limit(1)).first()


def token_destroy_for_instance(context, instance_uuid):
    """Delete every token of an instance; return how many were deleted."""
    with main_context_manager.writer.using(context) as session:
        return _delete_tokens_of(session, [instance_uuid])


def _delete_tokens_of(session, instance_uuids):
    deleted = 0
    for chunk in _chunks(instance_uuids):
        deleted += session.execute(
            sa.delete(models.ConsoleAuthToken).where(
                models.ConsoleAuthToken.instance_uuid.in_(chunk))).rowcount
    return deleted


def token_purge_expired(context, now, batch_size):
    """Delete every token with ``expires <= now``; return how many.

    Works in separate transactions of at most ``batch_size`` rows each so a
    large purge never holds long locks or much memory; it stops once a batch
    comes back short. (A context already inside a writer transaction makes
    every batch part of that one transaction: call it with a fresh context.)
    """
    table = models.ConsoleAuthToken
    # One DELETE per batch, so each transaction asks for the write lock
    # first: on sqlite, reading the ids and then upgrading to a write lock
    # fails at once when another writer (a heartbeat) is waiting. The ids
    # sit in a derived table because MySQL refuses LIMIT in an IN subquery
    # and a subquery on the table being deleted from.
    batch = (sa.select(table.id).where(table.expires <= now)
             .limit(batch_size).subquery('batch'))
    purge = sa.delete(table).where(table.id.in_(sa.select(batch.c.id)))
    total = 0
    while True:
        with main_context_manager.writer.using(context) as session:
            deleted = session.execute(
                purge, execution_options={'synchronize_session': False}
            ).rowcount
        total += deleted
        if deleted < batch_size:
            return total


# Instances

def instance_get(context, uuid, project_id=None):
    """Return the live instance ``uuid`` or ``None``.

    Every console request runs this, so it reads through a plain connection
    rather than an ORM session: the result is a read-only row with the
    table's columns as attributes.

    :param project_id: when given, only an instance of that project.
    """
    table = models.Instance.__table__
    query = sa.select(table).where(table.c.uuid == uuid, table.c.deleted == 0)
    if project_id is not None:
        query = query.where(table.c.project_id == project_id)
    with main_context_manager.reader.connection.using(context) as connection:
        return connection.execute(query).first()


def instance_get_all(context, project_id=None, host=None):
    """Return the live instances, optionally of one project and/or host."""
    query = sa.select(models.Instance).where(models.Instance.deleted == 0)
    if project_id is not None:
        query = query.where(models.Instance.project_id == project_id)
    if host is not None:
        query = query.where(models.Instance.host == host)
    with main_context_manager.reader.using(context) as session:
        return list(session.execute(
            query.order_by(models.Instance.id)).scalars())


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


# A sync reads the host's instances before writing; on sqlite a transaction
# that read first cannot take the write lock once another writer (a token
# insert, a heartbeat) has committed since, so it starts over.
@oslo_db_api.wrap_db_retry(max_retries=10, retry_interval=0.05,
                           max_retry_interval=0.5, jitter=True,
                           exception_checker=_sqlite_busy)
def instance_sync_host(context, host, domains):
    """Make the instances of ``host`` match the agent's report.

    :param domains: every domain the hypervisor of ``host`` runs, as
        ``DomainInfo``-like objects (``uuid``, ``name``, ``power_state``,
        ``project_id``, ``user_id``, ``task_state``).
    :returns: ``SyncResult``: ``added`` (new, or back after a removal),
        ``changed`` (reported attributes differ), ``removed`` (were on this
        host, not reported: soft-deleted) and ``moved`` (were live on
        another host). Tokens of removed and moved instances are deleted in
        the same transaction, since they lead to a console that is gone.
    """
    reported = {domain.uuid: domain for domain in domains}
    result = SyncResult()
    with main_context_manager.writer.using(context) as session:
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
            if row.host == host and not row.deleted and uuid not in reported:
                row.deleted, row.deleted_at = row.id, now
                result.removed.append(uuid)
        session.flush()
        _delete_tokens_of(session, result.removed + result.moved)
    return result


def _load_for_sync(session, host, reported):
    """Return {uuid: row} for this host's live rows and every reported one."""
    instance = models.Instance
    known = {row.uuid: row for row in session.execute(
        sa.select(instance).where(instance.host == host,
                                  instance.deleted == 0)).scalars()}
    elsewhere = [uuid for uuid in reported if uuid not in known]
    for chunk in _chunks(elsewhere):
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


# Services

def service_heartbeat(context, host, binary, rpc_version):
    """Record that ``binary`` on ``host`` is alive, creating its row once.

    ``last_seen_up`` takes the database server's UTC clock, so every agent
    is stamped by the same clock whatever its own says.
    """
    try:
        _service_touch(context, host, binary, rpc_version, create=True)
    except db_exc.DBDuplicateEntry:
        # Another process created the row between our UPDATE and INSERT.
        _service_touch(context, host, binary, rpc_version, create=False)


def _service_touch(context, host, binary, rpc_version, create):
    service = models.Service
    with main_context_manager.writer.using(context) as session:
        updated = session.execute(
            sa.update(service)
            .where(service.host == host, service.binary == binary)
            .values(rpc_version=rpc_version, last_seen_up=_utcnow())
        ).rowcount
        if not updated and create:
            session.execute(sa.insert(service).values(
                host=host, binary=binary, rpc_version=rpc_version,
                last_seen_up=_utcnow()))


def service_get(context, host, binary):
    """Return the service row of ``binary`` on ``host`` or ``None``."""
    with main_context_manager.reader.using(context) as session:
        return session.execute(
            sa.select(models.Service).where(
                models.Service.host == host,
                models.Service.binary == binary)).scalars().first()


def service_is_up(service, down_time):
    """Tell whether ``service`` sent a heartbeat in the last ``down_time`` s.

    Compared with ``timeutils.utcnow()``; a heartbeat slightly in the future
    (clock skew between hosts) still counts as recent.
    """
    if service is None or service.last_seen_up is None:
        return False
    elapsed = timeutils.utcnow() - service.last_seen_up
    return abs(elapsed.total_seconds()) <= down_time
