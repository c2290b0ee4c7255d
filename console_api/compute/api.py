"""Service layer between the API controllers and the compute agents.

Resolves instances, checks that a console can be opened (state, agent
liveness) and asks the instance's agent over RPC. Used only by the API:
an agent never imports this module.
"""

import threading
import time

from oslo_log import log as logging
import oslo_messaging as messaging
from oslo_utils import uuidutils

from console_api.compute import power_state
from console_api.compute import rpcapi
from console_api.compute import task_states
from console_api.console import types as console_types
from console_api import exception
from console_api import liveness

LOG = logging.getLogger(__name__)

# How long a service row read from the database is reused. Safe because the
# row only changes on a heartbeat (every ``report_interval`` >= 1 s) and the
# verdict is still computed against the current time on every request: a
# reused row can only make ``last_seen_up`` look at most this much older,
# which matters only for an agent already at the edge of
# ``service_down_time`` (>= 1 s, in whole seconds).
SERVICE_CACHE_SECONDS = 1.0

# The clock of that cache; immune to wall-clock steps.
_clock = time.monotonic


class ConsoleAPI(object):
    """Console operations on instances, for the API controllers.

    :param conf: the ``ConfigOpts`` to read (``service_down_time``,
        ``rpc_call_timeout``).
    :param database: the ``Database`` holding instances and services.
    :param console_auth: the ``ConsoleAuth`` service (token lookups).
    :param agent_rpcapi: the ``ConsoleAgentAPI`` to reach agents with.
    :param service_cache_seconds: how long an agent's service row is reused
        between liveness checks; 0 reads it on every request.
    """

    def __init__(self, conf, database, console_auth, agent_rpcapi,
                 service_cache_seconds=SERVICE_CACHE_SECONDS):
        self.conf = conf
        self.database = database
        self.console_auth = console_auth
        self.agent_rpcapi = agent_rpcapi
        self._cache_seconds = service_cache_seconds
        self._service_cache = {}
        self._cache_lock = threading.Lock()

    def get_instance(self, context, uuid, project_id=None):
        """Return the instance row with ``uuid``.

        :param project_id: when given, only an instance of that project.
        :raises InstanceNotFound: unknown, deleted, another project's, or
            ``uuid`` is not a UUID at all (then the database is not asked).
        """
        if not uuidutils.is_uuid_like(uuid):
            raise exception.InstanceNotFound(instance_id=uuid)
        instance = self.database.instance_get(context, uuid,
                                              project_id=project_id)
        if instance is None:
            raise exception.InstanceNotFound(instance_id=uuid)
        return instance

    def list_instances(self, context, project_id=None):
        """Return the instance rows, of one project when ``project_id``."""
        return self.database.instance_get_all(context,
                                              project_id=project_id)

    def check_console_type(self, protocol, console_type):
        """Refuse a type the configuration does not serve: no DB, no RPC."""
        console_types.check(self.conf, protocol, console_type)

    def get_console(self, context, instance, protocol, console_type,
                    view_only=False):
        """Open a console of ``instance``; return its URL and session id.

        The console session is recorded with the caller's user id and the
        server's project: by the agent, or here after an agent too old to
        take it (``[upgrade_levels] console_agent = 1.0``).

        :param instance: a row from ``get_instance()``.
        :param protocol: ``vnc``, ``spice``, ``serial``, ``rdp`` or ``mks``.
        :param console_type: the type within the protocol (``novnc``, ...).
        :param view_only: no input may reach the guest.
        :returns: ``(url, session_id)``; the id is ``None`` only if an old
            agent's token vanished before its session could be recorded.
        :raises InstanceNotReady: the instance has no host.
        :raises InstanceInvalidState: it is being deleted or migrated.
        :raises InstanceNotRunning: its domain is not running or paused.
        :raises ComputeHostDown: its agent's heartbeat is stale or missing
            (raised at once, without an RPC call).
        :raises ComputeAgentTimeout: the agent did not answer in time.
        :raises ConsoleApiException: whatever the agent raised on purpose
            (``ConsoleTypeInvalid``, ``ConsoleTypeUnavailable``,
            ``ConsoleNotSupported``, ``InstanceNotFound``, ...).
        """
        uuid = instance.uuid
        host = instance.host
        if not host:
            raise exception.InstanceNotReady(instance_id=uuid)
        if instance.task_state in task_states.CONSOLE_BLOCKING:
            raise exception.InstanceInvalidState(
                attr='task_state', state=instance.task_state,
                method='get_%s_console' % protocol, instance_uuid=uuid)
        if instance.power_state not in power_state.CONSOLE_READY:
            raise exception.InstanceNotRunning(
                instance_id=uuid,
                power_state=power_state.name(instance.power_state))
        if not self._agent_is_up(context, host):
            raise exception.ComputeHostDown(
                host=host, down_time=self.conf.service_down_time)
        session = {'user_id': context.user_id,
                   'project_id': instance.project_id, 'protocol': protocol,
                   'view_only': view_only, 'request_id': context.request_id}
        new_agent = self.agent_rpcapi.can_record_sessions()
        try:
            result = self.agent_rpcapi.get_console(
                context, host, uuid, protocol, console_type,
                session=session if new_agent else None)
        except messaging.MessagingTimeout:
            LOG.warning('Compute agent on %(host)s did not answer a console '
                        'request for %(uuid)s within %(timeout)s s',
                        {'host': host, 'uuid': uuid,
                         'timeout': self.conf.rpc_call_timeout})
            raise exception.ComputeAgentTimeout(
                host=host, timeout=self.conf.rpc_call_timeout)
        if new_agent:
            return result['url'], result['session_id']
        return result['url'], self.console_auth.attach_session(
            context, result['url'], uuid, console_type, session)

    def get_token_info(self, context, token):
        """Return the ``ConnectInfo`` of a token that may open its console.

        :raises InvalidToken: malformed, unknown, revoked or expired, or
            its server is gone or moved (the console-auth service's rule).
        """
        return self.console_auth.validate(context, token)

    def _agent_is_up(self, context, host):
        service = self._get_service(context, host)
        # No row: the agent never started, or its row was removed.
        return liveness.is_up(service, self.conf.service_down_time)

    def _get_service(self, context, host):
        now = _clock()
        with self._cache_lock:
            cached = self._service_cache.get(host)
        if cached is not None and cached[0] > now:
            return cached[1]
        service = self.database.service_get(context, host,
                                            rpcapi.AGENT_BINARY)
        # A missing row is not cached, so a newly started agent is seen at
        # once.
        if service is not None and self._cache_seconds > 0:
            with self._cache_lock:
                self._service_cache[host] = (now + self._cache_seconds,
                                             service)
        return service
