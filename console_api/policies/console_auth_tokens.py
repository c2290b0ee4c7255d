"""Who may read where a console token leads (proxies, administrators)."""

from oslo_policy import policy

from console_api.policies import base

CONSOLE_AUTH_TOKENS = 'os_compute_api:os-console-auth-tokens'

rules = [
    policy.DocumentedRuleDefault(
        name=CONSOLE_AUTH_TOKENS,
        check_str=base.ADMIN,
        description='Show the hypervisor host and port a console token '
                    'stands for.',
        operations=[
            {'method': 'GET',
             'path': '/os-console-auth-tokens/{console_token}'},
        ],
        scope_types=['project'],
        deprecated_rule=base.DEPRECATED_ADMIN_API),
]


def list_rules():
    return rules
