"""[fake_driver] options of the fake hypervisor driver."""

from oslo_config import cfg

GROUP = cfg.OptGroup('fake_driver', title='Fake driver options')

fake_driver_opts = [
    cfg.StrOpt(
        'inventory_file',
        default='/etc/console_api/fake-inventory.yaml',
        help="""
YAML file listing the servers the fake hypervisor runs and their console
endpoints. The file is read again whenever it changes.
"""),
]


def register_opts(conf):
    conf.register_group(GROUP)
    conf.register_opts(fake_driver_opts, group=GROUP)


def list_opts():
    return {GROUP: fake_driver_opts}
