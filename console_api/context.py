"""Request contexts: who is asking, carried from the API to the agents.

``RequestContext`` is oslo.context's, made a transaction-context provider so
the database API can open reader and writer sessions on it.
"""

from oslo_context import context
from oslo_db.sqlalchemy import enginefacade


@enginefacade.transaction_context_provider
class RequestContext(context.RequestContext):
    """The caller's identity plus a slot for the database session."""

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
