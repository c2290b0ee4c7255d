"""[api] options of the compute API front end."""

from oslo_config import cfg

GROUP = cfg.OptGroup('api', title='API options', help="""
Options that shape the console API as clients see it.
""")

api_opts = [
    cfg.StrOpt(
        'auth_strategy',
        default='keystone',
        choices=[
            ('keystone', 'Use keystonemiddleware to validate tokens.'),
            ('noauth2', 'Trust ``X-Auth-Token: user:project``. Development '
                        'and tests only: anyone can claim to be anyone.'),
        ],
        help="""
Which pipeline of ``api-paste.ini`` authenticates API requests.
"""),
    cfg.StrOpt(
        'compute_link_prefix',
        help="""
Base URL that replaces the scheme, host and port of the request in the links
of the version documents, for a service behind a proxy that rewrites them.

Possible values:

* Unset: links are built from the request URL.
* A URL such as ``https://cloud.example.com:8774``.
"""),
    cfg.StrOpt(
        'api_paste_config',
        default='api-paste.ini',
        deprecated_group='DEFAULT',
        deprecated_name='api_paste_config',
        help="""
File name of the Paste Deploy configuration of the API pipeline. A relative
name is looked up next to the configuration files and in ``/etc/console_api``.
"""),
    cfg.IntOpt(
        'max_limit',
        default=1000,
        min=0,
        deprecated_group='DEFAULT',
        deprecated_name='osapi_max_limit',
        help="""
Most items one page of a listing returns (``GET /os-console-sessions``):
the default and the upper bound of its ``limit`` query parameter. A client
pages further with ``marker``.
"""),
    cfg.BoolOpt(
        'use_forwarded_for',
        default=False,
        deprecated_group='DEFAULT',
        help="""
Take the client's address from ``X-Forwarded-For``. Turn on only behind a
proxy that sets it.
"""),
]


def register_opts(conf):
    conf.register_group(GROUP)
    conf.register_opts(api_opts, group=GROUP)


def list_opts():
    return {GROUP: api_opts}
