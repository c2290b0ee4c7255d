"""[console] options shared by the console proxies."""

from oslo_config import cfg

GROUP = cfg.OptGroup('console', title='Console proxy options')

console_opts = [
    cfg.ListOpt(
        'allowed_origins',
        default=[],
        deprecated_group='DEFAULT',
        deprecated_name='console_allowed_origins',
        help="""
Host names, besides the proxy's own ``Host``, accepted in a websocket
``Origin`` header.

Possible values:

* A list of host names, such as ``['openstack.example.com']``.
"""),
    cfg.StrOpt(
        'ssl_ciphers',
        help="""
OpenSSL cipher string the proxies allow for TLS clients; unset keeps the
system default.
"""),
    cfg.StrOpt(
        'ssl_minimum_version',
        default='default',
        choices=[
            ('default', 'Use the underlying system OpenSSL defaults'),
            ('tlsv1_1', 'Require TLS v1.1 or greater for TLS connections'),
            ('tlsv1_2', 'Require TLS v1.2 or greater for TLS connections'),
            ('tlsv1_3', 'Require TLS v1.3 or greater for TLS connections'),
        ],
        help="""
Oldest TLS version the proxies accept from clients.
"""),
]


def register_opts(conf):
    conf.register_group(GROUP)
    conf.register_opts(console_opts, group=GROUP)


def list_opts():
    return {GROUP: console_opts}
