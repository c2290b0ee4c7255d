"""[libvirt] options of the libvirt hypervisor driver."""

from oslo_config import cfg

GROUP = cfg.OptGroup('libvirt', title='Libvirt options')

libvirt_opts = [
    cfg.StrOpt(
        'connection_uri',
        default='qemu:///system',
        help="""
libvirt connection URI of the local hypervisor.

Possible values:

* ``qemu:///system`` for QEMU/KVM.
* ``test:///abs/path.xml`` for libvirt's test driver (tests and demos).
"""),
]


def register_opts(conf):
    conf.register_group(GROUP)
    conf.register_opts(libvirt_opts, group=GROUP)


def list_opts():
    return {GROUP: libvirt_opts}
