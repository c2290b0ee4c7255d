"""[DEFAULT] options about this node's identity and its services."""

import socket

from oslo_config import cfg

host_opts = [
    cfg.HostDomainOpt(
        'host',
        default=socket.gethostname(),
        sample_default='<current_hostname>',
        help="""
Hostname, FQDN or IP address of this host.

A compute agent serves RPC requests for this name and reports it as the host
of every server its hypervisor runs; it must be unique among agents.

Possible values:

* A valid hostname, FQDN or IP address.
"""),
    cfg.StrOpt(
        'compute_driver',
        default='libvirt',
        help="""
The hypervisor driver a compute agent asks for consoles.

Possible values:

* ``libvirt`` (or Nova's spelling ``libvirt.LibvirtDriver``): a libvirt
  hypervisor, see the ``[libvirt]`` group.
* ``fake`` (or ``fake.FakeDriver``): an inventory read from a YAML file, see
  the ``[fake_driver]`` group; for demos and tests.
"""),
    cfg.StrOpt(
        'state_path',
        default='/var/lib/console_api',
        help="""
Top-level directory for state kept on this host, such as the sqlite database
of an all-in-one service. ``console-api-aio`` defaults it to ``./state``.
"""),
    cfg.IntOpt(
        'graceful_shutdown_timeout',
        default=60,
        min=0,
        help="""
Seconds a service stopping on SIGTERM or SIGINT gives API requests and
console sessions in flight to end; then it closes them and exits.

Possible values:

* 0: no limit.
* A number of seconds below what the service manager allows a stop
  (systemd's ``TimeoutStopSec``, 90 by default).
"""),
]


def register_opts(conf):
    conf.register_opts(host_opts)


def list_opts():
    return {'DEFAULT': host_opts}
