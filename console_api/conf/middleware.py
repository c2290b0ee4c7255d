"""Defaults console-api gives to oslo.middleware's options.

The version documents must honour ``X-Forwarded-Proto`` so that a service
behind a TLS-terminating load balancer advertises ``https`` links; the header
only changes the scheme of links, so parsing it is on by default. Operators
whose clients reach the API directly may turn it off.
"""

from oslo_config import cfg
from oslo_middleware import http_proxy_to_wsgi


def register_opts(conf):
    cfg.set_defaults(http_proxy_to_wsgi.OPTS,
                     enable_proxy_headers_parsing=True)


def list_opts():
    # oslo-config-generator lists them under oslo.middleware's namespaces.
    return {}
