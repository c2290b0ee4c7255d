"""[consoleauth] options: console token lifetime and purging."""

from oslo_config import cfg

GROUP = cfg.OptGroup('consoleauth', title='Console token options')

consoleauth_opts = [
    cfg.IntOpt(
        'token_ttl',
        default=600,
        min=0,
        deprecated_group='DEFAULT',
        deprecated_name='console_token_ttl',
        help="""
Seconds a console token stays valid after it is issued.
"""),
    cfg.BoolOpt(
        'enforce_session_timeout',
        default=False,
        help="""
Close an open console session when its token expires. When off, a session
opened with a valid token lasts until either side closes it.
"""),
    cfg.IntOpt(
        'purge_batch_size',
        default=1000,
        min=1,
        help="""
Most expired tokens deleted in one database transaction while purging, so
that a purge of many rows never holds long locks.

Related options:

* ``[DEFAULT] instance_delete_interval``
"""),
]


def register_opts(conf):
    conf.register_group(GROUP)
    conf.register_opts(consoleauth_opts, group=GROUP)


def list_opts():
    return {GROUP: consoleauth_opts}
