"""``console-api``: serve the compute console API with a threaded server.

cheroot (CherryPy's production WSGI server) serves the paste app with
``[DEFAULT] osapi_compute_workers`` threads on
``osapi_compute_listen:osapi_compute_listen_port``. For several processes,
run ``console_api.wsgi.api:application`` under uwsgi or gunicorn instead.
"""

import signal
import sys

from cheroot import wsgi as cheroot_wsgi
from oslo_log import log as logging

from console_api.cmd import common
from console_api import conf

CONF = conf.CONF
LOG = logging.getLogger(__name__)


def build_server(app, host=None, port=None, threads=None):
    """Return a cheroot server for ``app`` (not started)."""
    server = cheroot_wsgi.Server(
        (host or CONF.osapi_compute_listen,
         CONF.osapi_compute_listen_port if port is None else port),
        app, numthreads=threads or CONF.osapi_compute_workers,
        server_name='console-api',
        timeout=CONF.wsgi.client_socket_timeout)
    return server


def serve(server):
    """Run ``server`` until SIGTERM or SIGINT, then stop it cleanly."""
    def _stop(signum, frame):
        LOG.info('Signal %d received: stopping the API server', signum)
        server.stop()
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    server.prepare()
    LOG.info('console-api listening on %s:%s', *server.bind_addr[:2])
    server.serve()


def _main():
    common.parse_config(sys.argv[1:])
    common.setup_logging()
    from console_api.api import loader
    app = loader.load_app()
    serve(build_server(app))
    return 0


def main():
    sys.exit(common.run('console-api', _main))
