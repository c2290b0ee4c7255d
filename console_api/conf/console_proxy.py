"""[console_proxy] options: what the console proxies trust in a request."""

from oslo_config import cfg

GROUP = cfg.OptGroup('console_proxy', title='Console proxy options', help="""
Options of the console proxies (``console-proxy``) beyond their listeners.
""")

console_proxy_opts = [
    cfg.ListOpt(
        'trusted_proxies',
        default=[],
        help="""
Addresses or networks (CIDR) of reverse proxies in front of the console
proxies.

A websocket upgrade arriving from one of them is recorded, bound (single
use tokens) and limited under the first address of its
``X-Forwarded-For`` header; from anywhere else, under the peer's address,
whatever the header says.

Possible values:

* Empty (default): trust no header; the peer's address is the client's.
* A list such as ``10.0.0.5,192.0.2.0/24,2001:db8::/32``.

Related options:

* ``[consoleauth] single_use``
"""),
]


def register_opts(conf):
    conf.register_group(GROUP)
    conf.register_opts(console_proxy_opts, group=GROUP)


def list_opts():
    return {GROUP: console_proxy_opts}
