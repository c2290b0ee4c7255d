"""The API router: the route table turned into a WSGI application.

It matches a path against ``console_api.api.routes.ROUTES``, answers 404 for
an unknown path or a method below its microversion, 405 with ``Allow`` for a
method the path does not take, checks a project id in the URL against the
caller's, and turns what a handler returns (a dict) or raises (any exception)
into a response. It is a plain Paste app factory, so it can be mounted inside
another API's pipeline behind that API's own auth filters.
"""

import routes
import webob
import webob.dec
import webob.exc

from console_api.api import auth
from console_api.api.controllers import common
from console_api.api import deploy
from console_api.api import faults
from console_api.api import microversion
from console_api.api import routes as api_routes
from console_api import exception
from console_api.i18n import _

# Nova's ProjectMapper accepts project ids made of hex digits and dashes.
PROJECT_ID_REQUIREMENT = '[0-9a-f-]+'


def _build_mapper(table):
    # Routes keeps only strings in a match, so a route names its path and
    # the router looks the methods up in the table.
    mapper = routes.Mapper()
    mapper.explicit = True
    for path, _methods in table:
        mapper.connect(path, route_path=path)
        mapper.connect('/{project_id}' + path, route_path=path,
                       requirements={'project_id': PROJECT_ID_REQUIREMENT})
    return mapper


class APIRouter(object):
    """Dispatch requests below ``/v2.1`` to controller functions.

    :param services: the ``deploy.Services`` the controllers use.
    """

    def __init__(self, services, table=None):
        self.services = services
        table = table or api_routes.ROUTES
        self.mapper = _build_mapper(table)
        self.methods = dict(table)

    @classmethod
    def factory(cls, global_config, **local_config):
        """Paste app factory: a router on the services being assembled."""
        return cls(deploy.services_for_router())

    @webob.dec.wsgify
    def __call__(self, req):
        try:
            return self._dispatch(req)
        except Exception as exc:
            return faults.exception_response(req, exc)

    def _dispatch(self, req):
        match = self.mapper.match(environ=req.environ)
        if match is None:
            raise webob.exc.HTTPNotFound()
        methods = self.methods[match.pop('route_path')]
        route = methods.get(req.method)
        if route is None:
            if req.method == 'HEAD' and 'GET' in methods:
                route = methods['GET']
            else:
                allow = ', '.join(sorted(methods))
                raise webob.exc.HTTPMethodNotAllowed(
                    explanation=_('Method %(method)s is not allowed on this '
                                  'resource; allowed: %(allow)s.') % {
                        'method': req.method, 'allow': allow},
                    headers={'Allow': allow})
        if not route.available_at(microversion.requested(req)):
            raise webob.exc.HTTPNotFound()
        context = auth.request_context(req)
        context.policy = self.services.policy
        req.environ[common.SERVICES_KEY] = self.services
        url_project = match.pop('project_id', None)
        if url_project is not None and url_project != context.project_id:
            raise exception.ProjectIdMismatch(
                url_project=url_project, context_project=context.project_id)
        req.urlvars = match
        result = route.handler(req, **match)
        if isinstance(result, webob.Response):
            return result
        return common.json_response(result)
