"""[DEFAULT] options of the console proxies: web root and TLS."""

from oslo_config import cfg

proxy_opts = [
    cfg.BoolOpt(
        'ssl_only',
        default=False,
        help="""
Serve the proxies over TLS only; plain connections are refused.

Related options:

* ``cert`` and ``key``
"""),
    cfg.StrOpt(
        'cert',
        default='self.pem',
        help="""
Path of the PEM certificate the proxies present to TLS clients.
"""),
    cfg.StrOpt(
        'key',
        help="""
Path of the PEM private key; unset when ``cert`` holds the key too.
"""),
    cfg.StrOpt(
        'web',
        default='/usr/share/novnc',
        help="""
Directory of static files (the noVNC client) served by the noVNC proxy.
"""),
    cfg.StrOpt(
        'spice_web',
        default='/usr/share/spice-html5',
        help="""
Directory of static files (the spice-html5 client) served by the SPICE
proxy.
"""),
]


def register_opts(conf):
    conf.register_opts(proxy_opts)


def list_opts():
    return {'DEFAULT': proxy_opts}
