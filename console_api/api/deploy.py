"""Assembly of the API: its services, built once, handed to the router.

``build_services(conf)`` creates what the controllers use (the database,
the RPC transport with the agent and proxy clients, the policy, the
console-auth service and the compute and console-session service layers)
from one ``ConfigOpts``; ``loadapp`` loads the Paste pipeline with them.
The router's Paste factory takes the services of the ``loadapp`` call that
is loading it, or builds its own from the global configuration when another
API's Paste file mounts the router.
"""

import contextvars
import dataclasses

from oslo_config import cfg

from console_api.api import loader
from console_api.compute import api as compute_api
from console_api.compute import rpcapi
from console_api import conf as ca_conf
from console_api.console import auth
from console_api.console import session_api
from console_api.db import api as db_api
from console_api import policy
from console_api.proxy import rpcapi as proxy_rpcapi
from console_api import rpc

# The services of the loadapp() call in progress on this thread, if any.
_LOADING = contextvars.ContextVar('console_api_services', default=None)


@dataclasses.dataclass
class Services:
    """What the API's controllers work with, built once per app."""

    conf: cfg.ConfigOpts
    database: db_api.Database
    transport: object
    policy: policy.Policy
    console_auth: auth.ConsoleAuth
    compute: compute_api.ConsoleAPI
    proxy: proxy_rpcapi.ConsoleProxyAPI
    sessions: session_api.ConsoleSessionAPI

    def close(self):
        """Release the transport and the database connections."""
        self.transport.cleanup()
        self.database.dispose()


def build_services(conf, database=None, transport=None):
    """Build the API's services from ``conf``.

    :param database: share an existing ``Database`` (the all-in-one).
    :param transport: share an existing RPC transport.
    """
    database = database or db_api.Database(conf)
    transport = transport or rpc.create_transport(conf)
    console_auth = auth.ConsoleAuth(database, conf)
    proxy = proxy_rpcapi.ConsoleProxyAPI(transport)
    return Services(
        conf=conf, database=database, transport=transport,
        policy=policy.Policy(conf), console_auth=console_auth,
        compute=compute_api.ConsoleAPI(
            conf, database, console_auth,
            rpcapi.ConsoleAgentAPI(transport, conf)),
        proxy=proxy,
        sessions=session_api.ConsoleSessionAPI(conf, console_auth, proxy))


def loadapp(conf, services=None, path=None, name=loader.DEFAULT_APP):
    """Load the Paste app ``name`` around a router using ``services``.

    :param services: built from ``conf`` when not given.
    :raises PasteAppNotFound: the ini is broken (one line says why).
    """
    token = _LOADING.set(services or build_services(conf))
    try:
        return loader.load_app(name=name, path=path)
    finally:
        _LOADING.reset(token)


def services_for_router():
    """The services a router being loaded by Paste must use."""
    return _LOADING.get() or build_services(ca_conf.CONF)
