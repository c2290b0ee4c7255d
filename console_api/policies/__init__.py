"""Policy defaults in code, one module per resource."""

import itertools

from console_api.policies import base
from console_api.policies import console_auth_tokens
from console_api.policies import console_sessions
from console_api.policies import remote_consoles
from console_api.policies import servers


def list_rules():
    """Every rule console-api enforces (oslo.policy entry point)."""
    return list(itertools.chain(
        base.list_rules(),
        remote_consoles.list_rules(),
        console_auth_tokens.list_rules(),
        console_sessions.list_rules(),
        servers.list_rules(),
    ))
