"""Rules the resource policies build on, named as Nova names them."""

from oslo_policy import policy

ADMIN = 'rule:context_is_admin'
PROJECT_MEMBER_OR_ADMIN = 'rule:project_member_or_admin'
PROJECT_READER_OR_ADMIN = 'rule:project_reader_or_admin'

# The pre-2020 default, kept as the deprecated fallback so that deployments
# that turn enforce_new_defaults off get the old owner-based behaviour.
DEPRECATED_REASON = """
console-api's defaults follow Nova's secure role-based defaults (reader,
member, admin) and project scope.
"""
DEPRECATED_ADMIN_OR_OWNER = policy.DeprecatedRule(
    name='rule:admin_or_owner',
    check_str='is_admin:True or project_id:%(project_id)s',
    deprecated_reason=DEPRECATED_REASON,
    deprecated_since='21.0.0')
DEPRECATED_ADMIN_API = policy.DeprecatedRule(
    name='rule:admin_api',
    check_str='is_admin:True',
    deprecated_reason=DEPRECATED_REASON,
    deprecated_since='21.0.0')

rules = [
    policy.RuleDefault(
        'context_is_admin', 'role:admin',
        description='Decides who is an administrator of the cloud.'),
    policy.RuleDefault(
        'admin_or_owner', 'is_admin:True or project_id:%(project_id)s',
        description='Legacy rule: an administrator or the owner.'),
    policy.RuleDefault(
        'admin_api', 'is_admin:True',
        description='Legacy rule: administrators only.'),
    policy.RuleDefault(
        'project_member_or_admin',
        'rule:project_member_api or rule:context_is_admin',
        description='A member of the target project, or an administrator.'),
    policy.RuleDefault(
        'project_reader_or_admin',
        'rule:project_reader_api or rule:context_is_admin',
        description='A reader of the target project, or an administrator.'),
    policy.RuleDefault(
        'project_member_api', 'role:member and project_id:%(project_id)s',
        description='A member of the target project.'),
    policy.RuleDefault(
        'project_reader_api', 'role:reader and project_id:%(project_id)s',
        description='A reader of the target project.'),
]


def list_rules():
    return rules
