"""Request contexts: who is asking, carried from the API to the agents.

``RequestContext`` is oslo.context's, made a transaction-context provider so
the database API can open reader and writer sessions on it.
"""

from oslo_context import context
from oslo_db.sqlalchemy import enginefacade


@enginefacade.transaction_context_provider
class RequestContext(context.RequestContext):
    """The caller's identity plus a slot for the database session.

    ``is_admin`` may be set to ``None``, meaning "as the ``context_is_admin``
    policy rule decides": the rule is then evaluated on first use only, so a
    request that never asks (a token lookup, say) never pays for it.
    """

    @property
    def is_admin(self):
        if self._is_admin is None:
            from console_api import policy
            # While the rule itself is evaluated, is_admin reads False.
            self._is_admin = False
            self._is_admin = policy.check_is_admin(self)
        return self._is_admin

    @is_admin.setter
    def is_admin(self, value):
        self._is_admin = value

    def to_policy_values(self):
        values = super().to_policy_values()
        values['is_admin'] = self.is_admin
        return values

    def elevated(self):
        """Return a copy that passes admin-only checks, for internal calls."""
        ctx = self.from_dict(self.to_dict())
        ctx.is_admin = True
        if 'admin' not in ctx.roles:
            ctx.roles = list(ctx.roles) + ['admin']
        return ctx


def get_admin_context():
    """Return a context for the service's own work (agents, proxies)."""
    return RequestContext(user_id=None, project_id=None, is_admin=True,
                          overwrite=False)
