"""Who is calling: the noauth2 and keystone context filters.

The ``keystone`` pipeline runs keystonemiddleware's ``auth_token`` and then
``KeystoneContext``, which builds a ``RequestContext`` from the identity
headers it set. ``noauth2`` (development and tests only) trusts
``X-Auth-Token: user:project``. When the router is mounted in another API's
pipeline, that API's auth filters set the identity headers and the router
builds the context itself (``request_context``).
"""

import webob.dec

from console_api.api import faults
from console_api.api import middleware
from console_api import conf
from console_api import context as ctx_module
from console_api import exception
from console_api.i18n import _

CONF = conf.CONF
ENVIRON_KEY = 'console_api.context'


def _client_address(req):
    if CONF.api.use_forwarded_for:
        forwarded = req.headers.get('X-Forwarded-For')
        if forwarded:
            return forwarded.split(',')[0].strip()
    return req.remote_addr


def _unauthorized():
    return faults.fault_response(401, _('Authentication required'))


def _finish(req, context):
    context.remote_address = _client_address(req)
    # Decided by the context_is_admin rule when first needed.
    context.is_admin = None
    req.environ[ENVIRON_KEY] = context
    return context


def context_from_headers(req):
    """Build a context from identity headers; ``None`` when anonymous."""
    context = ctx_module.RequestContext.from_environ(req.environ)
    if not context.user_id:
        return None
    return _finish(req, context)


def request_context(req):
    """Return the request's context, building it from headers if needed.

    :raises Unauthorized: when no filter above authenticated the caller.
    """
    context = req.environ.get(ENVIRON_KEY)
    if context is None:
        context = context_from_headers(req)
    if context is None:
        raise exception.Unauthorized()
    return context


class KeystoneContext(middleware.Middleware):
    """Paste filter: the context from keystonemiddleware's headers."""

    @webob.dec.wsgify
    def __call__(self, req):
        if req.headers.get('X-Identity-Status', 'Confirmed') != 'Confirmed':
            return _unauthorized()
        if context_from_headers(req) is None:
            return _unauthorized()
        return req.get_response(self.application)


class NoAuthMiddleware(middleware.Middleware):
    """Paste filter for development: trust ``X-Auth-Token: user:project``.

    The project defaults to the user. Roles come from ``X-Roles`` when
    present; otherwise user ``admin`` gets admin, member and reader and
    anyone else member and reader. Never use it where callers are untrusted.
    """

    @webob.dec.wsgify
    def __call__(self, req):
        token = req.headers.get('X-Auth-Token', '').strip()
        if not token:
            return _unauthorized()
        user_id, _sep, project_id = token.partition(':')
        project_id = project_id or user_id
        if 'X-Roles' in req.headers:
            roles = [role.strip() for role in
                     req.headers['X-Roles'].split(',') if role.strip()]
        elif user_id == 'admin':
            roles = ['admin', 'member', 'reader']
        else:
            roles = ['member', 'reader']
        context = ctx_module.RequestContext(
            user_id=user_id, project_id=project_id, roles=roles,
            request_id=req.environ.get('openstack.request_id'),
            global_request_id=req.environ.get('openstack.global_request_id'))
        _finish(req, context)
        return req.get_response(self.application)


def pipeline_factory(loader, global_conf, **local_conf):
    """Paste composite: the pipeline named by ``[api] auth_strategy``.

    Each key of the composite section is a strategy whose value is a
    space-separated list of filters ending with the app.
    """
    strategy = CONF.api.auth_strategy
    if strategy not in local_conf:
        raise exception.ConfigurationError(
            reason=_("api-paste.ini has no pipeline for auth_strategy "
                     "'%(strategy)s' (it has: %(known)s)") % {
                'strategy': strategy,
                'known': ', '.join(sorted(local_conf)) or 'none'})
    names = local_conf[strategy].split()
    app = loader.get_app(names[-1])
    for name in reversed(names[:-1]):
        app = loader.get_filter(name)(app)
    return app
