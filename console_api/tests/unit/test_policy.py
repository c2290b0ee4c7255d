"""Policy defaults in code and their enforcement."""

import os

import fixtures
from oslo_config import fixture as config_fixture
import testtools

from console_api import conf
from console_api import context
from console_api import exception
from console_api import policies
from console_api import policy

CONF = conf.CONF


class PolicyTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.tmp = self.useFixture(fixtures.TempDir()).path
        self.flags = self.useFixture(config_fixture.Config(CONF))
        CONF([], project='console_api', default_config_files=[])
        policy.set_defaults(CONF)
        self.policy = policy.Policy(CONF)

    def ctx(self, roles, project='p1'):
        return context.RequestContext(user_id='u', project_id=project,
                                      roles=roles)

    def test_nova_rule_names_are_registered(self):
        names = {rule.name for rule in policies.list_rules()}
        for name in ('os_compute_api:os-remote-consoles',
                     'os_compute_api:os-console-auth-tokens',
                     'os_compute_api:servers:index',
                     'os_compute_api:servers:show',
                     'os_compute_api:os-console-sessions:index',
                     'os_compute_api:os-console-sessions:index:all_tenants',
                     'os_compute_api:os-console-sessions:show',
                     'os_compute_api:os-console-sessions:delete'):
            self.assertIn(name, names)

    def test_documented_rules_have_operations_and_scope(self):
        for rule in policies.list_rules():
            if rule.name.startswith('os_compute_api:'):
                self.assertTrue(rule.operations, rule.name)
                self.assertEqual(['project'], rule.scope_types, rule.name)

    def test_remote_consoles_member_of_target_project(self):
        rule = 'os_compute_api:os-remote-consoles'
        self.assertTrue(self.policy.check(
            self.ctx(['member']), rule, {'project_id': 'p1'}))
        self.assertFalse(self.policy.check(
            self.ctx(['member']), rule, {'project_id': 'p2'}))
        self.assertFalse(self.policy.check(
            self.ctx(['reader']), rule, {'project_id': 'p1'}))
        self.assertTrue(self.policy.check(
            self.ctx(['admin']), rule, {'project_id': 'p2'}))

    def test_auth_tokens_admin_only(self):
        rule = 'os_compute_api:os-console-auth-tokens'
        self.assertFalse(self.policy.check(self.ctx(['member', 'reader']),
                                           rule))
        self.assertTrue(self.policy.check(self.ctx(['admin']), rule))

    def test_console_session_rules(self):
        prefix = 'os_compute_api:os-console-sessions:'
        mine, theirs = {'project_id': 'p1'}, {'project_id': 'p2'}
        for rule, roles, target, allowed in (
                ('index', ['reader'], mine, True),
                ('index', ['reader'], theirs, False),
                ('index', [], mine, False),
                ('index:all_tenants', ['member', 'reader'], mine, False),
                ('index:all_tenants', ['admin'], mine, True),
                ('show', ['reader'], mine, True),
                ('show', ['member'], theirs, False),
                ('show', ['admin'], theirs, True),
                ('delete', ['reader'], mine, False),
                ('delete', ['member'], mine, True),
                ('delete', ['member'], theirs, False),
                ('delete', ['admin'], theirs, True)):
            self.assertEqual(allowed, self.policy.check(
                self.ctx(roles), prefix + rule, target),
                (rule, roles, target))

    def test_authorize_raises_policy_not_authorized_naming_rule(self):
        error = self.assertRaises(
            exception.PolicyNotAuthorized, self.policy.authorize,
            self.ctx(['reader']), 'os_compute_api:os-remote-consoles',
            {'project_id': 'p1'})
        self.assertEqual("Policy doesn't allow "
                         "os_compute_api:os-remote-consoles to be performed.",
                         error.format_message())

    def test_check_is_admin_follows_context_is_admin(self):
        self.assertTrue(self.policy.check_is_admin(self.ctx(['admin'])))
        self.assertFalse(self.policy.check_is_admin(self.ctx(['member'])))

    def test_policy_file_overrides_defaults(self):
        path = os.path.join(self.tmp, 'policy.yaml')
        with open(path, 'w') as out:
            out.write('"os_compute_api:os-console-auth-tokens": '
                      '"role:member"\n')
        self.flags.config(policy_file=path, group='oslo_policy')
        self.policy = policy.Policy(CONF)
        self.assertTrue(self.policy.check(
            self.ctx(['member']), 'os_compute_api:os-console-auth-tokens'))

    def test_get_enforcer_for_oslopolicy_tools(self):
        self.useFixture(fixtures.MonkeyPatch(
            'sys.argv', ['oslopolicy-sample-generator', '--namespace',
                         'console_api']))
        enforcer = policy.get_enforcer()
        self.assertIn('os_compute_api:os-remote-consoles',
                      enforcer.registered_rules)

    def test_policy_file_is_looked_at_once_per_interval(self):
        path = os.path.join(self.tmp, 'policy.yaml')
        rule = 'os_compute_api:os-console-auth-tokens'
        with open(path, 'w') as out:
            out.write('"%s": "role:member"\n' % rule)
        self.flags.config(policy_file=path, group='oslo_policy')
        self.policy = policy.Policy(CONF)
        self.useFixture(fixtures.MonkeyPatch(
            'console_api.policy.RELOAD_INTERVAL', 3600))
        member = self.ctx(['member'])
        self.assertTrue(self.policy.check(member, rule))
        with open(path, 'w') as out:
            out.write('"%s": "role:admin"\n' % rule)
        os.utime(path, (2_000_000_000, 2_000_000_000))
        # Within the interval the file is not looked at again...
        self.assertTrue(self.policy.check(member, rule))
        # ...and once it has passed, the edit applies.
        self.policy.enforcer._next_look = 0.0
        self.assertFalse(self.policy.check(member, rule))
