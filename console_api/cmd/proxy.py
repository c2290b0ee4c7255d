"""``console-proxy``: serve the enabled console proxies until SIGTERM."""

import sys

from oslo_log import log as logging

from console_api.cmd import common
from console_api import conf as ca_conf
from console_api.proxy import server

CONF = ca_conf.CONF
LOG = logging.getLogger(__name__)


def main(argv=None):
    """Parse options, start every enabled proxy, serve until a signal.

    :returns: the exit status: 0 after a clean stop, 1 when the proxies
        could not start (one line on stderr says why).
    """
    argv = sys.argv[1:] if argv is None else argv

    def body():
        common.parse_config(argv)
        common.setup_logging()
        service = server.ProxyService(CONF)
        service.run()
        LOG.info('Console proxies stopped')
        return 0

    return common.run('console-proxy', body)


if __name__ == '__main__':
    sys.exit(main())
