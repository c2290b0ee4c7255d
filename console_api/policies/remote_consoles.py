"""Who may open a server's remote console."""

from oslo_policy import policy

from console_api.policies import base

REMOTE_CONSOLES = 'os_compute_api:os-remote-consoles'

rules = [
    policy.DocumentedRuleDefault(
        name=REMOTE_CONSOLES,
        check_str=base.PROJECT_MEMBER_OR_ADMIN,
        description='Create a remote console of a server: VNC, SPICE, RDP, '
                    'serial or MKS. The target is the server\'s project.',
        operations=[
            {'method': 'POST',
             'path': '/servers/{server_id}/action (os-getVNCConsole)'},
            {'method': 'POST',
             'path': '/servers/{server_id}/action (os-getSPICEConsole)'},
            {'method': 'POST',
             'path': '/servers/{server_id}/action (os-getRDPConsole)'},
            {'method': 'POST',
             'path': '/servers/{server_id}/action (os-getSerialConsole)'},
            {'method': 'POST',
             'path': '/servers/{server_id}/remote-consoles'},
        ],
        scope_types=['project'],
        deprecated_rule=base.DEPRECATED_ADMIN_OR_OWNER),
]


def list_rules():
    return rules
