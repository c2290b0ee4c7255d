"""[DEFAULT] and [wsgi] options of the ``console-api`` HTTP server."""

from oslo_config import cfg

listen_opts = [
    cfg.HostAddressOpt(
        'osapi_compute_listen',
        default='0.0.0.0',
        help="""
Address the ``console-api`` server binds to.
"""),
    cfg.PortOpt(
        'osapi_compute_listen_port',
        default=8774,
        help="""
Port the ``console-api`` server listens on.
"""),
    cfg.IntOpt(
        'osapi_compute_workers',
        min=1,
        default=16,
        help="""
Number of threads that serve API requests in the ``console-api`` server.
For several processes, run the WSGI application under uwsgi or gunicorn.
"""),
]

GROUP = cfg.OptGroup('wsgi', title='WSGI server options')

wsgi_opts = [
    cfg.IntOpt(
        'client_socket_timeout',
        default=900,
        min=1,
        help="""
Seconds an idle client connection is kept open.
"""),
]


def register_opts(conf):
    conf.register_opts(listen_opts)
    conf.register_group(GROUP)
    conf.register_opts(wsgi_opts, group=GROUP)


def list_opts():
    return {'DEFAULT': listen_opts, GROUP: wsgi_opts}
