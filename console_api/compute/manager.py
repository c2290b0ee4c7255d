"""The compute agent's RPC endpoint and periodic jobs.

``ConsoleAgentManager`` turns a console request into a token: it checks
that this host serves the protocol and type, asks the hypervisor driver
where the console listens, and stores the token's hash with that endpoint.
The same object keeps the inventory and the service row fresh.
"""

from oslo_log import log as logging
import oslo_messaging as messaging

from console_api.compute import rpcapi
from console_api.console import types as console_types
from console_api import context as ca_context
from console_api import exception

LOG = logging.getLogger(__name__)


class ConsoleAgentManager(object):
    """RPC endpoint of a compute agent (see ``rpcapi`` for the versions).

    :param driver: a started ``console_api.virt.driver.ComputeDriver``.
    :param host: the name this agent serves RPC for and reports servers on.
    :param database: the ``Database`` holding instances and services.
    :param console_auth: the ``ConsoleAuth`` service that issues tokens.
    :param conf: the ``ConfigOpts`` to read.
    :param proxy_rpcapi: a ``ConsoleProxyAPI`` to tell the proxies to cut
        the sessions of servers that vanished (``None``: they find out at
        their next session check).
    """

    target = messaging.Target(version=rpcapi.RPC_API_VERSION)

    def __init__(self, driver, host, database, console_auth, conf,
                 proxy_rpcapi=None):
        self.driver = driver
        self.host = host
        self.database = database
        self.console_auth = console_auth
        self.conf = conf
        self.proxy_rpcapi = proxy_rpcapi

    # -- RPC methods -------------------------------------------------------

    @messaging.expected_exceptions(exception.ConsoleTypeInvalid,
                                   exception.ConsoleTypeUnavailable,
                                   exception.ConsoleNotSupported,
                                   exception.InstanceNotFound,
                                   exception.HypervisorUnavailable,
                                   exception.TokenInUse)
    def get_console(self, context, instance_uuid, protocol, console_type,
                    session=None):
        """Issue a token for one console of an instance on this host.

        :param session: who asked (1.1): the session is recorded with the
            token.
        :returns: ``{'url': access_url, 'session_id': id}`` with the token
            in the URL; the token itself is stored only as its SHA-256.
        :raises ConsoleTypeUnavailable: the protocol is disabled here, or
            the guest has no such device.
        :raises ConsoleTypeInvalid: the type does not belong to the protocol.
        :raises ConsoleNotSupported: the driver cannot provide the protocol.
        :raises InstanceNotFound: the hypervisor or inventory lacks it.
        """
        row = console_types.check(self.conf, protocol, console_type)
        base_url = getattr(getattr(self.conf, row.group), row.url_option)

        try:
            endpoint = self.driver.get_console(protocol, instance_uuid)
        except exception.ConsoleTypeUnavailable:
            # Drivers name the protocol; users asked for a type.
            raise exception.ConsoleTypeUnavailable(console_type=console_type)
        internal_access_path = (None if row.direct
                                else endpoint.internal_access_path)

        issued = self.console_auth.issue(
            ca_context.get_admin_context(), instance_uuid, self.host,
            console_type, base_url, endpoint, internal_access_path,
            session=session)
        return {'url': issued.url, 'session_id': issued.session_id}

    # -- periodic jobs -----------------------------------------------------

    def heartbeat(self):
        """Tell the API this agent is alive (upserts the service row)."""
        self.database.service_heartbeat(
            ca_context.get_admin_context(), self.host, rpcapi.AGENT_BINARY,
            rpcapi.RPC_API_VERSION)

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
        result = self.database.instance_sync_host(ctxt, self.host, domains)
        gone = result.removed + result.moved
        if gone:
            self.console_auth.revoke(ctxt, gone)
            cut = self.console_auth.end_for_instances(ctxt, gone,
                                                      'server_gone')
            if cut and self.proxy_rpcapi is not None:
                self.proxy_rpcapi.end_sessions(ctxt, cut, 'server_gone')
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

        Sessions get their upkeep at the same time (``housekeeping``), so
        that it happens even where no proxy runs.

        :returns: how many token rows were deleted.
        """
        ctxt = ca_context.get_admin_context()
        self.console_auth.housekeeping(ctxt, self.conf.service_down_time)
        return self.console_auth.purge_expired(
            ctxt, self.conf.consoleauth.purge_batch_size)
