"""``openstack console session list|show|delete``."""

import logging

from osc_lib.command import command
from osc_lib import exceptions
from osc_lib import utils

LOG = logging.getLogger(__name__)

STATUSES = ('issued', 'active', 'closed', 'expired', 'revoked')
# (heading, field) of the list; --long adds the rest.
_COLUMNS = [('ID', 'id'), ('Server ID', 'server_id'), ('User ID', 'user_id'),
            ('Type', 'type'), ('Status', 'status'),
            ('Created At', 'created_at'), ('Client Address', 'client_address')]
_LONG_COLUMNS = [('Project ID', 'project_id'), ('Protocol', 'protocol'),
                 ('View Only', 'view_only'), ('Expires At', 'expires_at'),
                 ('Connected At', 'connected_at'), ('Closed At', 'closed_at'),
                 ('Close Reason', 'close_reason'),
                 ('Proxy Host', 'proxy_host'),
                 ('Bytes To Client', 'bytes_to_client'),
                 ('Bytes To Console', 'bytes_to_console')]


def _client(cmd):
    return cmd.app.client_manager.console


class ListConsoleSession(command.Lister):
    """List console sessions, newest first."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            '--server', metavar='<server>',
            help='Only the sessions of this server (name or ID)')
        parser.add_argument(
            '--status', metavar='<status>', action='append',
            choices=STATUSES,
            help='Only sessions in this status (%s); repeat for several'
                 % ', '.join(STATUSES))
        parser.add_argument(
            '--user', metavar='<user-id>',
            help='Only the sessions this user asked for')
        parser.add_argument(
            '--changes-since', metavar='<time>',
            help='Only sessions created or changed since this ISO 8601 '
                 'time')
        parser.add_argument(
            '--limit', metavar='<num-sessions>', type=int,
            help='The most sessions to list (at most the API\'s '
                 'max_limit)')
        parser.add_argument(
            '--marker', metavar='<session-id>',
            help='List the sessions older than this one')
        parser.add_argument(
            '--all-projects', action='store_true', default=False,
            help='Sessions of every project (admin only)')
        parser.add_argument(
            '--long', action='store_true', default=False,
            help='List every field')
        return parser

    def take_action(self, parsed_args):
        client = _client(self)
        server_id = None
        if parsed_args.server:
            server_id = client.find_server(parsed_args.server,
                                           parsed_args.all_projects)
        rows = client.list_sessions(
            server_id=server_id, status=parsed_args.status,
            user_id=parsed_args.user,
            **{'changes-since': parsed_args.changes_since,
               'limit': parsed_args.limit, 'marker': parsed_args.marker,
               'all_tenants': '1' if parsed_args.all_projects else None})
        columns = _COLUMNS + (_LONG_COLUMNS if parsed_args.long else [])
        return ([heading for heading, _field in columns],
                [utils.get_dict_properties(row, [f for _h, f in columns])
                 for row in rows])


class ShowConsoleSession(command.ShowOne):
    """Show a console session."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('session', metavar='<session>',
                            help='Console session ID')
        return parser

    def take_action(self, parsed_args):
        session = _client(self).get_session(parsed_args.session)
        fields = sorted(session)
        return fields, utils.get_dict_properties(session, fields)


class DeleteConsoleSession(command.Command):
    """End console sessions: their URLs stop working, clients are cut."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            'sessions', metavar='<session>', nargs='*',
            help='Console session ID(s) to end')
        parser.add_argument(
            '--server', metavar='<server>',
            help='End every open session of this server (name or ID)')
        return parser

    def take_action(self, parsed_args):
        if bool(parsed_args.sessions) == bool(parsed_args.server):
            raise exceptions.CommandError(
                'Give either console session IDs or --server')
        client = _client(self)
        if parsed_args.server:
            client.delete_server_sessions(
                client.find_server(parsed_args.server))
            return
        failed = 0
        for session_id in parsed_args.sessions:
            try:
                client.delete_session(session_id)
            except (exceptions.CommandError, exceptions.ClientException) \
                    as exc:
                failed += 1
                LOG.error('Failed to end console session %(id)s: %(error)s',
                          {'id': session_id, 'error': exc})
        if failed:
            raise exceptions.CommandError(
                '%d of %d console sessions failed to end.'
                % (failed, len(parsed_args.sessions)))
