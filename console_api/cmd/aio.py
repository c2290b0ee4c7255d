"""``console-api-aio``: API, compute agent and proxies in one process.

For demos and development. Embedded defaults, each overridable by a config
file or the command line: a sqlite database under ``./state`` (created on
first start), the in-process ``inproc://`` transport
(``console_api.inproc_transport``), the fake hypervisor with the shipped
demo inventory, ``noauth2`` authentication and every console type enabled.
Production deployments run ``console-api``, ``console-compute-agent`` and
``console-proxy`` as separate processes.
"""

import os
import sys
import time

from oslo_log import log as logging

from console_api.cmd import lifecycle
from console_api import conf

CONF = conf.CONF
LOG = logging.getLogger(__name__)
PROG = 'console-api-aio'

_ETC_DIRS = (
    os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..',
                 'etc', 'console_api'),
    os.path.join(sys.prefix, 'etc', 'console_api'),
    '/etc/console_api',
)


def _shipped_file(name):
    for directory in _ETC_DIRS:
        path = os.path.abspath(os.path.join(directory, name))
        if os.path.isfile(path):
            return path
    return name


def embedded_defaults():
    """The defaults that make the all-in-one run with nothing installed."""
    return {
        (None, 'state_path'): os.path.abspath('state'),
        (None, 'transport_url'): 'inproc://',
        ('database', 'connection'): 'sqlite:///$state_path/console_api.sqlite',
        (None, 'compute_driver'): 'fake',
        (None, 'host'): 'aio-compute',
        (None, 'osapi_compute_listen'): '127.0.0.1',
        ('api', 'auth_strategy'): 'noauth2',
        ('fake_driver', 'inventory_file'):
            _shipped_file('fake-inventory.yaml'),
        ('spice', 'enabled'): True,
        ('serial_console', 'enabled'): True,
        ('rdp', 'enabled'): True,
        ('mks', 'enabled'): True,
        ('vnc', 'novncproxy_host'): '127.0.0.1',
        ('spice', 'html5proxy_host'): '127.0.0.1',
        ('serial_console', 'serialproxy_host'): '127.0.0.1',
        ('vnc', 'novncproxy_base_url'): 'http://127.0.0.1:6080/vnc_lite.html',
    }


def prepare_database():
    """Create the state directory and bring the schema to its head.

    :returns: the ``Database`` the API and the agent share.
    """
    from console_api.db import api as db_api
    from console_api.db import migration
    if CONF.database.connection.startswith('sqlite:///'):
        os.makedirs(CONF.state_path, exist_ok=True)
    database = db_api.Database(CONF)
    migration.db_sync(database.get_engine())
    return database


def drop_missing_web_roots():
    """Serve websockets only where a client's static files are missing.

    A fresh machine may lack Debian's novnc or spice-html5 packages; the
    demo must still start, and the console URLs still work with a client
    served from elsewhere.
    """
    for name in ('web', 'spice_web'):
        path = getattr(CONF, name)
        if path and not os.path.isdir(path):
            LOG.warning('console-api-aio: %(path)s ([DEFAULT] %(name)s) does '
                        'not exist; that proxy serves websockets only',
                        {'path': path, 'name': name})
            CONF.set_override(name, '')


class AllInOne(object):
    """API server, compute agent and proxies sharing one process."""

    def __init__(self):
        self.agent = None
        self.proxy = None
        self.api = None
        self.services = None

    def start(self):
        from console_api.api import deploy
        from console_api.cmd import api as api_cmd
        from console_api.compute import agent as agent_module
        self.services = deploy.build_services(CONF, prepare_database())
        self.agent = agent_module.ComputeAgent(
            CONF, transport=self.services.transport,
            database=self.services.database)
        self.agent.start()
        from console_api.proxy import server as proxy_server
        drop_missing_web_roots()
        # The proxies hear session ends on the services' transport.
        self.proxy = proxy_server.ProxyService(
            CONF, transport=self.services.transport)
        self.proxy.start_in_thread()
        self.api = api_cmd.ApiServer(deploy.loadapp(CONF, self.services))
        self.api.start()
        LOG.warning('%s: noauth2 trusts every caller; for development only. '
                    'API on http://%s:%s/', PROG,
                    *self.api.server.bind_addr[:2])

    def stop(self, timeout=0):
        """Stop the API, the proxies, then the agent.

        :param timeout: seconds API requests and console sessions in flight
            share to end (``None``: no limit).
        """
        end = None if timeout is None else time.monotonic() + timeout
        if self.api is not None:
            self.api.stop(timeout)
        if self.proxy is not None:
            self.proxy.stop(None if end is None
                            else max(0, end - time.monotonic()))
        if self.agent is not None:
            self.agent.stop()
        if self.services is not None:
            self.services.close()
            self.services = None

    def reload(self):
        """Re-read the API's policy file (SIGHUP)."""
        if self.services is not None:
            self.services.policy.reload()


def _build():
    aio = AllInOne()
    return aio.start, aio.stop, aio.reload


def main():
    sys.exit(lifecycle.main(PROG, _build,
                            default_overrides=embedded_defaults()))
