"""Whether a service is alive, judged from its row in the services table.

Agents (and, later, proxies) heartbeat into that table; whoever must know
whether one is up compares its last heartbeat with ``service_down_time``.
"""

from oslo_utils import timeutils


def is_up(service, down_time):
    """Tell whether ``service`` sent a heartbeat in the last ``down_time`` s.

    :param service: a services row, or ``None`` (never registered: down).
    Compared with ``timeutils.utcnow()``; a heartbeat slightly in the future
    (clock skew between hosts) still counts as recent.
    """
    if service is None or service.last_seen_up is None:
        return False
    elapsed = timeutils.utcnow() - service.last_seen_up
    return abs(elapsed.total_seconds()) <= down_time
