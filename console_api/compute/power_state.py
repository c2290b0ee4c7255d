"""Power states of servers, numbered as Nova numbers them.

Agents report these for every domain; the API opens consoles only for
servers in a state whose console can answer (``CONSOLE_READY``).
"""

NOSTATE = 0
RUNNING = 1
PAUSED = 3
SHUTDOWN = 4
CRASHED = 6
SUSPENDED = 7

NAMES = {
    NOSTATE: 'pending',
    RUNNING: 'running',
    PAUSED: 'paused',
    SHUTDOWN: 'shutdown',
    CRASHED: 'crashed',
    SUSPENDED: 'suspended',
}
BY_NAME = {name: value for value, name in NAMES.items()}

# A paused guest still has a live console; a shut-off one has none.
CONSOLE_READY = frozenset([RUNNING, PAUSED])

# The server status clients see in GET /servers.
STATUS = {
    NOSTATE: 'BUILD',
    RUNNING: 'ACTIVE',
    PAUSED: 'PAUSED',
    SHUTDOWN: 'SHUTOFF',
    CRASHED: 'ERROR',
    SUSPENDED: 'SUSPENDED',
}


def name(state):
    """Return the lower-case name of a power state number."""
    return NAMES.get(state, 'unknown')
