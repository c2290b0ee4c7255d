"""Request ids on every response, under both names compute clients read."""

from oslo_middleware import request_id

COMPUTE_REQUEST_ID_HEADER = 'x-compute-request-id'


class ComputeRequestIdMiddleware(request_id.RequestId):
    """oslo.middleware's RequestId plus Nova's ``x-compute-request-id``."""

    compat_headers = [COMPUTE_REQUEST_ID_HEADER]
