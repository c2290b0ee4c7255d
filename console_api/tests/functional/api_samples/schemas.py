"""Response schemas for the samples tempest has no schema for.

Tempest covers the console responses at 2.1, 2.6, 2.8 and 2.99, the token
details at 2.99, the server list and the version documents. What it lacks
(token details before 2.99, the read-only server detail and show, the
console sessions) is described here, as strictly as this service answers.
"""

import copy

from tempest.lib.api_schema.response.compute.v2_1 import parameter_types

from console_api.tests.blackbox import schemas as blackbox_schemas

_nullable_string = {'type': ['string', 'null']}

#: ``GET /os-console-auth-tokens/{token}`` at 2.1 - 2.98: four keys, all
#: present, nothing else.
console_auth_tokens = {
    'status_code': [200],
    'response_body': {
        'type': 'object',
        'properties': {
            'console': {
                'type': 'object',
                'properties': {
                    'instance_uuid': {'type': 'string', 'format': 'uuid'},
                    'host': _nullable_string,
                    'port': {'type': 'integer'},
                    'internal_access_path': _nullable_string,
                },
                'required': ['instance_uuid', 'host', 'port',
                             'internal_access_path'],
                'additionalProperties': False,
            },
        },
        'required': ['console'],
        'additionalProperties': False,
    },
}

_server = {
    'type': 'object',
    'properties': {
        'id': {'type': 'string', 'format': 'uuid'},
        'name': {'type': 'string'},
        'links': parameter_types.links,
        'status': {'type': 'string'},
        'tenant_id': {'type': 'string'},
        'user_id': _nullable_string,
        'updated': {'oneOf': [{'type': 'null'}, {
            'type': 'string', 'format': 'iso8601-date-time'}]},
        'OS-EXT-STS:power_state': {'type': 'integer'},
        'OS-EXT-STS:task_state': _nullable_string,
        # Only for callers the extended-attributes policy allows.
        'OS-EXT-SRV-ATTR:host': _nullable_string,
    },
    'required': ['id', 'name', 'links', 'status', 'tenant_id', 'user_id',
                 'updated', 'OS-EXT-STS:power_state',
                 'OS-EXT-STS:task_state'],
    'additionalProperties': False,
}

#: ``GET /servers/{server_id}``.
get_server = {
    'status_code': [200],
    'response_body': {
        'type': 'object',
        'properties': {'server': _server},
        'required': ['server'],
        'additionalProperties': False,
    },
}

#: ``GET /servers/detail``.
list_servers_detail = {
    'status_code': [200],
    'response_body': {
        'type': 'object',
        'properties': {
            'servers': {'type': 'array', 'items': copy.deepcopy(_server)},
        },
        'required': ['servers'],
        'additionalProperties': False,
    },
}


#: ``GET /os-console-sessions/{session_id}`` and the list: the black-box
#: suite's schemas, so the samples and the suite hold the API to one shape.
get_console_session = blackbox_schemas.GET_CONSOLE_SESSION
list_console_sessions = blackbox_schemas.LIST_CONSOLE_SESSIONS
