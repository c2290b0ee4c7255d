"""``POST /servers/{server_id}/remote-consoles`` (microversion 2.6+)."""

from console_api.api.controllers import common
from console_api.api import microversion
from console_api.api import request_body
from console_api.api.schemas import remote_consoles as schemas
from console_api.api import validation
from console_api.policies import remote_consoles as rules

_CREATE = validation.VersionedValidators(
    schemas.create_ranges(microversion.REMOTE_CONSOLES))


def create(req, server_id):
    """Open a remote console of a server and return its URL.

    Order of checks: body schema and console type (400, before any
    database or RPC work), server lookup limited to the caller's project
    (404), policy on the server's project (403), then the service layer
    (409 not ready / not running / agent down, 400 no such device, 501
    unsupported, 503 agent timeout).
    """
    body = _CREATE.validate(microversion.requested(req),
                            request_body.json_body(req))
    console = body['remote_console']
    context = common.context(req)
    compute = common.compute_api(req)
    compute.check_console_type(console['protocol'], console['type'])
    instance = compute.get_instance(context, server_id,
                                    common.project_filter(context))
    context.can(rules.REMOTE_CONSOLES,
                {'project_id': instance.project_id})
    url, session_id = compute.get_console(
        context, instance, console['protocol'], console['type'])
    return common.console_response(
        {'remote_console': {'protocol': console['protocol'],
                            'type': console['type'], 'url': url}},
        session_id)
