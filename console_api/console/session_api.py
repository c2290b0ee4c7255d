"""Service layer of the console-session routes: find, list and end sessions.

The API controllers call it; it asks the console-auth service, which owns
the sessions, and tells the console proxies to cut the sessions it ended
while they were connected (a cast that never holds a request for more than
``CAST_WAIT`` seconds, even while the message bus is down). Errors are
domain exceptions.
"""

import threading

from oslo_log import log as logging
from oslo_utils import uuidutils

from console_api.console import sessions
from console_api import exception

LOG = logging.getLogger(__name__)

# The close reason of a session ended through the API.
KILLED = 'killed'
# How long a DELETE waits for its cast to the proxies to be sent: the
# cast normally takes milliseconds; past this the request answers anyway.
CAST_WAIT = 2.0
# Casts still waiting for the message bus beyond which no new one starts
# (each holds a thread; the proxies' status checks do the work meanwhile).
MAX_CASTS_IN_FLIGHT = 16


class ConsoleSessionAPI(object):
    """Console sessions as the API shows and ends them.

    :param conf: the ``ConfigOpts`` whose ``[api] max_limit`` bounds a page.
    :param console_auth: the ``ConsoleAuth`` service holding the sessions.
    :param proxy_rpcapi: the ``ConsoleProxyAPI`` that reaches the proxies.
    """

    def __init__(self, conf, console_auth, proxy_rpcapi):
        self.conf = conf
        self.console_auth = console_auth
        self.proxy_rpcapi = proxy_rpcapi
        self._lock = threading.Lock()
        self._casting = 0

    def get(self, context, session_id, project_id=None):
        """Return the session row with ``session_id``.

        :param project_id: when given, only a session of that project.
        :raises ConsoleSessionNotFound: unknown, purged, another project's,
            or not a UUID at all (then the database is not asked).
        """
        row = None
        if uuidutils.is_uuid_like(session_id):
            row = self.console_auth.get_session(context, session_id)
        if row is None or (project_id is not None and
                           row.project_id != project_id):
            raise exception.ConsoleSessionNotFound(session_id=session_id)
        return row

    def page_size(self, limit=None):
        """The page size for a requested ``limit`` (``None``: the most)."""
        most = self.conf.api.max_limit
        return most if limit is None else min(limit, most)

    def get_all(self, context, project_id=None, server_id=None,
                user_id=None, statuses=None, changes_since=None,
                limit=None, marker=None):
        """Return one page of session rows, newest first.

        :param project_id: only that project's (``None``: every project).
        :param statuses: only sessions in one of these statuses.
        :param changes_since: a naive UTC ``datetime``: only sessions
            created or changed since then.
        :param limit: at most this many, never more than ``[api]
            max_limit``.
        :param marker: the id of the last session of the previous page.
        :raises MarkerNotFound: ``marker`` names no session the caller sees.
        """
        marker_row = None
        if marker is not None:
            try:
                marker_row = self.get(context, marker, project_id)
            except exception.ConsoleSessionNotFound:
                raise exception.MarkerNotFound(marker=marker)
        return self.console_auth.list_sessions(
            context, project_id=project_id, server_id=server_id,
            user_id=user_id, statuses_=statuses or None,
            changes_since=changes_since, limit=self.page_size(limit),
            marker=marker_row)

    def end(self, context, row):
        """End one session for good, as killed, and cut its connection.

        An ``issued`` session is revoked, an ``active`` one closed and cut
        by the proxy holding it.

        :param row: a row from ``get()``.
        :raises ConsoleSessionEnded: it had already ended, also when it
            ended on its own while this request ran.
        """
        if row.status in sessions.ENDED:
            raise exception.ConsoleSessionEnded(session_id=row.uuid,
                                                status=row.status)
        active = self.console_auth.end(context, [row.uuid], KILLED)
        if not active:
            # Nothing was connected: either this call revoked the unused
            # session, or the session ended by itself (or by a concurrent
            # request) since it was read. Only the row can tell.
            status, reason = self.console_auth.statuses(
                context, [row.uuid]).get(row.uuid, (None, None))
            if reason != KILLED or status not in sessions.ENDED:
                raise exception.ConsoleSessionEnded(
                    session_id=row.uuid, status=status or sessions.CLOSED)
        self._cut(context, active)

    def end_for_server(self, context, instance_uuid):
        """End every ``issued`` or ``active`` session of a server, as killed.

        :returns: how many were connected (and are being cut).
        """
        active = self.console_auth.end_for_instances(
            context, [instance_uuid], KILLED)
        self._cut(context, active)
        return len(active)

    def _cut(self, context, session_ids):
        if not session_ids:
            return
        LOG.info('Ending %(count)d connected console sessions by request: '
                 '%(ids)s', {'count': len(session_ids),
                             'ids': ', '.join(session_ids)})
        with self._lock:
            if self._casting >= MAX_CASTS_IN_FLIGHT:
                LOG.warning('%d casts to the console proxies are still '
                            'waiting for the message bus; not casting the '
                            'end of %s', self._casting,
                            ', '.join(session_ids))
                return
            self._casting += 1
        sent = threading.Event()
        # A cast blocks while the message bus is down (oslo.messaging
        # retries until it is back): it runs on a daemon thread of its own,
        # which neither holds the request for long nor stops the process
        # from exiting.
        threading.Thread(target=self._cast, name='end-sessions-cast',
                         args=(context, list(session_ids), sent),
                         daemon=True).start()
        if not sent.wait(CAST_WAIT):
            LOG.warning('The message bus did not take the end of console '
                        'sessions %s within %s s; the proxies cut them at '
                        'their next status check if it does not come back',
                        ', '.join(session_ids), CAST_WAIT)

    def _cast(self, context, session_ids, sent):
        try:
            self.proxy_rpcapi.end_sessions(context, session_ids, KILLED)
        except Exception:
            # The sessions have ended in the database, which is what
            # counts: each proxy re-reads the status of its sessions every
            # [consoleauth] session_check_interval and cuts them then.
            LOG.warning('Could not tell the console proxies to cut sessions '
                        '%s; they will see the change at their next status '
                        'check', ', '.join(session_ids), exc_info=True)
        finally:
            with self._lock:
                self._casting -= 1
            sent.set()
