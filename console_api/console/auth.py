"""The console-auth service: console tokens from issue to purge.

One object owns every step of a token's life, as Nova's ``ConsoleAuthToken``
does: ``issue`` (generate, hash, store, build the access URL), ``validate``
(the one rule the API's token lookup and every proxy apply), ``revoke`` for
instances and ``purge_expired``. Only the token's SHA-256 is stored and
only ``tokens.log_form`` of it is logged. The table's SQL is private to
this service (``token_store``).
"""

import dataclasses
import typing

from oslo_log import log as logging
from oslo_utils import timeutils

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
              base_url, endpoint, internal_access_path):
        """Create a token for a console and return its access URL.

        :param endpoint: the driver's ``ConsoleEndpoint`` (``host``,
            ``port``, ``tls_port``) the token leads to.
        :param internal_access_path: what the proxy sends the console
            first (``None`` for none).
        :raises InstanceNotFound: the instance is unknown or deleted.
        :raises TokenInUse: the new token collides (never in practice).
        """
        token = tokens.generate()
        token_hash = tokens.hash_token(token)
        expires = timeutils.utcnow_ts() + self.conf.consoleauth.token_ttl
        token_store.create(self.database, context, {
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
        })
        LOG.info('Issued %(type)s console token %(token)s for instance '
                 '%(uuid)s', {'type': console_type,
                              'token': tokens.log_form(token_hash),
                              'uuid': instance_uuid})
        return IssuedConsole(
            url=tokens.access_url(console_type, base_url, token),
            token_hash=token_hash, expires=expires)

    def validate(self, context, token):
        """Return the ``ConnectInfo`` of a token that may open its console.

        The one rule: the token has our shape, its row exists and has not
        expired, and its instance still lives on the host the token was
        issued on (a deleted or moved server's console is gone).

        :raises TokenRejected: with the reason, for logs.
        :raises oslo_db.exception.DBError: the database failed.
        """
        if not tokens.looks_valid(token):
            raise TokenRejected('malformed token')
        token_hash = tokens.hash_token(token)
        row = token_store.get_with_instance(
            self.database, context, token_hash, timeutils.utcnow_ts())
        if row is None:
            raise TokenRejected('unknown, expired or revoked token')
        if row.instance_host is None:
            raise TokenRejected('instance %s no longer exists'
                                % row.instance_uuid)
        if row.instance_host != row.compute_host:
            raise TokenRejected('instance %s moved from %s to %s'
                                % (row.instance_uuid, row.compute_host,
                                   row.instance_host))
        return ConnectInfo(
            console_type=row.console_type, host=row.host, port=row.port,
            instance_uuid=row.instance_uuid, expires=row.expires,
            token_hash=token_hash,
            internal_access_path=row.internal_access_path,
            access_url_base=row.access_url_base, tls_port=row.tls_port,
            compute_host=row.compute_host)

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
