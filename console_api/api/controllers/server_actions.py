"""``POST /servers/{server_id}/action``: the legacy console actions.

Before microversion 2.6 a console was asked for with one action per
protocol. From 2.6 those actions are gone (404); an action name this
service does not know is a 400 at every version.
"""

import webob.exc

from console_api.api.controllers import common
from console_api.api import microversion
from console_api.api import request_body
from console_api.api.schemas import remote_consoles as schemas
from console_api.api import validation
from console_api.console import types as console_types
from console_api import exception
from console_api.i18n import _
from console_api.policies import remote_consoles as rules

# action name -> (protocol, request schema)
CONSOLE_ACTIONS = {
    row.action: (row.protocol,
                 validation.Validator(schemas.action(row.action)))
    for row in console_types.TYPES if row.action}
LAST_LEGACY_VERSION = microversion.Version(2, 5)


def action(req, server_id):
    """Dispatch a server action; only the console actions are served."""
    body = request_body.json_body(req)
    if not isinstance(body, dict) or len(body) != 1:
        raise exception.MalformedRequestBody(
            reason=_('an action body is an object with exactly one key'))
    name = next(iter(body))
    if name not in CONSOLE_ACTIONS:
        raise exception.Invalid(
            message=_('There is no such action: %s') % name)
    if microversion.requested(req) > LAST_LEGACY_VERSION:
        raise webob.exc.HTTPNotFound()
    protocol, validator = CONSOLE_ACTIONS[name]
    validator.validate(body)
    console_type = body[name]['type']
    url, session_id = _open_console(req, server_id, protocol, console_type)
    return common.console_response(
        {'console': {'type': console_type, 'url': url}}, session_id)


def _open_console(req, server_id, protocol, console_type):
    # The legacy order: policy on the caller's own project first, then the
    # project-limited lookup, which is what keeps other projects out (404).
    # The console type needs neither, so it is checked in between.
    context = common.context(req)
    context.can(rules.REMOTE_CONSOLES)
    compute = common.compute_api(req)
    compute.check_console_type(protocol, console_type)
    instance = compute.get_instance(context, server_id,
                                    common.project_filter(context))
    return compute.get_console(context, instance, protocol, console_type)
