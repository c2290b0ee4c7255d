"""[upgrade_levels] options: RPC version caps during rolling upgrades."""

from oslo_config import cfg

GROUP = cfg.OptGroup('upgrade_levels', title='Upgrade levels')

upgrade_levels_opts = [
    cfg.StrOpt(
        'console_agent',
        help="""
Highest RPC API version the API sends to compute agents, so that upgraded API
nodes keep talking to agents not yet upgraded.

Possible values:

* Unset: the newest version this code knows.
* A version such as ``1.0``.
"""),
]


def register_opts(conf):
    conf.register_group(GROUP)
    conf.register_opts(upgrade_levels_opts, group=GROUP)


def list_opts():
    return {GROUP: upgrade_levels_opts}
