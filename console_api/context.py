"""Request contexts: who is asking, carried from the API to the agents.

``RequestContext`` is oslo.context's, made a transaction-context provider so
the database API can open reader and writer sessions on it.
"""

from oslo_context import context
from oslo_db.sqlalchemy import enginefacade


@enginefacade.transaction_context_provider
class RequestContext(context.RequestContext):
    """The caller's identity plus a slot for the database session.

    The API binds the service's ``console_api.policy.Policy`` to the
    context of each request (``policy``), so a controller asks
    ``context.can(rule, target)``. ``is_admin`` may then be set to
    ``None``, meaning "as the ``context_is_admin`` rule decides": the rule
    is evaluated on first use only, so a request that never asks (a token
    lookup, say) never pays for it.
    """

    policy = None

    @property
    def is_admin(self):
        if self._is_admin is None:
            # While the rule itself is evaluated, is_admin reads False;
            # without a policy it stays False.
            self._is_admin = False
            if self.policy is not None:
                self._is_admin = self.policy.check_is_admin(self)
        return self._is_admin

    @is_admin.setter
    def is_admin(self, value):
        self._is_admin = value

    def can(self, action, target=None, fatal=True):
        """Tell whether the bound policy allows ``action`` on ``target``.

        :param target: defaults to the caller's own project and user.
        :raises PolicyNotAuthorized: when not allowed and ``fatal``.
        """
        if fatal:
            self.policy.authorize(self, action, target)
            return True
        return self.policy.check(self, action, target)

    def to_policy_values(self):
        values = super().to_policy_values()
        values['is_admin'] = self.is_admin
        return values


def get_admin_context():
    """Return a context for the service's own work (agents, proxies)."""
    return RequestContext(user_id=None, project_id=None, is_admin=True,
                          overwrite=False)
