"""What every controller needs: the caller's context and the service layer.

The service layer is created once per process, on the router's first load,
so a request never pays for setting up the database or RPC.
"""

import threading

from console_api.api import auth
from console_api.compute import api as compute_service
from console_api import conf
from console_api.db import api as db_api
from console_api import policy
from console_api import rpc

CONF = conf.CONF
_LOCK = threading.Lock()
_COMPUTE_API = None


def init_backends():
    """Configure the database, RPC and policy, and build the service layer.

    Idempotent: the all-in-one process and tests may call it repeatedly.
    """
    global _COMPUTE_API
    with _LOCK:
        if _COMPUTE_API is not None:
            return _COMPUTE_API
        db_api.configure(CONF)
        rpc.init(CONF)
        policy.init()
        _COMPUTE_API = compute_service.ConsoleAPI()
        return _COMPUTE_API


def reset():
    """Forget the service layer (tests)."""
    global _COMPUTE_API
    with _LOCK:
        _COMPUTE_API = None


def compute_api():
    return _COMPUTE_API or init_backends()


def context(req):
    """The caller's ``RequestContext``; raises 401 when anonymous."""
    return auth.request_context(req)


def project_filter(context):
    """The project a lookup is limited to: none for administrators."""
    return None if context.is_admin else context.project_id
