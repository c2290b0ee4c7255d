"""Reading JSON request bodies the way compute clients expect."""

from oslo_serialization import jsonutils
import webob.exc

from console_api import exception
from console_api.i18n import _

# Content types the compute API accepts for a body; a missing type and
# text/plain are read as JSON too, as Nova does, since old clients send them.
ACCEPTED_TYPES = frozenset(['application/json',
                            'application/vnd.openstack.compute+json'])
LENIENT_TYPES = frozenset(['', 'text/plain'])


def json_body(req):
    """Return the decoded JSON body of ``req``, or ``None`` when empty.

    :raises webob.exc.HTTPUnsupportedMediaType: for another content type.
    :raises MalformedRequestBody: for a body that is not JSON.
    """
    content_type = (req.content_type or '').lower()
    if content_type not in ACCEPTED_TYPES | LENIENT_TYPES:
        raise webob.exc.HTTPUnsupportedMediaType(
            explanation=_('Unsupported Content-Type'))
    raw = req.body
    if not raw:
        return None
    try:
        return jsonutils.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise exception.MalformedRequestBody(
            reason=_('the body is not valid JSON'))
