"""oslo.messaging's transport options, registered up front.

oslo.messaging registers ``transport_url`` and friends only when a transport
is first made; registering the very same option objects here (a copy would
clash with that later registration) lets commands set defaults for them,
such as the all-in-one's ``fake://``, before parsing the command line.
"""

from oslo_messaging import transport as messaging_transport


def register_opts(conf):
    conf.register_opts(messaging_transport._transport_opts)


def list_opts():
    # oslo-config-generator lists them under the oslo.messaging namespace.
    return {}
