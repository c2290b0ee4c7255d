"""oslo.messaging's ``transport_url``, registered before parsing.

oslo.messaging registers its options only when a transport is first made,
but commands give ``transport_url`` a default before parsing the command
line (the all-in-one's ``inproc://``). The option registered here comes
from oslo.messaging's public ``list_opts()``: a copy equal to the
library's own, so that its later registration is a no-op.
"""

from oslo_messaging import opts as messaging_opts


def register_opts(conf):
    conf.register_opts([opt for opt in dict(messaging_opts.list_opts())[None]
                        if opt.name == 'transport_url'])


def list_opts():
    # oslo-config-generator lists them under the oslo.messaging namespace.
    return {}
