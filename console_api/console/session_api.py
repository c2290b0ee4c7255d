"""Service layer of the console-session routes: find, list and end sessions.

The API controllers call it; it asks the console-auth service, which owns
the sessions, and tells the console proxies to cut the sessions it ended
while they were connected. Errors are domain exceptions.
"""

from oslo_log import log as logging
from oslo_utils import uuidutils

from console_api.console import sessions
from console_api import exception

LOG = logging.getLogger(__name__)

# The close reason of a session ended through the API.
KILLED = 'killed'


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
        try:
            self.proxy_rpcapi.end_sessions(context, session_ids, KILLED)
        except Exception:
            # The sessions have ended in the database, which is what
            # counts: each proxy re-reads the status of its sessions every
            # [consoleauth] session_check_interval and cuts them then.
            LOG.warning('Could not tell the console proxies to cut sessions '
                        '%s; they will see the change at their next status '
                        'check', ', '.join(session_ids), exc_info=True)
