"""SQL of the ``console_sessions`` table, private to the console-auth service.

Only ``console_api.console.auth`` calls these; every function takes the
``Database`` and a ``RequestContext``. State changes are single
conditional UPDATEs (``... WHERE status = 'issued'``), so two proxies or a
proxy and the API racing for one session leave exactly one winner.
"""

import datetime

from oslo_utils import timeutils
import sqlalchemy as sa

from console_api.db import api as db_api
from console_api.db import models
from console_api.console import sessions

SESSIONS = models.ConsoleSession.__table__
SERVICES = models.Service.__table__


def insert(connection, values):
    """Insert a session row on an open ``connection`` (the token's)."""
    now = timeutils.utcnow()
    row = dict(values, status=sessions.ISSUED, created_at=now,
               updated_at=None, bytes_to_client=0, bytes_to_console=0)
    connection.execute(sa.insert(SESSIONS).values(**row))


@db_api.retry_on_sqlite_busy
def _update(database, context, where, **values):
    values.setdefault('updated_at', timeutils.utcnow())
    with database.writer.connection.using(context) as connection:
        return connection.execute(
            sa.update(SESSIONS).where(*where).values(**values)).rowcount


def activate(database, context, uuid, client_address, proxy_host,
             resume_after=None, any_address=False):
    """Make a session active for a connection; tell whether it won.

    An ``issued`` session becomes active, bound to ``client_address``. A
    session closed for a resumable reason comes back to life when it
    closed after ``resume_after`` (``None``: not resumable) and, unless
    ``any_address``, for the address it was bound to.
    """
    now = timeutils.utcnow()
    first = _update(
        database, context,
        [SESSIONS.c.uuid == uuid, SESSIONS.c.status == sessions.ISSUED],
        status=sessions.ACTIVE, connected_at=now,
        client_address=client_address, proxy_host=proxy_host)
    if first or resume_after is None:
        return bool(first)
    where = [SESSIONS.c.uuid == uuid, SESSIONS.c.status == sessions.CLOSED,
             SESSIONS.c.close_reason.in_(sorted(sessions.RESUMABLE)),
             SESSIONS.c.closed_at >= resume_after]
    if not any_address:
        where.append(SESSIONS.c.client_address == client_address)
    return bool(_update(database, context, where, status=sessions.ACTIVE,
                        closed_at=None, close_reason=None,
                        proxy_host=proxy_host))


def close(database, context, uuid, reason):
    """End an active session; tell whether it was still active."""
    return bool(_update(
        database, context,
        [SESSIONS.c.uuid == uuid, SESSIONS.c.status == sessions.ACTIVE],
        status=sessions.CLOSED, close_reason=reason,
        closed_at=timeutils.utcnow()))


@db_api.retry_on_sqlite_busy
def add_bytes(database, context, deltas):
    """Add relayed bytes to sessions in one batched statement.

    :param deltas: ``(uuid, to_client, to_console)`` tuples.
    """
    if not deltas:
        return
    statement = (sa.update(SESSIONS)
                 .where(SESSIONS.c.uuid == sa.bindparam('u'))
                 .values(bytes_to_client=SESSIONS.c.bytes_to_client
                         + sa.bindparam('c'),
                         bytes_to_console=SESSIONS.c.bytes_to_console
                         + sa.bindparam('g')))
    with database.writer.connection.using(context) as connection:
        connection.execute(statement, [
            {'u': uuid, 'c': to_client, 'g': to_console}
            for uuid, to_client, to_console in deltas])


@db_api.retry_on_sqlite_busy
def end(database, context, where, reason):
    """End every issued or active session matching ``where``.

    Issued ones become ``revoked``, active ones ``closed``, both with
    ``reason``.

    :returns: the uuids of the active ones (whose proxies must cut them).
    """
    now = timeutils.utcnow()
    with database.writer.connection.using(context) as connection:
        active = [row.uuid for row in connection.execute(
            sa.select(SESSIONS.c.uuid).where(
                *where, SESSIONS.c.status == sessions.ACTIVE))]
        for status, new in ((sessions.ISSUED, sessions.REVOKED),
                            (sessions.ACTIVE, sessions.CLOSED)):
            connection.execute(sa.update(SESSIONS).where(
                *where, SESSIONS.c.status == status).values(
                status=new, close_reason=reason, closed_at=now,
                updated_at=now))
    return active


def get(database, context, uuid):
    """Return the session row with ``uuid`` or ``None``."""
    with database.reader.connection.using(context) as connection:
        return connection.execute(
            sa.select(SESSIONS).where(SESSIONS.c.uuid == uuid)).first()


def statuses(database, context, uuids):
    """Return ``{uuid: (status, close_reason)}`` of these sessions."""
    found = {}
    with database.reader.connection.using(context) as connection:
        for chunk in db_api.chunks(uuids):
            for row in connection.execute(sa.select(
                    SESSIONS.c.uuid, SESSIONS.c.status,
                    SESSIONS.c.close_reason).where(
                    SESSIONS.c.uuid.in_(chunk))):
                found[row.uuid] = (row.status, row.close_reason)
    return found


def active_of_server(database, context, instance_uuid, console_type=None,
                     view_only=False):
    """Return the active sessions of a server, oldest first.

    :param console_type: only sessions of that type.
    :param view_only: count view-only sessions too.
    """
    query = sa.select(SESSIONS).where(
        SESSIONS.c.instance_uuid == instance_uuid,
        SESSIONS.c.status == sessions.ACTIVE)
    if not view_only:
        query = query.where(SESSIONS.c.view_only == sa.false())
    if console_type is not None:
        query = query.where(SESSIONS.c.console_type == console_type)
    with database.reader.connection.using(context) as connection:
        return list(connection.execute(
            query.order_by(SESSIONS.c.connected_at, SESSIONS.c.id)))


def dead_proxy_hosts(database, context, down_time):
    """Hosts of proxies holding active sessions that stopped heartbeating."""
    cutoff = timeutils.utcnow() - datetime.timedelta(seconds=down_time)
    alive = sa.select(SERVICES.c.host).where(
        SERVICES.c.binary == sessions.PROXY_BINARY,
        SERVICES.c.last_seen_up >= cutoff)
    with database.reader.connection.using(context) as connection:
        return [row.proxy_host for row in connection.execute(
            sa.select(SESSIONS.c.proxy_host).distinct().where(
                SESSIONS.c.status == sessions.ACTIVE,
                SESSIONS.c.proxy_host.is_not(None),
                SESSIONS.c.proxy_host.not_in(alive)))]


def expire_unused(database, context):
    """Mark issued sessions whose token expired unused; return how many."""
    now = timeutils.utcnow()
    return _update(database, context,
                   [SESSIONS.c.status == sessions.ISSUED,
                    SESSIONS.c.expires_at <= now],
                   status=sessions.EXPIRED, close_reason='expired',
                   closed_at=now)


def purge_ended(database, context, before, batch_size):
    """Delete sessions that ended before ``before`` in batches."""
    return db_api.delete_in_batches(
        database, context, SESSIONS, SESSIONS.c.status.in_(sessions.ENDED),
        SESSIONS.c.closed_at < before, batch_size=batch_size)


def list_sessions(database, context, project_id=None, server_id=None,
                  user_id=None, statuses_=None, changes_since=None,
                  limit=1000, marker=None):
    """Return sessions newest first, filtered, a page at a time.

    :param marker: the row of the last session of the previous page.
    """
    query = sa.select(SESSIONS)
    for column, value in ((SESSIONS.c.project_id, project_id),
                          (SESSIONS.c.instance_uuid, server_id),
                          (SESSIONS.c.user_id, user_id)):
        if value is not None:
            query = query.where(column == value)
    if statuses_:
        query = query.where(SESSIONS.c.status.in_(statuses_))
    if changes_since is not None:
        query = query.where(sa.func.coalesce(
            SESSIONS.c.updated_at, SESSIONS.c.created_at) >= changes_since)
    if marker is not None:
        query = query.where(sa.or_(
            SESSIONS.c.created_at < marker.created_at,
            sa.and_(SESSIONS.c.created_at == marker.created_at,
                    SESSIONS.c.id < marker.id)))
    query = query.order_by(SESSIONS.c.created_at.desc(),
                           SESSIONS.c.id.desc()).limit(limit)
    with database.reader.connection.using(context) as connection:
        return list(connection.execute(query))
