"""What every controller needs: the caller's context and the services.

The router puts the app's ``deploy.Services`` into the request's environ
and binds their policy to the caller's context before a controller runs.
"""

from console_api.api import auth

SERVICES_KEY = 'console_api.services'


def compute_api(req):
    """The compute service layer of the app serving ``req``."""
    return req.environ[SERVICES_KEY].compute


def context(req):
    """The caller's ``RequestContext``; raises 401 when anonymous."""
    return auth.request_context(req)


def project_filter(context):
    """The project a lookup is limited to: none for administrators."""
    return None if context.is_admin else context.project_id
