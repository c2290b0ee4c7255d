"""``console-compute-agent``: run one compute agent until SIGTERM or SIGINT."""

import sys

from console_api.cmd import lifecycle
from console_api.compute import agent as compute_agent
from console_api import conf as ca_conf
from console_api.db import migration

CONF = ca_conf.CONF
PROG = 'console-compute-agent'


def _build():
    # An agent writing to a schema it does not know would fail later and
    # less clearly.
    agent = compute_agent.ComputeAgent(CONF)
    migration.check_at_head(agent.database.get_engine())

    def stop(grace):
        # RPC calls in flight always end: the driver's and the database's
        # own timeouts bound them.
        agent.stop()

    return agent.start, stop


def main(argv=None):
    """Run the agent; return the exit status.

    0 after a clean stop on SIGTERM or SIGINT, 1 when the agent could not
    start (one line on stderr says why).
    """
    return lifecycle.main(PROG, _build, argv)


if __name__ == '__main__':
    sys.exit(main())
