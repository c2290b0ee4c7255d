"""Query-string schema of ``GET /os-console-sessions``.

The query string is validated as ``req.GET.dict_of_lists()``: every
parameter is a list of its values, so ``status`` may repeat; of the others
the last value counts, as webob and Nova take it.
"""

from console_api.console import sessions


def _values(item):
    return {'type': 'array', 'items': item, 'minItems': 1}


_STRING = {'type': 'string'}

index_query = {
    'type': 'object',
    'properties': {
        'server_id': _values(_STRING),
        'user_id': _values(_STRING),
        'status': _values({'type': 'string',
                           'enum': list(sessions.STATUSES)}),
        # An ISO 8601 time; parsed (and refused) by the controller, since
        # jsonschema checks "date-time" only with an optional library.
        'changes-since': _values(_STRING),
        'limit': _values({'type': 'string', 'pattern': '^[0-9]+$'}),
        'marker': _values(_STRING),
        'all_tenants': _values(_STRING),
    },
    # Unknown parameters are refused, as Nova refuses them from 2.75 on.
    'additionalProperties': False,
}
