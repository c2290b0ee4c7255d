"""Nova's fault format, and the one place exceptions become HTTP errors.

Every error under ``/v2.1`` is a JSON body ``{"<name>": {"code": N,
"message": "..."}}`` whose name depends on the status code. Domain exceptions
carry their code; webob HTTP errors keep theirs; anything else is a 500
``computeFault`` that names the request id and leaves the traceback to the
log.
"""

import logging

from oslo_serialization import jsonutils
import webob
import webob.dec
import webob.exc

from console_api.api import middleware
from console_api import exception
from console_api.i18n import _

LOG = logging.getLogger(__name__)

FAULT_NAMES = {
    400: 'badRequest',
    401: 'unauthorized',
    403: 'forbidden',
    404: 'itemNotFound',
    405: 'badMethod',
    409: 'conflictingRequest',
    413: 'overLimit',
    415: 'badMediaType',
    429: 'overLimit',
    501: 'notImplemented',
    503: 'serviceUnavailable',
}

JSON_CONTENT_TYPE = 'application/json'


def fault_name(code):
    """Return the fault key Nova uses for an HTTP status code."""
    return FAULT_NAMES.get(code, 'computeFault')


def fault_response(code, message, headers=None):
    """Build a ``webob.Response`` holding a fault body."""
    inner = {'code': code, 'message': message}
    headers = dict(headers or {})
    if code in (413, 429) and 'Retry-After' in headers:
        inner['retryAfter'] = headers['Retry-After']
    response = webob.Response(status=code, headerlist=list(headers.items()))
    response.content_type = JSON_CONTENT_TYPE
    response.charset = 'UTF-8'
    response.body = jsonutils.dump_as_bytes({fault_name(code): inner})
    return response


def _request_id(req):
    return req.environ.get('openstack.request_id', '')


def unexpected_error_response(req, exc):
    """Log ``exc`` with its traceback and return a 500 that names the id."""
    request_id = _request_id(req)
    LOG.exception('Unexpected error in %(method)s %(path)s (%(req_id)s)',
                  {'method': req.method, 'path': req.path,
                   'req_id': request_id})
    message = _('Unexpected API Error. Please report this to the cloud '
                'operator with request id %s.') % (request_id or 'unknown')
    if isinstance(exc, exception.ConsoleApiException) and exc.safe:
        message = '%s %s' % (exc.format_message(), message)
    return fault_response(500, message)


def exception_response(req, exc):
    """Turn any exception raised below the API into a fault response."""
    if isinstance(exc, exception.ConsoleApiException) and exc.code < 500:
        return fault_response(exc.code, exc.format_message())
    if isinstance(exc, exception.ConsoleApiException) and exc.code in (
            501, 503):
        LOG.warning('%(method)s %(path)s: %(error)s',
                    {'method': req.method, 'path': req.path,
                     'error': exc.format_message()})
        return fault_response(exc.code, exc.format_message())
    if isinstance(exc, webob.exc.HTTPException) and exc.code < 500:
        headers = {key: value for key, value in exc.headers.items()
                   if key.lower() in ('allow', 'retry-after')}
        return fault_response(exc.code, exc.explanation, headers)
    return unexpected_error_response(req, exc)


class FaultWrapper(middleware.Middleware):
    """Paste filter: no exception escapes the API as a traceback."""

    @webob.dec.wsgify
    def __call__(self, req):
        try:
            response = req.get_response(self.application)
        except Exception as exc:
            return exception_response(req, exc)
        if response.status_code >= 400 and not is_fault(response):
            return reformat(response)
        return response


def is_fault(response):
    """Tell whether an error response already has Nova's fault body."""
    if response.content_type != JSON_CONTENT_TYPE:
        return False
    try:
        body = jsonutils.loads(response.body)
    except ValueError:
        return False
    return (isinstance(body, dict) and len(body) == 1 and
            next(iter(body)) in (fault_name(response.status_code),
                                 'computeFault'))


def reformat(response):
    """Rewrite an error from a foreign filter (sizelimit, authtoken...).

    Its text is kept when it is JSON with a ``message``; otherwise the
    status's standard explanation is used, never an HTML page.
    """
    code = response.status_code
    message = None
    if response.content_type == JSON_CONTENT_TYPE:
        try:
            body = jsonutils.loads(response.body)
            inner = next(iter(body.values())) if isinstance(body, dict) else {}
            message = inner.get('message') if isinstance(inner, dict) else None
        except (ValueError, StopIteration):
            message = None
    if not message:
        error_class = webob.exc.status_map.get(code)
        message = getattr(error_class, 'explanation', None) or response.status
    keep = ('allow', 'retry-after', 'www-authenticate',
            'x-openstack-request-id', 'x-compute-request-id')
    headers = {key: value for key, value in response.headers.items()
               if key.lower() in keep}
    return fault_response(code, message, headers)
