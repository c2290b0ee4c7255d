"""Unit tests of the driver contract module and the driver loader."""

import dataclasses

import testtools

from console_api import exception
from console_api.virt import driver
from console_api.virt import fake
from console_api.virt.libvirt import driver as libvirt_driver


class TestLoadDriver(testtools.TestCase):

    def test_fake_names(self):
        for name in ('fake', 'fake.FakeDriver'):
            self.assertIsInstance(driver.load_driver(name), fake.FakeDriver)

    def test_libvirt_names(self):
        for name in ('libvirt', 'libvirt.LibvirtDriver'):
            self.assertIsInstance(driver.load_driver(name),
                                  libvirt_driver.LibvirtDriver)

    def test_new_instance_each_time(self):
        self.assertIsNot(driver.load_driver('fake'),
                         driver.load_driver('fake'))

    def test_unknown_name_lists_accepted_values(self):
        for name in ('hyperv', 'FakeDriver', '', 'fake.Other'):
            error = self.assertRaises(exception.ConfigurationError,
                                      driver.load_driver, name)
            message = error.format_message()
            self.assertIn(repr(name), message)
            for accepted in ('fake', 'fake.FakeDriver', 'libvirt',
                             'libvirt.LibvirtDriver'):
                self.assertIn(accepted, message)


class Minimal(driver.ComputeDriver):
    """Implements only the abstract methods."""

    def init_host(self, host):
        pass

    def list_domains(self):
        return []

    def get_vnc_console(self, instance_uuid):
        raise exception.ConsoleTypeUnavailable(console_type='vnc')

    get_spice_console = get_serial_console = get_rdp_console = (
        get_vnc_console)


class TestContract(testtools.TestCase):

    def test_abstract(self):
        self.assertRaises(TypeError, driver.ComputeDriver)

    def test_mks_not_supported_by_default(self):
        self.assertRaises(exception.ConsoleNotSupported,
                          Minimal().get_console, 'mks', 'uuid')

    def test_cleanup_host_default(self):
        self.assertIsNone(Minimal().cleanup_host())

    def test_values_are_frozen(self):
        endpoint = driver.ConsoleEndpoint('h', 1)
        self.assertIsNone(endpoint.tls_port)
        self.assertIsNone(endpoint.internal_access_path)
        self.assertRaises(dataclasses.FrozenInstanceError, setattr,
                          endpoint, 'port', 2)
        info = driver.DomainInfo('u', 'n', 1, 'p', 'u')
        self.assertIsNone(info.task_state)
        self.assertRaises(dataclasses.FrozenInstanceError, setattr,
                          info, 'name', 'm')
