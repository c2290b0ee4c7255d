"""The compute agent's RPC endpoint and periodic jobs.

``ConsoleAgentManager`` turns a console request into a token: it checks
that this host serves the protocol and type, asks the hypervisor driver
where the console listens, and stores the token's hash with that endpoint.
The same object keeps the inventory and the service row fresh.
"""

from oslo_log import log as logging
import oslo_messaging as messaging
from oslo_utils import timeutils

from console_api.compute import rpcapi
from console_api import conf as ca_conf
from console_api.console import tokens
from console_api.console import types as console_types
from console_api import context as ca_context
from console_api.db import api as db
from console_api import exception

CONF = ca_conf.CONF
LOG = logging.getLogger(__name__)


def _hash_prefix(token_hash):
    """The part of a token's hash that logs may show."""
    return token_hash[:8]


class ConsoleAgentManager(object):
    """RPC endpoint of a compute agent (interface version 1.0).

    :param driver: a started ``console_api.virt.driver.ComputeDriver``.
    :param host: the name this agent serves RPC for and reports servers on.
    """

    target = messaging.Target(version=rpcapi.RPC_API_VERSION)

    def __init__(self, driver, host):
        self.driver = driver
        self.host = host

    # -- RPC methods -------------------------------------------------------

    @messaging.expected_exceptions(exception.ConsoleTypeInvalid,
                                   exception.ConsoleTypeUnavailable,
                                   exception.ConsoleNotSupported,
                                   exception.InstanceNotFound,
                                   exception.HypervisorUnavailable,
                                   exception.TokenInUse)
    def get_console(self, context, instance_uuid, protocol, console_type):
        """Issue a token for one console of an instance on this host.

        :returns: ``{'url': access_url}`` with the token in the URL; the
            token itself is stored only as its SHA-256.
        :raises ConsoleTypeUnavailable: the protocol is disabled here, or
            the guest has no such device.
        :raises ConsoleTypeInvalid: the type does not belong to the protocol.
        :raises ConsoleNotSupported: the driver cannot provide the protocol.
        :raises InstanceNotFound: the hypervisor or inventory lacks it.
        """
        row = console_types.check(CONF, protocol, console_type)
        base_url = getattr(getattr(CONF, row.group), row.url_option)

        try:
            endpoint = self.driver.get_console(protocol, instance_uuid)
        except exception.ConsoleTypeUnavailable:
            # Drivers name the protocol; users asked for a type.
            raise exception.ConsoleTypeUnavailable(console_type=console_type)
        internal_access_path = (None if row.direct
                                else endpoint.internal_access_path)

        token = tokens.generate()
        token_hash = tokens.hash_token(token)
        expires = timeutils.utcnow_ts() + CONF.consoleauth.token_ttl
        db.token_create(ca_context.get_admin_context(), {
            'token_hash': token_hash,
            'console_type': console_type,
            'host': endpoint.host,
            'port': endpoint.port,
            'tls_port': endpoint.tls_port,
            'internal_access_path': internal_access_path,
            'instance_uuid': instance_uuid,
            'compute_host': self.host,
            'access_url_base': base_url,
            'expires': expires,
        })
        LOG.info('Issued %(type)s console token %(hash)s... for instance '
                 '%(uuid)s', {'type': console_type,
                              'hash': _hash_prefix(token_hash),
                              'uuid': instance_uuid})
        return {'url': tokens.access_url(console_type, base_url, token)}

    def revoke_tokens(self, context, instance_uuid):
        """Delete every console token of an instance."""
        self._revoke(ca_context.get_admin_context(), instance_uuid)

    def resync_all(self, context):
        """Sync the inventory now instead of at the next periodic run."""
        self.sync_inventory()

    # -- periodic jobs -----------------------------------------------------

    def heartbeat(self):
        """Tell the API this agent is alive (upserts the service row)."""
        db.service_heartbeat(ca_context.get_admin_context(), self.host,
                             rpcapi.AGENT_BINARY, rpcapi.RPC_API_VERSION)

    def sync_inventory(self, raise_errors=False):
        """Record what the hypervisor runs and revoke tokens that lost it.

        Tokens of instances that vanished from this host, or that moved here
        from another host (their tokens name the old host's endpoint), are
        deleted.

        :param raise_errors: re-raise a hypervisor or inventory failure
            (the agent's start wants that); otherwise it is logged and the
            inventory is left as it was, so a hypervisor hiccup never makes
            servers look gone.
        :returns: the database's ``SyncResult``, or ``None`` when the
            hypervisor could not be read.
        """
        try:
            domains = self.driver.list_domains()
        except (exception.HypervisorUnavailable,
                exception.InventoryError) as exc:
            if raise_errors:
                raise
            LOG.warning('Inventory sync skipped: %s', exc)
            return None
        ctxt = ca_context.get_admin_context()
        result = db.instance_sync_host(ctxt, self.host, domains)
        for uuid in list(result.removed) + list(result.moved):
            self._revoke(ctxt, uuid)
        if result.added or result.changed or result.removed or result.moved:
            LOG.info('Inventory of %(host)s: %(total)d servers, %(added)d '
                     'added, %(changed)d changed, %(removed)d removed, '
                     '%(moved)d moved here',
                     {'host': self.host, 'total': len(domains),
                      'added': len(result.added),
                      'changed': len(result.changed),
                      'removed': len(result.removed),
                      'moved': len(result.moved)})
        else:
            LOG.debug('Inventory of %(host)s unchanged: %(total)d servers',
                      {'host': self.host, 'total': len(domains)})
        return result

    def purge_expired_tokens(self):
        """Delete expired tokens (of every host) in bounded batches.

        :returns: how many rows were deleted.
        """
        count = db.token_purge_expired(ca_context.get_admin_context(),
                                       timeutils.utcnow_ts(),
                                       CONF.consoleauth.purge_batch_size)
        if count:
            LOG.info('Purged %d expired console tokens', count)
        return count

    def _revoke(self, ctxt, instance_uuid):
        count = db.token_destroy_for_instance(ctxt, instance_uuid)
        if count:
            LOG.info('Revoked %(count)d console tokens of instance %(uuid)s',
                     {'count': count, 'uuid': instance_uuid})
        return count
