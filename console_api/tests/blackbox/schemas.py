"""Response schemas per microversion, tempest's where tempest has them.

Console and version-discovery answers are checked against tempest's own
``tempest.lib.api_schema.response.compute`` schemas, picked by microversion
the way tempest's ``servers_client`` picks them. The read-only servers API
is console-api's own (tempest's server schemas describe Nova's full server
body), and so is the console-session extension: their schemas and the
fault body schema are defined here.
"""

from tempest.lib.api_schema.response.compute.v2_1 import servers as v2_1
from tempest.lib.api_schema.response.compute.v2_1 import versions
from tempest.lib.api_schema.response.compute.v2_100 import servers as v2_100
from tempest.lib.api_schema.response.compute.v2_6 import servers as v2_6
from tempest.lib.api_schema.response.compute.v2_8 import servers as v2_8
from tempest.lib.api_schema.response.compute.v2_99 import servers as v2_99
from tempest.lib.common import rest_client

LIST_VERSIONS = versions.list_versions
GET_ONE_VERSION = versions.get_one_version
LEGACY_CONSOLE = v2_1.get_vnc_console

# tempest's v2_99/v2_100 remote-console enums lack mks/webmks although the
# API accepts them from 2.8 on: an MKS answer above 2.98 is checked with
# the 2.8 schema (same shape, wider enums would be the only difference).
_REMOTE_CONSOLES = [((2, 6), v2_6.get_remote_consoles),
                    ((2, 8), v2_8.get_remote_consoles),
                    ((2, 99), v2_99.get_remote_consoles),
                    ((2, 100), v2_100.get_remote_consoles)]


def _ok(properties):
    return {'status_code': [200], 'response_body': {
        'type': 'object', 'properties': properties,
        'required': sorted(properties), 'additionalProperties': False}}


def parse(version):
    """``'2.31'`` -> ``(2, 31)``."""
    major, minor = version.split('.')
    return int(major), int(minor)


def remote_consoles(version, protocol=None):
    """tempest's ``get_remote_consoles`` schema for ``version`` (>= 2.6)."""
    wanted = parse(version)
    if protocol == 'mks' and wanted >= (2, 99):
        return v2_8.get_remote_consoles
    chosen = None
    for since, schema in _REMOTE_CONSOLES:
        if wanted >= since:
            chosen = schema
    if chosen is None:
        raise ValueError('remote-consoles needs 2.6 or later, not %s'
                         % version)
    return chosen


def console_auth_token(version, console_type):
    """Schema of ``GET /os-console-auth-tokens/{token}`` at ``version``.

    2.99 is tempest's ``console_auth_tokens``; elsewhere the shape the API
    reference documents: the four base keys, ``tls_port`` only for
    ``spice-direct`` at 2.99 and later.
    """
    if parse(version) == (2, 99):
        return v2_99.console_auth_tokens
    properties = {
        'instance_uuid': {'type': 'string', 'format': 'uuid'},
        'host': {'type': ['string', 'null']},
        'port': {'type': 'integer'},
        'internal_access_path': {'type': ['string', 'null']},
    }
    required = sorted(properties)
    if parse(version) >= (2, 99) and console_type == 'spice-direct':
        properties['tls_port'] = {'type': ['integer', 'null']}
        required.append('tls_port')
    return _ok({'console': {'type': 'object', 'properties': properties,
                            'required': required,
                            'additionalProperties': False}})


_LINKS = {'type': 'array', 'items': {
    'type': 'object',
    'properties': {'href': {'type': 'string', 'format': 'uri'},
                   'rel': {'type': 'string'}},
    'required': ['href', 'rel']}}

_SERVER = {
    'type': 'object',
    'properties': {'id': {'type': 'string', 'format': 'uuid'},
                   'name': {'type': 'string'},
                   'links': _LINKS},
    'required': ['id', 'name', 'links'],
}

_SERVER_DETAIL = {
    'type': 'object',
    'properties': dict(_SERVER['properties'],
                       status={'type': 'string'},
                       tenant_id={'type': ['string', 'null']}),
    'required': ['id', 'name', 'links', 'status', 'tenant_id'],
}

LIST_SERVERS = {'status_code': [200], 'response_body': {
    'type': 'object',
    'properties': {'servers': {'type': 'array', 'items': _SERVER}},
    'required': ['servers']}}

LIST_SERVERS_DETAIL = {'status_code': [200], 'response_body': {
    'type': 'object',
    'properties': {'servers': {'type': 'array', 'items': _SERVER_DETAIL}},
    'required': ['servers']}}


GET_SERVER = {'status_code': [200], 'response_body': {
    'type': 'object', 'properties': {'server': _SERVER_DETAIL},
    'required': ['server']}}


# console-api's session object (its api-ref, C1): every field always
# present, nothing else.
_TIME = {'type': 'string', 'format': 'iso8601-date-time'}
_OPTIONAL_TIME = {'oneOf': [{'type': 'null'}, _TIME]}
_SESSION_STATUSES = ['issued', 'active', 'closed', 'expired', 'revoked']
_CLOSE_REASONS = ['client', 'console', 'killed', 'expired', 'idle',
                  'replaced', 'server_gone', 'proxy_lost', 'error']
_COUNT = {'type': 'integer', 'minimum': 0}
_OPTIONAL_STRING = {'type': ['string', 'null']}

_CONSOLE_SESSION = {
    'type': 'object',
    'properties': {
        'id': {'type': 'string', 'format': 'uuid'},
        'server_id': {'type': 'string', 'format': 'uuid'},
        'project_id': _OPTIONAL_STRING,
        'user_id': _OPTIONAL_STRING,
        'protocol': {'type': 'string',
                     'enum': ['vnc', 'spice', 'serial', 'rdp', 'mks']},
        'type': {'type': 'string'},
        'view_only': {'type': 'boolean'},
        'status': {'type': 'string', 'enum': _SESSION_STATUSES},
        'created_at': _TIME,
        'expires_at': _TIME,
        'connected_at': _OPTIONAL_TIME,
        'closed_at': _OPTIONAL_TIME,
        'close_reason': {'oneOf': [{'type': 'null'}, {
            'type': 'string', 'enum': _CLOSE_REASONS}]},
        'client_address': _OPTIONAL_STRING,
        'proxy_host': _OPTIONAL_STRING,
        'bytes_to_client': _COUNT,
        'bytes_to_console': _COUNT,
    },
    'additionalProperties': False,
}
_CONSOLE_SESSION['required'] = sorted(_CONSOLE_SESSION['properties'])

LIST_CONSOLE_SESSIONS = _ok({'console_sessions': {
    'type': 'array', 'items': _CONSOLE_SESSION}})
GET_CONSOLE_SESSION = _ok({'console_session': _CONSOLE_SESSION})
#: ``DELETE`` of one session or of a server's: 202 and no body.
DELETE_CONSOLE_SESSIONS = {'status_code': [202]}


def fault(code):
    """Nova's fault body: one key naming the fault, with code and message."""
    return {
        'type': 'object',
        'minProperties': 1, 'maxProperties': 1,
        'additionalProperties': {
            'type': 'object',
            'properties': {'code': {'const': code},
                           'message': {'type': 'string'}},
            'required': ['code', 'message'],
        },
    }


class _Status(object):
    """The little of a response tempest's validator looks at."""

    def __init__(self, response):
        self.status = response.status


def validate(schema, response):
    """Check ``response`` against a tempest-style ``schema``.

    :raises tempest.lib.exceptions.InvalidHttpSuccessCode: wrong status.
    :raises tempest.lib.exceptions.InvalidHTTPResponseBody: wrong body.
    """
    rest_client.RestClient.validate_response(schema, _Status(response),
                                             response.body)
