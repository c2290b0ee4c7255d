"""Service layer between the API controllers and the compute agents.

Resolves instances, checks that a console can be opened (state, agent
liveness) and asks the instance's agent over RPC. Used only by the API:
an agent never imports this module.
"""

import threading
import time

from oslo_log import log as logging
import oslo_messaging as messaging
from oslo_utils import timeutils
from oslo_utils import uuidutils

from console_api.compute import power_state
from console_api.compute import rpcapi
from console_api.compute import task_states
from console_api import conf as ca_conf
from console_api.console import tokens
from console_api.console import types as console_types
from console_api.db import api as db
from console_api import exception

CONF = ca_conf.CONF
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

    :param rpcapi_client: a ``ConsoleAgentAPI``; one is made by default
        (it needs ``console_api.rpc.init()`` before the first console call).
    :param service_cache_seconds: how long an agent's service row is reused
        between liveness checks; 0 reads it on every request.
    """

    def __init__(self, rpcapi_client=None,
                 service_cache_seconds=SERVICE_CACHE_SECONDS):
        self.agent_rpcapi = rpcapi_client or rpcapi.ConsoleAgentAPI()
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
        instance = db.instance_get(context, uuid, project_id=project_id)
        if instance is None:
            raise exception.InstanceNotFound(instance_id=uuid)
        return instance

    def list_instances(self, context, project_id=None):
        """Return the instance rows, of one project when ``project_id``."""
        return db.instance_get_all(context, project_id=project_id)

    def check_console_type(self, protocol, console_type):
        """Refuse a type the configuration does not serve: no DB, no RPC."""
        console_types.check(CONF, protocol, console_type)

    def get_console(self, context, instance, protocol, console_type):
        """Open a console of ``instance`` and return its access URL.

        :param instance: a row from ``get_instance()``.
        :param protocol: ``vnc``, ``spice``, ``serial``, ``rdp`` or ``mks``.
        :param console_type: the type within the protocol (``novnc``, ...).
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
                host=host, down_time=CONF.service_down_time)
        try:
            result = self.agent_rpcapi.get_console(
                context, host, uuid, protocol, console_type)
        except messaging.MessagingTimeout:
            LOG.warning('Compute agent on %(host)s did not answer a console '
                        'request for %(uuid)s within %(timeout)s s',
                        {'host': host, 'uuid': uuid,
                         'timeout': CONF.rpc_call_timeout})
            raise exception.ComputeAgentTimeout(
                host=host, timeout=CONF.rpc_call_timeout)
        return result['url']

    def get_token_info(self, context, token):
        """Return the stored row of a valid (known, unexpired) token.

        :raises InvalidToken: malformed, unknown, revoked or expired.
        """
        if not tokens.looks_valid(token):
            raise exception.InvalidToken()
        row = db.token_get_valid(context, tokens.hash_token(token),
                                 timeutils.utcnow_ts())
        if row is None:
            raise exception.InvalidToken()
        return row

    def _agent_is_up(self, context, host):
        service = self._get_service(context, host)
        # No row: the agent never started, or its row was removed.
        return (service is not None and
                db.service_is_up(service, CONF.service_down_time))

    def _get_service(self, context, host):
        now = _clock()
        with self._cache_lock:
            cached = self._service_cache.get(host)
        if cached is not None and cached[0] > now:
            return cached[1]
        service = db.service_get(context, host, rpcapi.AGENT_BINARY)
        # A missing row is not cached, so a newly started agent is seen at
        # once.
        if service is not None and self._cache_seconds > 0:
            with self._cache_lock:
                self._service_cache[host] = (now + self._cache_seconds,
                                             service)
        return service
