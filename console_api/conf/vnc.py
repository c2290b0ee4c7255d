"""[vnc] options: VNC consoles and the noVNC proxy."""

from oslo_config import cfg

GROUP = cfg.OptGroup('vnc', title='VNC options', help="""
Virtual Network Computer (VNC) consoles, opened in a browser through noVNC.
""")

vnc_opts = [
    cfg.BoolOpt(
        'enabled',
        default=True,
        deprecated_group='DEFAULT',
        deprecated_name='vnc_enabled',
        help="""
Allow VNC consoles. When off, a VNC console request gets 400.
"""),
    cfg.HostAddressOpt(
        'server_proxyclient_address',
        default='127.0.0.1',
        help="""
Address of the compute host that the console proxy connects to for VNC; it
is stored as the token's ``host``.
"""),
    cfg.URIOpt(
        'novncproxy_base_url',
        default='http://127.0.0.1:6080/vnc_auto.html',
        schemes=['http', 'https'],
        help="""
Public URL of the noVNC client that console URLs point at. The token is
appended inside the ``path`` query parameter; other query parameters,
including an existing ``path``, are kept.

Possible values:

* A URL such as ``https://console.example.com/vnc_lite.html``.

Related options:

* ``novncproxy_host`` and ``novncproxy_port``: where the proxy listens.
"""),
    cfg.HostAddressOpt(
        'novncproxy_host',
        default='0.0.0.0',
        help="""
Address the noVNC proxy listens on.
"""),
    cfg.PortOpt(
        'novncproxy_port',
        default=6080,
        help="""
Port the noVNC proxy listens on.
"""),
    cfg.ListOpt(
        'auth_schemes',
        item_type=cfg.types.String(choices=(
            ('none', 'Allow connection without authentication.'),
        )),
        default=['none'],
        help="""
RFB security types the proxy may use towards the compute host's VNC server.
"""),
]


def register_opts(conf):
    conf.register_group(GROUP)
    conf.register_opts(vnc_opts, group=GROUP)


def list_opts():
    return {GROUP: vnc_opts}
