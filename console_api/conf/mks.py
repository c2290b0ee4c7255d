"""[mks] options: VMware WebMKS consoles."""

from oslo_config import cfg

GROUP = cfg.OptGroup('mks', title='MKS options', help="""
WebMKS consoles (microversion 2.8 and later), served by an external proxy.
""")

mks_opts = [
    cfg.BoolOpt(
        'enabled',
        default=False,
        help="""
Allow MKS consoles. When off, an MKS console request gets 400.
"""),
    cfg.URIOpt(
        'mksproxy_base_url',
        schemes=['http', 'https'],
        default='http://127.0.0.1:6090/',
        help="""
Public URL of the WebMKS proxy; ``?token=<token>`` is appended.
"""),
]


def register_opts(conf):
    conf.register_group(GROUP)
    conf.register_opts(mks_opts, group=GROUP)


def list_opts():
    return {GROUP: mks_opts}
