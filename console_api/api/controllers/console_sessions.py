"""``/os-console-sessions``: list, show and end console sessions.

console-api's extension of the compute API (it answers at every
microversion). A caller sees and ends the sessions of its own project's
servers; another project's session is a 404, as a server is. Ending a
session revokes its unused URL or cuts its connection.
"""

from oslo_utils import strutils
from oslo_utils import timeutils

from console_api.api.controllers import common
from console_api.api.schemas import console_sessions as schemas
from console_api.api import validation
from console_api.console import sessions
from console_api import exception
from console_api.policies import console_sessions as rules

_INDEX_QUERY = validation.Validator(schemas.index_query)


def _last(query, name):
    values = query.get(name)
    return values[-1] if values else None


def _invalid(name, value, reason):
    return exception.ValidationError(
        detail='Invalid input for field/attribute %s. Value: %s. %s'
        % (name, value, reason))


def _all_tenants(value):
    # Nova's reading: present and empty means yes; otherwise a boolean.
    if value is None:
        return False
    if value == '':
        return True
    try:
        return strutils.bool_from_string(value, strict=True)
    except ValueError as exc:
        raise _invalid('all_tenants', value, exc)


def _changes_since(value):
    if value is None:
        return None
    try:
        return timeutils.normalize_time(timeutils.parse_isotime(value))
    except ValueError:
        raise _invalid('changes-since', value,
                       'It is not an ISO 8601 date and time.')


def index(req):
    """List sessions newest first, a page at a time, with filters."""
    query = _INDEX_QUERY.validate(validation.query_lists(req))
    context = common.context(req)
    context.can(rules.INDEX, {'project_id': context.project_id})
    project_id = context.project_id
    if _all_tenants(_last(query, 'all_tenants')):
        context.can(rules.INDEX_ALL_TENANTS)
        project_id = None
    limit = _last(query, 'limit')
    rows = common.session_api(req).get_all(
        context, project_id=project_id,
        server_id=_last(query, 'server_id'),
        user_id=_last(query, 'user_id'),
        statuses=sorted(set(query.get('status', []))),
        changes_since=_changes_since(_last(query, 'changes-since')),
        limit=None if limit is None else int(limit),
        marker=_last(query, 'marker'))
    return {'console_sessions': [sessions.view(row) for row in rows]}


def _session(req, session_id, rule):
    # The lookup limited to the caller's project keeps other projects out
    # (404); the policy is then asked with the session's project.
    context = common.context(req)
    row = common.session_api(req).get(context, session_id,
                                      common.project_filter(context))
    context.can(rule, {'project_id': row.project_id})
    return context, row


def show(req, session_id):
    """Show one session."""
    _context, row = _session(req, session_id, rules.SHOW)
    return {'console_session': sessions.view(row)}


def delete(req, session_id):
    """End one session: 202, or 409 when it had already ended."""
    context, row = _session(req, session_id, rules.DELETE)
    common.session_api(req).end(context, row)
    return common.json_response(None, status=202)


def delete_for_server(req, server_id):
    """End every session of a server that is issued or active."""
    context = common.context(req)
    instance = common.compute_api(req).get_instance(
        context, server_id, common.project_filter(context))
    context.can(rules.DELETE, {'project_id': instance.project_id})
    common.session_api(req).end_for_server(context, instance.uuid)
    return common.json_response(None, status=202)
