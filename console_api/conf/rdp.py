"""[rdp] options: RDP consoles through an external HTML5 gateway."""

from oslo_config import cfg

GROUP = cfg.OptGroup('rdp', title='RDP options', help="""
RDP consoles of guests whose hypervisor exposes an RDP endpoint, opened
through an external HTML5 RDP gateway that asks
``GET /os-console-auth-tokens/{token}`` where to connect.
""")

rdp_opts = [
    cfg.BoolOpt(
        'enabled',
        default=False,
        help="""
Allow RDP consoles. When off, an RDP console request gets 400.
"""),
    cfg.URIOpt(
        'html5_proxy_base_url',
        schemes=['http', 'https'],
        default='http://127.0.0.1:6083/',
        help="""
Public URL of the HTML5 RDP gateway; ``?token=<token>`` is appended.
"""),
    cfg.HostAddressOpt(
        'server_proxyclient_address',
        default='127.0.0.1',
        help="""
Address of the compute host that the RDP gateway connects to; it is stored
as the token's ``host``.
"""),
]


def register_opts(conf):
    conf.register_group(GROUP)
    conf.register_opts(rdp_opts, group=GROUP)


def list_opts():
    return {GROUP: rdp_opts}
