"""``console-api``: serve the compute console API with a threaded server.

cheroot (CherryPy's production WSGI server) serves the paste app with
``[DEFAULT] osapi_compute_workers`` threads on
``osapi_compute_listen:osapi_compute_listen_port``. For several processes,
run ``console_api.wsgi.api:application`` under uwsgi or gunicorn instead.
"""

import sys
import threading

from cheroot import wsgi as cheroot_wsgi
from oslo_log import log as logging

from console_api.cmd import lifecycle
from console_api import conf

CONF = conf.CONF
LOG = logging.getLogger(__name__)
PROG = 'console-api'


class ApiServer(object):
    """cheroot serving ``app`` from a thread of its own."""

    def __init__(self, app):
        self.server = cheroot_wsgi.Server(
            (CONF.osapi_compute_listen, CONF.osapi_compute_listen_port),
            app, numthreads=CONF.osapi_compute_workers, server_name=PROG,
            timeout=CONF.wsgi.client_socket_timeout)
        self._thread = threading.Thread(target=self.server.serve,
                                        name=PROG, daemon=True)

    def start(self):
        """Bind, then serve from a thread of its own."""
        self.server.prepare()
        self._thread.start()
        LOG.info('%s listening on %s:%s', PROG, *self.server.bind_addr[:2])

    def stop(self, timeout=0):
        """Stop listening; give requests in flight ``timeout`` seconds."""
        # Idle keep-alive connections are closed at once.
        self.server.shutdown_timeout = timeout
        self.server.stop()
        if self._thread.ident is not None:
            self._thread.join()


def _build():
    from console_api.api import deploy
    services = deploy.build_services(CONF)
    server = ApiServer(deploy.loadapp(CONF, services))

    def stop(grace):
        server.stop(grace)
        services.close()

    return server.start, stop, services.policy.reload


def main():
    sys.exit(lifecycle.main(PROG, _build))
