"""[consoleauth] options: console tokens and the sessions they open."""

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
        'purge_interval',
        default=300,
        deprecated_opts=[cfg.DeprecatedOpt('instance_delete_interval',
                                           group='DEFAULT')],
        help="""
Seconds between two purges of expired console tokens by each compute agent.

Possible values:

* A positive number of seconds.
* 0 or less: no periodic purge.

Related options:

* ``purge_batch_size``
"""),
    cfg.IntOpt(
        'purge_batch_size',
        default=1000,
        min=1,
        help="""
Most expired tokens deleted in one database transaction while purging, so
that a purge of many rows never holds long locks.

Related options:

* ``purge_interval``
"""),
    cfg.BoolOpt(
        'single_use',
        default=True,
        help="""
A console token opens one session. The first websocket connection binds it
to the client's address; more connections (spice-html5 opens several) and
reconnections within ``reconnect_window`` are accepted from that address
only. When off, any client may use a token, any number of times, until it
expires (Nova's behaviour).

Related options:

* ``reconnect_window``
"""),
    cfg.IntOpt(
        'reconnect_window',
        default=30,
        min=0,
        help="""
Seconds after the last connection of a session closed during which its
client may reconnect with the same token (a page reload, a network blip).
"""),
    cfg.IntOpt(
        'session_check_interval',
        default=10,
        min=1,
        help="""
Seconds between two looks of a console proxy at the status of the sessions
it holds, so that a session ended through the API is cut even while the
message bus is down. Proxies also heartbeat, flush relayed byte counts and
close the sessions of dead proxies at this interval.
"""),
    cfg.IntOpt(
        'session_idle_timeout',
        default=0,
        min=0,
        help="""
Seconds a session may go without console data from its client before the
proxy ends it (close code 4003). 0 disables the timeout. Websocket pings
do not count as data.
"""),
    cfg.IntOpt(
        'max_sessions_per_server',
        default=0,
        min=0,
        help="""
Most active sessions of one server that may send input; view-only sessions
never count. 0 means no limit. Serial consoles always allow one session
and replace it.

Related options:

* ``session_limit_action``
"""),
    cfg.StrOpt(
        'session_limit_action',
        default='refuse',
        choices=[('refuse', 'the new connection gets 403'),
                 ('replace', 'the oldest active session ends (code 4004)')],
        help="""
What happens to a connection beyond ``max_sessions_per_server``.
"""),
    cfg.IntOpt(
        'session_retention',
        default=30 * 24 * 3600,
        min=0,
        help="""
Seconds an ended console session is kept for the session list before the
purge removes it.
"""),
]


def register_opts(conf):
    conf.register_group(GROUP)
    conf.register_opts(consoleauth_opts, group=GROUP)


def list_opts():
    return {GROUP: consoleauth_opts}
