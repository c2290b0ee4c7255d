"""The console-auth service: console tokens and their sessions.

One object owns every step of a token's life, as Nova's ``ConsoleAuthToken``
does: ``issue`` (generate, hash, store, build the access URL, record the
session), ``validate`` (the one rule the API's token lookup and every proxy
apply), ``connect``/``disconnect`` (a proxy's use of a session: single use,
resume, limits), ``end`` (the API, a vanished server, a dead proxy),
``revoke`` for instances and the purges. Only the token's SHA-256 is stored
and only ``tokens.log_form`` of it is logged. The tables' SQL is private to
this service (``token_store``, ``session_store``).
"""

import dataclasses
import datetime
import typing

from oslo_log import log as logging
from oslo_utils import timeutils
from oslo_utils import uuidutils

from console_api.console import session_store
from console_api.console import sessions
from console_api.console import token_store
from console_api.console import tokens
from console_api import exception

LOG = logging.getLogger(__name__)


class TokenRejected(exception.InvalidToken):
    """A token opens nothing; ``reason`` says why, never the token."""

    def __init__(self, reason):
        super().__init__()
        self.reason = reason

    def __str__(self):
        return self.reason


@dataclasses.dataclass(frozen=True)
class ConnectInfo:
    """Where a valid token leads, and until when it is good.

    ``expires`` is in Unix seconds; ``access_url_base`` is the base the
    console URL was built from (its scheme is what an ``Origin`` must
    match); ``token_hash`` identifies the console in logs (through
    ``log_id``); ``session_id`` names the console session it belongs to,
    once sessions are recorded.
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
    compute_host: typing.Optional[str] = None
    session_id: typing.Optional[str] = None
    view_only: bool = False
    project_id: typing.Optional[str] = None
    user_id: typing.Optional[str] = None
    # Sessions this connection replaced (over the per-server limit).
    replaced: tuple = ()

    @property
    def log_id(self):
        return tokens.log_form(self.token_hash)


@dataclasses.dataclass(frozen=True)
class IssuedConsole:
    """What ``issue`` handed out: the URL (holding the token) and its ids."""

    url: str
    token_hash: str
    expires: int
    session_id: typing.Optional[str] = None


class ConsoleAuth(object):
    """Console tokens of one database.

    :param database: the ``console_api.db.api.Database`` holding them.
    :param conf: the ``ConfigOpts`` whose ``[consoleauth]`` options apply
        (read at each use, so a reloaded ``token_ttl`` takes effect).
    """

    def __init__(self, database, conf):
        self.database = database
        self.conf = conf

    def issue(self, context, instance_uuid, compute_host, console_type,
              base_url, endpoint, internal_access_path, session=None):
        """Create a token for a console and return its access URL.

        :param endpoint: the driver's ``ConsoleEndpoint`` (``host``,
            ``port``, ``tls_port``) the token leads to.
        :param internal_access_path: what the proxy sends the console
            first (``None`` for none).
        :param session: who asked (``session_request()``'s dict); the
            session is recorded with the token, in one transaction.
        :raises InstanceNotFound: the instance is unknown or deleted.
        :raises TokenInUse: the new token collides (never in practice).
        """
        token = tokens.generate()
        token_hash = tokens.hash_token(token)
        expires = timeutils.utcnow_ts() + self.conf.consoleauth.token_ttl
        session_row = None
        if session is not None:
            session_row = self._session_row(session, instance_uuid,
                                            console_type, expires)
        token_store.create(self.database, context, {
            'session_id': session_row and session_row['uuid'],
            'token_hash': token_hash,
            'console_type': console_type,
            'host': endpoint.host,
            'port': endpoint.port,
            'tls_port': endpoint.tls_port,
            'internal_access_path': internal_access_path,
            'instance_uuid': instance_uuid,
            'compute_host': compute_host,
            'access_url_base': base_url,
            'expires': expires,
        }, session=session_row)
        LOG.info('Issued %(type)s console token %(token)s for instance '
                 '%(uuid)s', {'type': console_type,
                              'token': tokens.log_form(token_hash),
                              'uuid': instance_uuid})
        return IssuedConsole(
            url=tokens.access_url(console_type, base_url, token),
            token_hash=token_hash, expires=expires,
            session_id=session_row and session_row['uuid'])

    def attach_session(self, context, url, instance_uuid, console_type,
                       session):
        """Record the session of a token an old agent issued without one.

        :param url: the access URL the agent returned (holding the token).
        :returns: the new session's id, or ``None`` if the token is gone.
        """
        token = tokens.from_url(url)
        if not token:
            return None
        row = self._session_row(
            session, instance_uuid, console_type,
            timeutils.utcnow_ts() + self.conf.consoleauth.token_ttl)
        if token_store.attach_session(self.database, context,
                                      tokens.hash_token(token), row):
            return row['uuid']
        return None

    @staticmethod
    def _session_row(session, instance_uuid, console_type, expires):
        return dict(session, uuid=uuidutils.generate_uuid(),
                    instance_uuid=instance_uuid, console_type=console_type,
                    expires_at=datetime.datetime.utcfromtimestamp(expires))

    def validate(self, context, token):
        """Return the ``ConnectInfo`` of a token that may open its console.

        The one rule: the token has our shape, its row exists and has not
        expired, its instance still lives on the host the token was issued
        on (a deleted or moved server's console is gone), and its session,
        if it has one, was not ended for good. Looking does not use the
        token (``connect`` does).

        :raises TokenRejected: with the reason, for logs.
        :raises oslo_db.exception.DBError: the database failed.
        """
        return self._info(self._lookup(context, token))

    def _lookup(self, context, token):
        if not tokens.looks_valid(token):
            raise TokenRejected('malformed token')
        row = token_store.get_with_instance(
            self.database, context, tokens.hash_token(token),
            timeutils.utcnow_ts())
        if row is None:
            raise TokenRejected('unknown, expired or revoked token')
        if row.instance_host is None:
            raise TokenRejected('instance %s no longer exists'
                                % row.instance_uuid)
        if row.instance_host != row.compute_host:
            raise TokenRejected('instance %s moved from %s to %s'
                                % (row.instance_uuid, row.compute_host,
                                   row.instance_host))
        status = row.session_status
        if status in (sessions.REVOKED, sessions.EXPIRED) or (
                status == sessions.CLOSED and
                row.session_close_reason not in sessions.RESUMABLE):
            raise TokenRejected('session %s ended (%s)'
                                % (row.session_id, row.session_close_reason))
        return row

    @staticmethod
    def _info(row, replaced=()):
        return ConnectInfo(
            console_type=row.console_type, host=row.host, port=row.port,
            instance_uuid=row.instance_uuid, expires=row.expires,
            token_hash=row.token_hash,
            internal_access_path=row.internal_access_path,
            access_url_base=row.access_url_base, tls_port=row.tls_port,
            compute_host=row.compute_host, session_id=row.session_id,
            view_only=bool(row.session_view_only),
            project_id=row.session_project_id,
            user_id=row.session_user_id, replaced=tuple(replaced))

    def connect(self, context, token, client_address, proxy_host):
        """Use a token for a new connection of ``client_address``.

        On top of ``validate``'s rule, with ``[consoleauth] single_use``: an
        unused session becomes active and bound to the address; an active
        one takes more connections from that address only; one whose
        client went away takes it back within ``reconnect_window``.
        Without single use any address may connect while the token lasts.
        A new active session beyond ``max_sessions_per_server`` is refused
        or replaces the oldest (``ConnectInfo.replaced`` names those).

        :raises TokenRejected: ``token already used``, ``session limit
            reached`` or any reason of ``validate``.
        """
        row = self._lookup(context, token)
        if row.session_id is None:
            # Issued before sessions were recorded: Nova's rules.
            return self._info(row)
        single = self.conf.consoleauth.single_use
        if row.session_status == sessions.ACTIVE:
            if not single or row.session_client_address == client_address:
                return self._info(row)
            raise TokenRejected('token already used')
        replaced = self._make_room(context, row)
        window = datetime.timedelta(
            seconds=self.conf.consoleauth.reconnect_window)
        resume_after = (timeutils.utcnow() - window if single
                        else datetime.datetime.min)
        if session_store.activate(self.database, context, row.session_id,
                                  client_address, proxy_host,
                                  resume_after=resume_after,
                                  any_address=not single):
            return self._info(row, replaced)
        # Another connection won the race: a sibling channel from the same
        # address (spice-html5) joins it; anyone else is refused.
        current = session_store.get(self.database, context, row.session_id)
        if (current is not None and current.status == sessions.ACTIVE and
                (not single or current.client_address == client_address)):
            return self._info(row)
        raise TokenRejected('token already used')

    def _make_room(self, context, row):
        """Apply the per-server limit before a session becomes active."""
        serial = row.session_protocol == 'serial'
        if row.session_view_only and not serial:
            return []
        limit = 1 if serial else self.conf.consoleauth.max_sessions_per_server
        if not limit:
            return []
        # A serial port takes one client, watchers included.
        active = session_store.active_of_server(
            self.database, context, row.instance_uuid,
            console_type=row.console_type if serial else None,
            view_only=serial)
        # The session itself may already be active (a sibling channel or
        # a racing proxy won): it never makes room for itself.
        active = [session for session in active
                  if session.uuid != row.session_id]
        excess = len(active) - limit + 1
        if excess <= 0:
            return []
        if not serial and (self.conf.consoleauth.session_limit_action
                           == 'refuse'):
            raise TokenRejected('session limit reached')
        oldest = [session.uuid for session in active[:excess]]
        return self.end(context, oldest, 'replaced')

    def disconnect(self, context, session_id, reason):
        """Record that the last connection of an active session closed.

        :returns: whether the session was still active (an ended one keeps
            the reason it ended with).
        """
        return session_store.close(self.database, context, session_id,
                                   reason)

    def add_bytes(self, context, deltas):
        """Add relayed byte counts to sessions, in one batched write."""
        session_store.add_bytes(self.database, context, deltas)

    def end(self, context, session_ids, reason):
        """End sessions for good: unused ones revoked, active ones closed.

        :returns: the ids of those that were active, which their proxy must
            cut.
        """
        if not session_ids:
            return []
        return session_store.end(
            self.database, context,
            [session_store.SESSIONS.c.uuid.in_(list(session_ids))], reason)

    def end_for_instances(self, context, instance_uuids, reason):
        """End every live session of these servers (gone or moved)."""
        if not instance_uuids:
            return []
        return session_store.end(
            self.database, context,
            [session_store.SESSIONS.c.instance_uuid.in_(
                list(instance_uuids))], reason)

    def end_for_proxies(self, context, proxy_hosts):
        """End the active sessions of proxies that are gone (proxy_lost)."""
        if not proxy_hosts:
            return []
        return session_store.end(
            self.database, context,
            [session_store.SESSIONS.c.proxy_host.in_(list(proxy_hosts))],
            'proxy_lost')

    def statuses(self, context, session_ids):
        """Return ``{id: (status, close_reason)}`` of these sessions."""
        return session_store.statuses(self.database, context, session_ids)

    def get_session(self, context, session_id):
        """Return the session row with ``session_id`` or ``None``."""
        return session_store.get(self.database, context, session_id)

    def list_sessions(self, context, **filters):
        """Return session rows newest first; see ``session_store``."""
        return session_store.list_sessions(self.database, context,
                                           **filters)

    def housekeeping(self, context, down_time):
        """Periodic upkeep of sessions, safe for any number of callers.

        Unused sessions whose token expired become ``expired``; active
        sessions of proxies whose heartbeat is older than ``down_time``
        end as ``proxy_lost``; ended sessions older than
        ``session_retention`` are purged in batches.

        :returns: the ids of the sessions ended as ``proxy_lost``.
        """
        session_store.expire_unused(self.database, context)
        lost = self.end_for_proxies(
            context, session_store.dead_proxy_hosts(self.database, context,
                                                    down_time))
        before = timeutils.utcnow() - datetime.timedelta(
            seconds=self.conf.consoleauth.session_retention)
        session_store.purge_ended(self.database, context, before,
                                  self.conf.consoleauth.purge_batch_size)
        return lost

    def revoke(self, context, instance_uuids):
        """Delete every token of these instances; return how many."""
        count = token_store.destroy_for_instances(self.database, context,
                                                  instance_uuids)
        if count:
            LOG.info('Revoked %(count)d console tokens of %(n)d instances',
                     {'count': count, 'n': len(instance_uuids)})
        return count

    def purge_expired(self, context, batch_size):
        """Delete expired tokens (of every host) in bounded batches.

        :returns: how many rows were deleted.
        """
        count = token_store.purge_expired(self.database, context,
                                          timeutils.utcnow_ts(), batch_size)
        if count:
            LOG.info('Purged %d expired console tokens', count)
        return count
