"""Request schemas of ``POST /servers/{id}/remote-consoles`` and actions."""

import copy

PROTOCOLS_V26 = ['vnc', 'spice', 'serial', 'rdp']
TYPES_V26 = ['novnc', 'xvpvnc', 'spice-html5', 'serial', 'rdp-html5']

create_v26 = {
    'type': 'object',
    'properties': {
        'remote_console': {
            'type': 'object',
            'properties': {
                'protocol': {'type': 'string', 'enum': PROTOCOLS_V26},
                'type': {'type': 'string', 'enum': TYPES_V26},
            },
            'required': ['protocol', 'type'],
            'additionalProperties': False,
        },
    },
    'required': ['remote_console'],
    'additionalProperties': False,
}

create_v28 = copy.deepcopy(create_v26)
create_v28['properties']['remote_console']['properties']['protocol'][
    'enum'] = PROTOCOLS_V26 + ['mks']
create_v28['properties']['remote_console']['properties']['type'][
    'enum'] = TYPES_V26 + ['webmks']

create_v299 = copy.deepcopy(create_v28)
create_v299['properties']['remote_console']['properties']['type'][
    'enum'] = TYPES_V26 + ['webmks', 'spice-direct']


def _action(name, types):
    return {
        'type': 'object',
        'properties': {
            name: {
                'type': 'object',
                'properties': {
                    'type': {'type': 'string', 'enum': types},
                },
                'required': ['type'],
                'additionalProperties': False,
            },
        },
        'required': [name],
        'additionalProperties': False,
    }


get_vnc_console = _action('os-getVNCConsole', ['novnc', 'xvpvnc'])
get_spice_console = _action('os-getSPICEConsole', ['spice-html5'])
get_rdp_console = _action('os-getRDPConsole', ['rdp-html5'])
get_serial_console = _action('os-getSerialConsole', ['serial'])
