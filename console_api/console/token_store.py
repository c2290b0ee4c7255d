"""SQL of the ``console_auth_tokens`` table, private to console-auth.

Only ``console_api.console.auth`` calls these; every function takes the
``Database`` holding the table and a ``RequestContext``. Rows hold the
token's SHA-256, never the token.
"""

from oslo_db import exception as db_exc
from oslo_utils import timeutils
import sqlalchemy as sa

from console_api.console import session_store
from console_api.db import api as db_api
from console_api.db import models
from console_api import exception

TOKENS = models.ConsoleAuthToken.__table__
INSTANCES = models.Instance.__table__
SESSIONS = models.ConsoleSession.__table__
# What validation needs of a token's session, read with the token.
_SESSION_COLUMNS = [
    SESSIONS.c[name].label('session_' + name) for name in (
        'status', 'close_reason', 'closed_at', 'client_address',
        'view_only', 'protocol', 'project_id', 'user_id')]


def create(database, context, values, session=None):
    """Store a token row; return the stored values with ``id`` added.

    :param session: the columns of the token's session (``uuid`` among
        them), inserted in the same transaction; ``values['session_id']``
        must then be that uuid.

    Every console request runs this, so it writes through a plain
    connection: one INSERT ... SELECT that copies the values only if the
    instance is live, so the transaction starts by writing and on sqlite
    waits for another writer instead of failing to upgrade a read lock.

    :raises InstanceNotFound: the instance is unknown or deleted.
    :raises TokenInUse: a token with this hash exists already.
    """
    instance_uuid = values['instance_uuid']
    stored = dict(values, created_at=timeutils.utcnow(), updated_at=None)
    columns = sorted(stored)
    source = sa.select(*[
        sa.literal(stored[name], type_=TOKENS.c[name].type)
        for name in columns]).where(INSTANCES.c.uuid == instance_uuid,
                                    INSTANCES.c.deleted == 0)
    try:
        with database.writer.connection.using(context) as connection:
            if not connection.execute(sa.insert(TOKENS).from_select(
                    columns, source)).rowcount:
                raise exception.InstanceNotFound(instance_id=instance_uuid)
            stored['id'] = connection.execute(
                sa.select(TOKENS.c.id).where(
                    TOKENS.c.token_hash == values['token_hash'])
            ).scalar_one()
            if session is not None:
                session_store.insert(connection, session)
    except db_exc.DBDuplicateEntry:
        # token_hash carries the table's only unique constraint.
        raise exception.TokenInUse()
    return stored


def attach_session(database, context, token_hash, session):
    """Record a session for a token stored without one (an old agent's).

    :returns: whether the token was there to attach to.
    """
    with database.writer.connection.using(context) as connection:
        attached = connection.execute(
            sa.update(TOKENS).where(TOKENS.c.token_hash == token_hash,
                                    TOKENS.c.session_id.is_(None))
            .values(session_id=session['uuid'])).rowcount
        if attached:
            session_store.insert(connection, session)
    return bool(attached)


def get_with_instance(database, context, token_hash, now):
    """Return the unexpired token row joined with its instance and session.

    One query for all three, since every validation needs them: the row
    has the token table's columns, ``instance_host`` (``None`` when the
    instance is deleted or unknown) and its session's ``session_*``
    columns (``None`` without a session).

    :param now: current time in Unix seconds.
    :returns: a read-only row, or ``None`` (unknown or expired).
    """
    live = sa.and_(INSTANCES.c.uuid == TOKENS.c.instance_uuid,
                   INSTANCES.c.deleted == 0)
    query = (sa.select(TOKENS, INSTANCES.c.host.label('instance_host'),
                       *_SESSION_COLUMNS)
             .select_from(TOKENS.outerjoin(INSTANCES, live).outerjoin(
                 SESSIONS, SESSIONS.c.uuid == TOKENS.c.session_id))
             .where(TOKENS.c.token_hash == token_hash,
                    TOKENS.c.expires > now).limit(1))
    with database.reader.connection.using(context) as connection:
        return connection.execute(query).first()


def destroy_for_instances(database, context, instance_uuids):
    """Delete every token of these instances; return how many."""
    deleted = 0
    with database.writer.using(context) as session:
        for chunk in db_api.chunks(instance_uuids):
            deleted += session.execute(sa.delete(TOKENS).where(
                TOKENS.c.instance_uuid.in_(chunk))).rowcount
    return deleted


def purge_expired(database, context, now, batch_size):
    """Delete tokens with ``expires <= now`` in batches; return how many."""
    return db_api.delete_in_batches(database, context, TOKENS,
                                    TOKENS.c.expires <= now,
                                    batch_size=batch_size)
