"""The compute agent service: driver, RPC server and periodic jobs.

``ComputeAgent`` is what ``console-compute-agent`` runs, and what the
all-in-one command runs in-process next to the API on an ``inproc://``
transport. It uses threads only.
"""

import threading

from futurist import periodics
from oslo_log import log as logging
import oslo_messaging as messaging

from console_api.compute import manager as agent_manager
from console_api.compute import rpcapi
from console_api.console import auth
from console_api import context as ca_context
from console_api.db import api as db_api
from console_api import exception
from console_api.proxy import rpcapi as proxy_rpcapi
from console_api import rpc
from console_api.virt import driver as virt_driver

LOG = logging.getLogger(__name__)


class ComputeAgent(object):
    """One compute agent: serves console RPCs for ``host``.

    :param conf: the ``ConfigOpts`` to read (``console_api.conf.CONF``).
    :param host: the host name to serve; ``conf.host`` by default.
    :param driver: a ``ComputeDriver`` not yet started; by default
        ``conf.compute_driver`` is loaded.
    :param transport: an oslo.messaging transport; by default one is
        created from ``conf`` at start and released at stop.
    :param database: a ``Database``; by default one is built from
        ``conf`` and disposed of at stop.
    """

    def __init__(self, conf, host=None, driver=None, transport=None,
                 database=None):
        self.conf = conf
        self.host = host or conf.host
        self.driver = driver
        self.transport = transport
        self._owns_transport = transport is None
        self.database = database or db_api.Database(conf)
        self._owns_database = database is None
        self.manager = None
        self._server = None
        self._worker = None
        self._worker_thread = None
        self._started = False
        self._driver_ready = False

    def start(self):
        """Start the driver, report in, sync, then serve RPC and periodics.

        The agent heartbeats and syncs its inventory once before accepting
        RPC, so the API never routes a request to an agent whose servers it
        does not know yet.

        :raises ConsoleApiException: the driver cannot be loaded or started,
            or the hypervisor/inventory cannot be read.
        :raises oslo_db.exception.DBError: the database is unreachable.
        :raises ServiceUnavailable: the message broker cannot be reached.
        :raises oslo_messaging.MessagingException: bad transport URL.
        """
        if self.transport is None:
            self.transport = rpc.create_transport(self.conf)
        _check_transport(self.transport)
        if self.driver is None:
            self.driver = virt_driver.load_driver(self.conf.compute_driver)
        # From here on the driver may hold resources, even if init fails.
        self._driver_ready = True
        self.driver.init_host(self.host)
        self.manager = agent_manager.ConsoleAgentManager(
            self.driver, self.host, self.database,
            auth.ConsoleAuth(self.database, self.conf), self.conf,
            proxy_rpcapi.ConsoleProxyAPI(self.transport))
        self.manager.heartbeat()
        self.manager.sync_inventory(raise_errors=True)

        target = messaging.Target(topic=rpcapi.TOPIC, server=self.host)
        self._server = rpc.get_server(self.transport, target,
                                      [self.manager])
        self._server.start()
        self._start_periodics()
        self._started = True
        LOG.info('Compute agent for host %(host)s started (driver %(drv)s)',
                 {'host': self.host, 'drv': type(self.driver).__name__})

    def stop(self):
        """Stop serving RPC and periodic jobs; return once their threads end.

        Safe to call more than once, and after a failed ``start()``.
        """
        if self._server is not None:
            self._server.stop()
            self._server.wait()
            self._server = None
        if self._worker is not None:
            self._worker.stop()
            self._worker.wait()
            self._worker_thread.join()
            self._worker = None
            self._worker_thread = None
        if self._driver_ready:
            self._driver_ready = False
            self.driver.cleanup_host()
        self.manager = None
        if self._owns_transport and self.transport is not None:
            self.transport.cleanup()
            self.transport = None
        if self._owns_database:
            self.database.dispose()
        if self._started:
            self._started = False
            LOG.info('Compute agent for host %s stopped', self.host)

    def _periodic_jobs(self):
        manager = self.manager
        return [
            (self.conf.report_interval, manager.heartbeat),
            (self.conf.sync_instances_interval, manager.sync_inventory),
            (self.conf.consoleauth.purge_interval,
             manager.purge_expired_tokens),
        ]

    def _start_periodics(self):
        callables = []
        for spacing, job in self._periodic_jobs():
            if spacing <= 0:
                LOG.info('Periodic job %s disabled', job.__name__)
                continue
            callables.append((_as_periodic(job, spacing), (), {}))
        if not callables:
            return
        # futurist logs a failing run and keeps the job scheduled, so a
        # database or hypervisor hiccup never stops heartbeats for good.
        self._worker = periodics.PeriodicWorker(callables)
        self._worker_thread = threading.Thread(
            target=self._worker.start, name='agent-periodics', daemon=True)
        self._worker_thread.start()


def _check_transport(transport):
    """Fail at once if the message broker cannot be reached.

    An RPC server retries its broker connection forever, so an agent with a
    wrong ``transport_url`` would hang at start instead of saying why. One
    fanout cast without retries to a topic nobody consumes proves the
    broker answers and leaves nothing behind.
    """
    target = messaging.Target(topic=rpcapi.TOPIC + '-probe', fanout=True)
    client = rpc.get_client(transport, target)
    try:
        client.prepare(retry=0).cast(ca_context.get_admin_context(), 'probe')
    except Exception as exc:
        # Drivers raise their own library's errors here (kombu, ...). The
        # URL is not repeated: it may hold a password.
        raise exception.ServiceUnavailable(
            reason='cannot reach the message broker of [DEFAULT] '
                   'transport_url: %s' % exc)


def _as_periodic(job, spacing):
    # futurist marks the function object itself, which a bound method does
    # not allow; a small wrapper per job carries the marks instead.
    def run():
        return job()
    run.__name__ = job.__name__
    return periodics.periodic(spacing, run_immediately=False)(run)
