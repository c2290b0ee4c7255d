"""Who may list, show and end console sessions (console-api's extension)."""

from oslo_policy import policy

from console_api.policies import base

PREFIX = 'os_compute_api:os-console-sessions:%s'
INDEX = PREFIX % 'index'
INDEX_ALL_TENANTS = PREFIX % 'index:all_tenants'
SHOW = PREFIX % 'show'
DELETE = PREFIX % 'delete'

rules = [
    policy.DocumentedRuleDefault(
        name=INDEX,
        check_str=base.PROJECT_READER_OR_ADMIN,
        description='List the console sessions of the caller\'s project: '
                    'who asked for which server\'s console, who is '
                    'connected, how the sessions ended.',
        operations=[{'method': 'GET', 'path': '/os-console-sessions'}],
        scope_types=['project']),
    policy.DocumentedRuleDefault(
        name=INDEX_ALL_TENANTS,
        check_str=base.ADMIN,
        description='List the console sessions of every project '
                    '(``all_tenants=1``).',
        operations=[{'method': 'GET', 'path': '/os-console-sessions'}],
        scope_types=['project']),
    policy.DocumentedRuleDefault(
        name=SHOW,
        check_str=base.PROJECT_READER_OR_ADMIN,
        description='Show a console session. The target is the project '
                    'of the session\'s server.',
        operations=[{'method': 'GET',
                     'path': '/os-console-sessions/{session_id}'}],
        scope_types=['project']),
    policy.DocumentedRuleDefault(
        name=DELETE,
        check_str=base.PROJECT_MEMBER_OR_ADMIN,
        description='End a console session, or every open console session '
                    'of a server: an unused console URL stops working and '
                    'a connected client is cut. The target is the project '
                    'of the server.',
        operations=[
            {'method': 'DELETE',
             'path': '/os-console-sessions/{session_id}'},
            {'method': 'DELETE',
             'path': '/servers/{server_id}/os-console-sessions'},
        ],
        scope_types=['project']),
]


def list_rules():
    return rules
