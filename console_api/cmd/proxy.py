"""``console-proxy``: serve the enabled console proxies until SIGTERM."""

import sys

from oslo_config import cfg
from oslo_db import exception as db_exc
from oslo_log import log as logging

from console_api.cmd import common
from console_api import conf as ca_conf
from console_api import exception
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
        try:
            common.parse_config(argv)
        except cfg.Error as exc:
            raise exception.ConfigurationError(reason=str(exc))
        common.setup_logging()
        try:
            service = server.ProxyService(CONF)
        except db_exc.DBError as exc:
            # Only the class: driver messages can quote the connection URL.
            raise exception.ConfigurationError(
                reason='cannot use the [database] connection: %s'
                       % type(exc).__name__)
        service.run()
        LOG.info('Console proxies stopped')
        return 0

    return common.run(body)


if __name__ == '__main__':
    sys.exit(main())
