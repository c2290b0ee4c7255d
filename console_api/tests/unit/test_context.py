"""Request contexts and the admin context of the service's own work."""

import testtools

from console_api import context
from console_api import exception


class ContextTest(testtools.TestCase):

    def test_round_trip_through_dict(self):
        ctx = context.RequestContext(user_id='u', project_id='p',
                                     roles=['member'])
        copy = context.RequestContext.from_dict(ctx.to_dict())
        self.assertEqual(('u', 'p', ['member']),
                         (copy.user_id, copy.project_id, copy.roles))
        self.assertFalse(copy.is_admin)

    def test_admin_context(self):
        ctx = context.get_admin_context()
        self.assertTrue(ctx.is_admin)
        self.assertTrue(ctx.to_policy_values()['is_admin'])


class LazyAdminTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        from oslo_config import fixture as config_fixture

        from console_api import conf
        from console_api import policy
        self.useFixture(config_fixture.Config(conf.CONF))
        conf.CONF([], project='console_api', default_config_files=[])
        policy.set_defaults(conf.CONF)
        self.policy = policy.Policy(conf.CONF)

    def test_none_is_decided_by_policy_on_first_use(self):
        admin = context.RequestContext(user_id='a', project_id='p',
                                       roles=['admin'])
        admin.is_admin = None
        admin.policy = self.policy
        member = context.RequestContext(user_id='m', project_id='p',
                                        roles=['member'])
        member.is_admin = None
        member.policy = self.policy
        self.assertTrue(admin.is_admin)
        self.assertFalse(member.is_admin)
        self.assertTrue(admin.to_dict()['is_admin'])

    def test_none_without_policy_is_not_admin(self):
        ctx = context.RequestContext(user_id='a', project_id='p',
                                     roles=['admin'])
        ctx.is_admin = None
        self.assertFalse(ctx.is_admin)

    def test_can_asks_the_bound_policy(self):
        ctx = context.RequestContext(user_id='m', project_id='p',
                                     roles=['member'])
        ctx.policy = self.policy
        rule = 'os_compute_api:os-console-auth-tokens'
        self.assertFalse(ctx.can(rule, fatal=False))
        self.assertRaises(exception.PolicyNotAuthorized, ctx.can, rule)
        self.assertTrue(ctx.can('os_compute_api:os-remote-consoles',
                                {'project_id': 'p'}))

    def test_explicit_value_is_kept(self):
        ctx = context.RequestContext(user_id='a', project_id='p',
                                     roles=['admin'], is_admin=False)
        self.assertFalse(ctx.is_admin)
