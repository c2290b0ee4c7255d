"""Who may list and show servers (the read-only inventory)."""

from oslo_policy import policy

from console_api.policies import base

PREFIX = 'os_compute_api:servers:%s'
INDEX = PREFIX % 'index'
DETAIL = PREFIX % 'detail'
SHOW = PREFIX % 'show'
INDEX_ALL_TENANTS = PREFIX % 'index:get_all_tenants'
DETAIL_ALL_TENANTS = PREFIX % 'detail:get_all_tenants'
EXTENDED_ATTRIBUTES = 'os_compute_api:os-extended-server-attributes'

rules = [
    policy.DocumentedRuleDefault(
        name=INDEX,
        check_str=base.PROJECT_READER_OR_ADMIN,
        description='List the servers of the caller\'s project.',
        operations=[{'method': 'GET', 'path': '/servers'}],
        scope_types=['project'],
        deprecated_rule=base.DEPRECATED_ADMIN_OR_OWNER),
    policy.DocumentedRuleDefault(
        name=DETAIL,
        check_str=base.PROJECT_READER_OR_ADMIN,
        description='List the servers of the caller\'s project with '
                    'details.',
        operations=[{'method': 'GET', 'path': '/servers/detail'}],
        scope_types=['project'],
        deprecated_rule=base.DEPRECATED_ADMIN_OR_OWNER),
    policy.DocumentedRuleDefault(
        name=SHOW,
        check_str=base.PROJECT_READER_OR_ADMIN,
        description='Show a server.',
        operations=[{'method': 'GET', 'path': '/servers/{server_id}'}],
        scope_types=['project'],
        deprecated_rule=base.DEPRECATED_ADMIN_OR_OWNER),
    policy.DocumentedRuleDefault(
        name=INDEX_ALL_TENANTS,
        check_str=base.ADMIN,
        description='List the servers of every project '
                    '(``all_tenants=1``).',
        operations=[{'method': 'GET', 'path': '/servers'}],
        scope_types=['project'],
        deprecated_rule=base.DEPRECATED_ADMIN_API),
    policy.DocumentedRuleDefault(
        name=DETAIL_ALL_TENANTS,
        check_str=base.ADMIN,
        description='List the servers of every project with details '
                    '(``all_tenants=1``).',
        operations=[{'method': 'GET', 'path': '/servers/detail'}],
        scope_types=['project'],
        deprecated_rule=base.DEPRECATED_ADMIN_API),
    policy.DocumentedRuleDefault(
        name=EXTENDED_ATTRIBUTES,
        check_str=base.ADMIN,
        description='Show the host of a server '
                    '(``OS-EXT-SRV-ATTR:host``).',
        operations=[
            {'method': 'GET', 'path': '/servers/{server_id}'},
            {'method': 'GET', 'path': '/servers/detail'},
        ],
        scope_types=['project'],
        deprecated_rule=base.DEPRECATED_ADMIN_API),
]


def list_rules():
    return rules
