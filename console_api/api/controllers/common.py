"""What every controller needs: the caller's context and the services.

The router puts the app's ``deploy.Services`` into the request's environ
and binds their policy to the caller's context before a controller runs.
"""

from oslo_serialization import jsonutils
import webob

from console_api.api import auth
from console_api.api import faults

SERVICES_KEY = 'console_api.services'
# Names the console session a console request created (C0: Nova's bodies
# stay as they are, so the id travels in a header).
SESSION_HEADER = 'X-Console-Session-Id'


def json_response(body, status=200, headers=None):
    """A JSON response; ``body`` ``None`` gives an empty one."""
    response = webob.Response(status=status)
    response.headers.update(headers or {})
    if body is None:
        response.body = b''
        response.content_type = None
    else:
        response.content_type = faults.JSON_CONTENT_TYPE
        response.body = jsonutils.dump_as_bytes(body)
    return response


def console_response(body, session_id):
    """The answer to a console request: Nova's body, the session header."""
    headers = {SESSION_HEADER: session_id} if session_id else None
    return json_response(body, headers=headers)


def compute_api(req):
    """The compute service layer of the app serving ``req``."""
    return req.environ[SERVICES_KEY].compute


def session_api(req):
    """The console-session service layer of the app serving ``req``."""
    return req.environ[SERVICES_KEY].sessions


def context(req):
    """The caller's ``RequestContext``; raises 401 when anonymous."""
    return auth.request_context(req)


def project_filter(context):
    """The project a lookup is limited to: none for administrators."""
    return None if context.is_admin else context.project_id
