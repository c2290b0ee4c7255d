"""``GET /os-console-auth-tokens/{console_token}``: where a token leads.

Proxies and administrators ask it which hypervisor host and port a token
stands for. Before 2.31 only ``rdp-html5`` tokens may be read (401 for the
others); from 2.99 ``spice-direct`` tokens also show ``tls_port`` and the
query string must be empty.
"""

from console_api.api.controllers import common
from console_api.api import microversion
from console_api.api.schemas import console_auth_tokens as schemas
from console_api.api import validation
from console_api.console import types as console_types
from console_api import exception
from console_api.policies import console_auth_tokens as rules

_QUERY_V299 = validation.Validator(schemas.show_query_v299)


def show(req, console_token):
    """Return the connection details of a valid token."""
    if microversion.is_supported(req, microversion.SPICE_DIRECT):
        _QUERY_V299.validate(validation.query_lists(req))
    context = common.context(req)
    context.can(rules.CONSOLE_AUTH_TOKENS)
    token = common.compute_api(req).get_token_info(context, console_token)
    row = console_types.get(token.console_type)
    if (not microversion.is_supported(req, microversion.AUTH_TOKENS_ALL_TYPES)
            and not row.early_details):
        raise exception.ConsoleTypeNotAccessible()
    console = {
        'instance_uuid': token.instance_uuid,
        'host': token.host,
        'port': token.port,
        'internal_access_path': token.internal_access_path,
    }
    if (microversion.is_supported(req, microversion.SPICE_DIRECT) and
            row.direct):
        console['tls_port'] = token.tls_port
    return {'console': console}
