"""Request contexts and the admin context of the service's own work."""

import testtools

from console_api import context


class ContextTest(testtools.TestCase):

    def test_round_trip_through_dict(self):
        ctx = context.RequestContext(user_id='u', project_id='p',
                                     roles=['member'])
        copy = context.RequestContext.from_dict(ctx.to_dict())
        self.assertEqual(('u', 'p', ['member']),
                         (copy.user_id, copy.project_id, copy.roles))
        self.assertFalse(copy.is_admin)

    def test_elevated_adds_admin_without_touching_original(self):
        ctx = context.RequestContext(user_id='u', project_id='p',
                                     roles=['member'])
        admin = ctx.elevated()
        self.assertTrue(admin.is_admin)
        self.assertIn('admin', admin.roles)
        self.assertFalse(ctx.is_admin)
        self.assertNotIn('admin', ctx.roles)

    def test_admin_context(self):
        ctx = context.get_admin_context()
        self.assertTrue(ctx.is_admin)
        self.assertTrue(ctx.to_policy_values()['is_admin'])
