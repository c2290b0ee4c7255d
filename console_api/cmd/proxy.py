"""``console-proxy``: serve the enabled console proxies until SIGTERM."""

import sys

from console_api.cmd import lifecycle
from console_api import conf as ca_conf
from console_api.proxy import server

CONF = ca_conf.CONF
PROG = 'console-proxy'


def _build():
    service = server.ProxyService(CONF)
    return service.start_in_thread, service.stop


def main(argv=None):
    """Serve every enabled proxy; return the exit status.

    0 after a clean stop, 1 when the proxies could not start (one line on
    stderr says why).
    """
    return lifecycle.main(PROG, _build, argv)


if __name__ == '__main__':
    sys.exit(main())
