"""Policy enforcement with oslo.policy.

Defaults live in code (``console_api.policies``); a ``policy.yaml`` named by
``[oslo_policy] policy_file`` overrides them. The file is looked for, and
re-read when its modification time changes, at most once a second, so an
edit takes effect within a second without a restart.
"""

import time

from oslo_policy import opts as policy_opts
from oslo_policy import policy as oslo_policy

from console_api import conf
from console_api import exception
from console_api import policies

CONF = conf.CONF
# Seconds between two looks at the policy file.
RELOAD_INTERVAL = 1.0


class Enforcer(oslo_policy.Enforcer):
    """oslo.policy's enforcer, looking at the policy file once a second.

    oslo.policy looks for the file on every check; when there is none (the
    usual case with defaults in code) that is a search of every config
    directory, a dozen stat calls per check, which cost more than the
    checks themselves.
    """

    _next_look = 0.0

    def load_rules(self, force_reload=False):
        now = time.monotonic()
        if force_reload or not self.rules or now >= self._next_look:
            super().load_rules(force_reload=force_reload)
            self._next_look = now + RELOAD_INTERVAL


def set_defaults(conf_object):
    """Secure defaults: new role-based rules with scope checks on."""
    policy_opts.set_defaults(conf_object, policy_file='policy.yaml',
                             enforce_scope=True, enforce_new_defaults=True)


class Policy(object):
    """The policy of one service: rules in code, overridden by the file.

    :param conf: the ``ConfigOpts`` with ``[oslo_policy]``.
    :param policy_file: a file that wins over ``[oslo_policy] policy_file``.
    :param rules: rules that win over the defaults (tests).
    """

    def __init__(self, conf, policy_file=None, rules=None):
        self.enforcer = Enforcer(conf, policy_file=policy_file, rules=rules,
                                 use_conf=True)
        self.enforcer.register_defaults(policies.list_rules())
        self.enforcer.load_rules()

    def authorize(self, context, action, target=None):
        """Raise ``PolicyNotAuthorized`` unless ``context`` may ``action``.
        """
        try:
            return self.enforcer.authorize(
                action,
                target if target is not None else default_target(context),
                context, do_raise=True, exc=exception.PolicyNotAuthorized,
                action=action)
        except oslo_policy.InvalidScope:
            raise exception.PolicyNotAuthorized(action=action)

    def check(self, context, action, target=None):
        """Like ``authorize`` but return a bool instead of raising."""
        try:
            self.authorize(context, action, target)
        except exception.PolicyNotAuthorized:
            return False
        return True

    def reload(self):
        """Re-read the policy file now, even if its time did not change."""
        self.enforcer.load_rules(force_reload=True)

    def check_is_admin(self, context):
        """Tell whether ``context`` passes the ``context_is_admin`` rule."""
        return self.enforcer.authorize('context_is_admin',
                                       default_target(context), context,
                                       do_raise=False)


def default_target(context):
    return {'project_id': context.project_id, 'user_id': context.user_id}


def get_enforcer():
    """Entry point for the ``oslopolicy-*`` tools.

    They call this with their own command line in ``sys.argv``; parse only
    the options this project knows so theirs are left alone.
    """
    import sys
    conf_args = []
    argv = sys.argv[1:]
    for index, arg in enumerate(argv):
        if arg in ('--config-file', '--config-dir') and index + 1 < len(argv):
            conf_args.extend([arg, argv[index + 1]])
    CONF(conf_args, project='console_api', default_config_files=[])
    set_defaults(CONF)
    return Policy(CONF).enforcer


set_defaults(CONF)
