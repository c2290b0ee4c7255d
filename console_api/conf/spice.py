"""[spice] options: SPICE consoles (spice-html5 and spice-direct)."""

from oslo_config import cfg

GROUP = cfg.OptGroup('spice', title='SPICE options', help="""
SPICE consoles, opened through spice-html5 or, for ``spice-direct``, by a
native client behind an external proxy.
""")

spice_opts = [
    cfg.BoolOpt(
        'enabled',
        default=False,
        help="""
Allow SPICE consoles. When off, a SPICE console request gets 400.
"""),
    cfg.URIOpt(
        'html5proxy_base_url',
        default='http://127.0.0.1:6082/spice_auto.html',
        schemes=['http', 'https'],
        help="""
Public URL of the spice-html5 client; ``?token=<token>`` is appended.
"""),
    cfg.URIOpt(
        'spice_direct_proxy_base_url',
        default='http://127.0.0.1:13002/nova',
        schemes=['http', 'https'],
        help="""
Public URL of the proxy for ``spice-direct`` consoles; ``?token=<token>`` is
appended.
"""),
    cfg.HostAddressOpt(
        'server_proxyclient_address',
        default='127.0.0.1',
        help="""
Address of the compute host that proxies connect to for SPICE; it is stored
as the token's ``host``.
"""),
    cfg.HostAddressOpt(
        'html5proxy_host',
        default='0.0.0.0',
        help="""
Address the spice-html5 proxy listens on.
"""),
    cfg.PortOpt(
        'html5proxy_port',
        default=6082,
        help="""
Port the spice-html5 proxy listens on.
"""),
]


def register_opts(conf):
    conf.register_group(GROUP)
    conf.register_opts(spice_opts, group=GROUP)


def list_opts():
    return {GROUP: spice_opts}
