"""[serial_console] options: serial consoles over websockets."""

from oslo_config import cfg

GROUP = cfg.OptGroup('serial_console', title='Serial console options', help="""
Interactive serial consoles, relayed from the guest's TCP serial port to a
websocket client.
""")

serial_opts = [
    cfg.BoolOpt(
        'enabled',
        default=False,
        help="""
Allow serial consoles. When off, a serial console request gets 400.
"""),
    cfg.URIOpt(
        'base_url',
        default='ws://127.0.0.1:6083/',
        schemes=['ws', 'wss'],
        help="""
Public websocket URL of the serial proxy; ``?token=<token>`` is appended.
Use ``wss://`` when the proxy serves TLS.
"""),
    cfg.HostAddressOpt(
        'proxyclient_address',
        default='127.0.0.1',
        help="""
Address of the compute host that the serial proxy connects to.
"""),
    cfg.HostAddressOpt(
        'serialproxy_host',
        default='0.0.0.0',
        help="""
Address the serial proxy listens on.
"""),
    cfg.PortOpt(
        'serialproxy_port',
        default=6083,
        help="""
Port the serial proxy listens on.
"""),
]


def register_opts(conf):
    conf.register_group(GROUP)
    conf.register_opts(serial_opts, group=GROUP)


def list_opts():
    return {GROUP: serial_opts}
