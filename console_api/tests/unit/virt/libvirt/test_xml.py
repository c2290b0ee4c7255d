"""Unit tests of reading endpoints and owners from domain XML."""

import testtools

from console_api import exception
from console_api.virt import driver
from console_api.virt.libvirt import xml as domain_xml

NOVA = "xmlns:nova='http://openstack.org/xmlns/libvirt/nova/1.1'"


def domain(devices='', metadata=''):
    return domain_xml.parse(
        "<domain type='kvm'><name>d</name><metadata>%s</metadata>"
        "<devices>%s</devices></domain>" % (metadata, devices))


class TestParse(testtools.TestCase):

    def test_not_well_formed(self):
        self.assertRaises(ValueError, domain_xml.parse, '<domain>')


class TestOwner(testtools.TestCase):

    def test_nova_owner(self):
        root = domain(metadata=(
            "<nova:instance %s><nova:owner>"
            "<nova:user uuid='u1'>alice</nova:user>"
            "<nova:project uuid='p1'>demo</nova:project>"
            "</nova:owner></nova:instance>" % NOVA))
        self.assertEqual(('p1', 'u1'), domain_xml.owner(root))

    def test_no_metadata(self):
        self.assertEqual((None, None), domain_xml.owner(domain()))

    def test_other_namespace_ignored(self):
        root = domain(metadata=(
            "<x:instance xmlns:x='http://example.com/1'><x:owner>"
            "<x:project uuid='p1'/></x:owner></x:instance>"))
        self.assertEqual((None, None), domain_xml.owner(root))

    def test_partial_owner(self):
        root = domain(metadata=(
            "<nova:instance %s><nova:owner>"
            "<nova:project uuid='p1'>demo</nova:project>"
            "<nova:user>no uuid</nova:user>"
            "</nova:owner></nova:instance>" % NOVA))
        self.assertEqual(('p1', None), domain_xml.owner(root))


class TestGraphics(testtools.TestCase):

    def test_first_graphics_of_type(self):
        root = domain("<graphics type='spice' port='5901'/>"
                      "<graphics type='vnc' port='5900' listen='0.0.0.0'/>"
                      "<graphics type='vnc' port='5999'/>")
        self.assertEqual(driver.ConsoleEndpoint('10.0.0.1', 5900),
                         domain_xml.graphics_endpoint(root, 'vnc',
                                                      '10.0.0.1'))

    def test_spice_tls_port(self):
        root = domain("<graphics type='spice' port='5901' tlsPort='5902'/>")
        self.assertEqual(driver.ConsoleEndpoint('h', 5901, 5902),
                         domain_xml.graphics_endpoint(root, 'spice', 'h'))

    def test_spice_without_tls_port(self):
        for attrs in ("", " tlsPort='-1'"):
            root = domain("<graphics type='spice' port='5901'%s/>" % attrs)
            self.assertIsNone(
                domain_xml.graphics_endpoint(root, 'spice', 'h').tls_port)

    def test_rdp(self):
        root = domain("<graphics type='rdp' port='3389'/>")
        self.assertEqual(driver.ConsoleEndpoint('h', 3389),
                         domain_xml.graphics_endpoint(root, 'rdp', 'h'))

    def test_unavailable(self):
        cases = [('', 'vnc'),
                 ("<graphics type='vnc' port='-1' autoport='yes'/>", 'vnc'),
                 ("<graphics type='vnc' autoport='yes'/>", 'vnc'),
                 ("<graphics type='vnc' port='x'/>", 'vnc'),
                 ("<graphics type='vnc' port='5900'/>", 'spice'),
                 ("<graphics type='vnc' port='5900'/>", 'rdp')]
        for devices, kind in cases:
            error = self.assertRaises(
                exception.ConsoleTypeUnavailable,
                domain_xml.graphics_endpoint, domain(devices), kind, 'h')
            self.assertEqual(kind, error.kwargs['console_type'])


class TestSerial(testtools.TestCase):

    def test_tcp_serial_bind(self):
        root = domain(
            "<serial type='pty'/>"
            "<serial type='tcp'><source mode='connect' host='x' "
            "service='1'/></serial>"
            "<serial type='tcp'><source mode='bind' host='192.0.2.7' "
            "service='10002'/></serial>"
            "<console type='tcp'><source mode='bind' host='192.0.2.8' "
            "service='10003'/></console>")
        self.assertEqual(driver.ConsoleEndpoint('192.0.2.7', 10002),
                         domain_xml.serial_endpoint(root, 'default'))

    def test_console_fallback(self):
        root = domain("<console type='tcp'><source mode='bind' "
                      "host='192.0.2.8' service='10003'/></console>")
        self.assertEqual(driver.ConsoleEndpoint('192.0.2.8', 10003),
                         domain_xml.serial_endpoint(root, 'default'))

    def test_wildcard_or_missing_host_uses_default(self):
        for host in ("host='0.0.0.0'", "host='::'", ''):
            root = domain("<serial type='tcp'><source mode='bind' %s "
                          "service='10000'/></serial>" % host)
            self.assertEqual(
                'proxy.example',
                domain_xml.serial_endpoint(root, 'proxy.example').host)

    def test_unavailable(self):
        for devices in ('', "<serial type='pty'/>",
                        "<serial type='tcp'><source mode='connect' "
                        "host='h' service='1'/></serial>",
                        "<serial type='tcp'><source mode='bind' "
                        "host='h'/></serial>"):
            error = self.assertRaises(exception.ConsoleTypeUnavailable,
                                      domain_xml.serial_endpoint,
                                      domain(devices), 'h')
            self.assertEqual('serial', error.kwargs['console_type'])
