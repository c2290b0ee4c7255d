"""``console-compute-agent``: run one compute agent until SIGTERM or SIGINT."""

import signal
import sys
import threading

from oslo_log import log as logging

from console_api.cmd import common
from console_api.compute import agent as compute_agent
from console_api import conf as ca_conf
from console_api.db import api as db_api
from console_api.db import migration
from console_api import rpc

CONF = ca_conf.CONF
LOG = logging.getLogger(__name__)
PROG = 'console-compute-agent'


def _install_signal_handlers(stop_requested, starting):
    def handler(signum, frame):
        stop_requested.set()
        if starting.is_set():
            # Nothing to stop cleanly yet: abort the start where it is.
            raise KeyboardInterrupt()
        # Otherwise only a flag: stopping joins threads, which must not run
        # inside a signal handler.
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, handler)


def main(argv=None):
    """Parse options, start the agent, serve until a signal, stop cleanly.

    :returns: the process exit status (0 after a clean stop, 1 when the
        agent could not start).
    """
    argv = sys.argv[1:] if argv is None else argv
    return common.run(PROG, lambda: _main(argv))


def _main(argv):
    common.parse_config(argv)
    common.setup_logging()

    stop_requested = threading.Event()
    starting = threading.Event()
    starting.set()
    _install_signal_handlers(stop_requested, starting)
    agent = compute_agent.ComputeAgent(CONF)
    try:
        # An agent writing to a schema it does not know would fail later
        # and less clearly.
        db_api.configure(CONF)
        migration.check_at_head()
        agent.start()
    except BaseException:
        # common.run reports the error on one line.
        _safe_stop(agent)
        raise
    starting.clear()
    LOG.info('%s ready; SIGTERM or SIGINT stops it', PROG)

    try:
        # A timed wait keeps the main thread responsive to signals.
        while not stop_requested.wait(1.0):
            pass
        LOG.info('Stop requested, shutting down')
    finally:
        agent.stop()
        rpc.cleanup()
    return 0


def _safe_stop(agent):
    try:
        agent.stop()
        rpc.cleanup()
    except Exception:
        LOG.debug('Cleanup after a failed start failed', exc_info=True)


if __name__ == '__main__':
    sys.exit(main())
