"""Unit tests of the fake driver and its YAML inventory."""

import os
import threading

import fixtures
from oslo_config import fixture as config_fixture
import testtools
import yaml

from console_api.compute import power_state
from console_api import conf
from console_api import exception
from console_api.virt import driver
from console_api.virt import fake

UUID1 = '11111111-1111-4111-8111-111111111111'
UUID2 = '22222222-2222-4222-8222-222222222222'
UUID3 = '33333333-3333-4333-8333-333333333333'
SHIPPED = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..',
                       'etc', 'console_api', 'fake-inventory.yaml')


def server(uuid=UUID1, **extra):
    entry = {'uuid': uuid, 'name': 'vm-%s' % uuid[:1],
             'project_id': 'p1', 'user_id': 'u1', 'power_state': 'running'}
    entry.update(extra)
    return entry


ALL_CONSOLES = {
    'vnc': {'host': '192.0.2.1', 'port': 5900},
    'spice': {'host': '192.0.2.1', 'port': 5901, 'tls_port': 5902},
    'serial': {'host': '192.0.2.1', 'port': 10000},
    'rdp': {'host': '192.0.2.1', 'port': 3389},
    'mks': {'host': '192.0.2.1', 'port': 902,
            'internal_access_path': '{"ticket": "t"}'},
}


class InventoryFileTestCase(testtools.TestCase):
    """Writes inventories to a temporary file the driver is pointed at."""

    def setUp(self):
        super().setUp()
        self.conf = self.useFixture(config_fixture.Config(conf.CONF))
        self.path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                                 'inventory.yaml')
        self.conf.config(group='fake_driver', inventory_file=self.path)

    def write(self, document):
        """Replace the inventory atomically, as the module docs advise."""
        text = document if isinstance(document, str) else yaml.safe_dump(
            document)
        with open(self.path + '.new', 'w') as handle:
            handle.write(text)
        os.replace(self.path + '.new', self.path)

    def driver(self, servers, host='agent1'):
        self.write({'servers': servers})
        result = fake.FakeDriver()
        result.init_host(host)
        return result

    def assertInventoryError(self, document, *fragments):
        self.write(document)
        error = self.assertRaises(exception.InventoryError,
                                  fake.FakeDriver().init_host, 'agent1')
        message = error.format_message()
        self.assertIn(self.path, message)
        for fragment in fragments:
            self.assertIn(fragment, message)
        return message


class TestInventoryValidation(InventoryFileTestCase):

    def test_missing_file(self):
        error = self.assertRaises(exception.InventoryError,
                                  fake.FakeDriver().init_host, 'agent1')
        self.assertIn(self.path, error.format_message())
        self.assertIn('No such file', error.format_message())

    def test_unreadable_directory(self):
        os.mkdir(self.path)
        self.assertRaises(exception.InventoryError,
                          fake.FakeDriver().init_host, 'agent1')

    def test_not_yaml(self):
        self.assertInventoryError('servers: [\n', 'not valid YAML')

    def test_empty_document(self):
        self.assertInventoryError('', 'top level')

    def test_servers_required(self):
        self.assertInventoryError({'hosts': []}, 'servers')

    def test_unknown_top_level_key(self):
        self.assertInventoryError({'servers': [], 'extra': 1}, 'extra')

    def test_unknown_server_key(self):
        self.assertInventoryError({'servers': [server(colour='red')]},
                                  'servers[0]', 'colour')

    def test_bad_uuid(self):
        self.assertInventoryError({'servers': [server(uuid='not-a-uuid')]},
                                  'servers[0].uuid', 'not-a-uuid')

    def test_missing_name(self):
        entry = server()
        del entry['name']
        self.assertInventoryError({'servers': [entry]}, "'name'")

    def test_bad_power_state(self):
        self.assertInventoryError(
            {'servers': [server(power_state='on')]},
            'servers[0].power_state')

    def test_bad_task_state(self):
        self.assertInventoryError(
            {'servers': [server(task_state='spawning')]},
            'servers[0].task_state')

    def test_numeric_project_id(self):
        self.assertInventoryError(
            {'servers': [server(project_id=1234)]}, 'servers[0].project_id')

    def test_port_out_of_range(self):
        self.assertInventoryError(
            {'servers': [server(consoles={
                'vnc': {'host': 'h', 'port': 70000}})]},
            'servers[0].consoles.vnc.port', '70000')

    def test_port_not_integer(self):
        self.assertInventoryError(
            {'servers': [server(consoles={
                'vnc': {'host': 'h', 'port': '5900'}})]},
            'servers[0].consoles.vnc.port')

    def test_port_missing(self):
        self.assertInventoryError(
            {'servers': [server(consoles={'serial': {'host': 'h'}})]},
            'servers[0].consoles.serial', "'port'")

    def test_unknown_console_type(self):
        self.assertInventoryError(
            {'servers': [server(consoles={
                'xvpvnc': {'host': 'h', 'port': 1}})]},
            'xvpvnc')

    def test_tls_port_only_for_spice(self):
        self.assertInventoryError(
            {'servers': [server(consoles={
                'vnc': {'host': 'h', 'port': 1, 'tls_port': 2}})]},
            'servers[0].consoles.vnc', 'tls_port')

    def test_console_keys_are_the_registry_protocols(self):
        self.assertEqual(('vnc', 'spice', 'serial', 'rdp', 'mks'),
                         fake.CONSOLE_TYPES)

    def test_duplicate_uuid(self):
        self.assertInventoryError(
            {'servers': [server(), server(uuid=UUID1.upper())]},
            'duplicate', UUID1)

    def test_shipped_inventory_is_valid(self):
        with open(SHIPPED) as handle:
            servers = fake.parse_inventory(SHIPPED, handle.read())
        kinds = set()
        for item in servers.values():
            kinds.update(item.consoles)
        self.assertEqual(set(fake.CONSOLE_TYPES), kinds)
        self.assertEqual(2, len({item.info.project_id
                                 for item in servers.values()}))
        self.assertIn(power_state.SHUTDOWN,
                      {item.info.power_state for item in servers.values()})


class TestFakeDriver(InventoryFileTestCase):

    def test_list_domains(self):
        drv = self.driver([
            server(UUID1.upper(), name='web', task_state='migrating'),
            server(UUID2, power_state='paused', project_id=None,
                   user_id=None)])
        self.assertEqual(
            [driver.DomainInfo(UUID1, 'web', power_state.RUNNING, 'p1', 'u1',
                               'migrating'),
             driver.DomainInfo(UUID2, 'vm-2', power_state.PAUSED, None,
                               None, None)],
            sorted(drv.list_domains(), key=lambda info: info.uuid))

    def test_every_power_state_name(self):
        servers = [server('%08d-1111-4111-8111-111111111111' % number,
                          power_state=name)
                   for number, name in enumerate(power_state.BY_NAME)]
        states = {info.power_state
                  for info in self.driver(servers).list_domains()}
        self.assertEqual(set(power_state.NAMES), states)

    def test_every_console(self):
        drv = self.driver([server(consoles=ALL_CONSOLES)])
        self.assertEqual(driver.ConsoleEndpoint('192.0.2.1', 5900),
                         drv.get_vnc_console(UUID1))
        self.assertEqual(driver.ConsoleEndpoint('192.0.2.1', 5901, 5902),
                         drv.get_spice_console(UUID1))
        self.assertEqual(driver.ConsoleEndpoint('192.0.2.1', 10000),
                         drv.get_serial_console(UUID1))
        self.assertEqual(driver.ConsoleEndpoint('192.0.2.1', 3389),
                         drv.get_rdp_console(UUID1))
        self.assertEqual(
            driver.ConsoleEndpoint('192.0.2.1', 902,
                                   internal_access_path='{"ticket": "t"}'),
            drv.get_mks_console(UUID1))

    def test_uuid_lookup_ignores_case(self):
        drv = self.driver([server(consoles=ALL_CONSOLES)])
        self.assertEqual(5900, drv.get_vnc_console(UUID1.upper()).port)

    def test_missing_console_type(self):
        drv = self.driver([server(consoles={'vnc': ALL_CONSOLES['vnc']})])
        for getter, kind in ((drv.get_spice_console, 'spice'),
                             (drv.get_serial_console, 'serial'),
                             (drv.get_rdp_console, 'rdp'),
                             (drv.get_mks_console, 'mks')):
            error = self.assertRaises(exception.ConsoleTypeUnavailable,
                                      getter, UUID1)
            self.assertEqual(kind, error.kwargs['console_type'])

    def test_server_without_consoles(self):
        drv = self.driver([server()])
        self.assertRaises(exception.ConsoleTypeUnavailable,
                          drv.get_vnc_console, UUID1)

    def test_unknown_instance(self):
        drv = self.driver([server(consoles=ALL_CONSOLES)])
        for getter in (drv.get_vnc_console, drv.get_spice_console,
                       drv.get_serial_console, drv.get_rdp_console,
                       drv.get_mks_console):
            error = self.assertRaises(exception.InstanceNotFound, getter,
                                      UUID2)
            self.assertEqual(UUID2, error.kwargs['instance_id'])

    def test_host_filter(self):
        servers = [server(UUID1, host='agent1', consoles=ALL_CONSOLES),
                   server(UUID2, host='agent2', consoles=ALL_CONSOLES),
                   server(UUID3, consoles=ALL_CONSOLES)]
        drv = self.driver(servers, host='agent1')
        self.assertEqual({UUID1, UUID3},
                         {info.uuid for info in drv.list_domains()})
        self.assertRaises(exception.InstanceNotFound,
                          drv.get_vnc_console, UUID2)
        other = fake.FakeDriver()
        other.init_host('agent2')
        self.assertEqual({UUID2, UUID3},
                         {info.uuid for info in other.list_domains()})

    def test_reload_on_change(self):
        drv = self.driver([server(UUID1), server(UUID2)])
        self.assertEqual(2, len(drv.list_domains()))
        self.write({'servers': [server(UUID2, power_state='shutdown')]})
        self.assertEqual(
            [(UUID2, power_state.SHUTDOWN)],
            [(info.uuid, info.power_state) for info in drv.list_domains()])
        self.assertRaises(exception.InstanceNotFound,
                          drv.get_vnc_console, UUID1)

    def test_parses_only_on_change(self):
        drv = self.driver([server()])
        parse = self.useFixture(fixtures.MockPatchObject(
            fake, 'parse_inventory', wraps=fake.parse_inventory)).mock
        drv.list_domains()
        drv.list_domains()
        self.assertEqual(0, parse.call_count)
        self.write({'servers': []})
        drv.list_domains()
        drv.list_domains()
        self.assertEqual(1, parse.call_count)

    def test_broken_rewrite_fails_until_fixed(self):
        drv = self.driver([server()])
        self.write({'servers': [server(uuid='bad')]})
        self.assertRaises(exception.InventoryError, drv.list_domains)
        self.assertRaises(exception.InventoryError, drv.list_domains)
        self.write({'servers': [server(UUID2)]})
        self.assertEqual([UUID2],
                         [info.uuid for info in drv.list_domains()])

    def test_removed_file(self):
        drv = self.driver([server()])
        os.unlink(self.path)
        error = self.assertRaises(exception.InventoryError, drv.list_domains)
        self.assertIn(self.path, error.format_message())

    def test_not_initialised(self):
        self.assertRaises(exception.InventoryError,
                          fake.FakeDriver().list_domains)

    def test_concurrent_readers_during_rewrites(self):
        drv = self.driver([server(consoles=ALL_CONSOLES)])
        failures = []

        def read():
            try:
                for _ in range(50):
                    self.assertEqual(5900, drv.get_vnc_console(UUID1).port)
            except Exception as exc:  # reported below, not swallowed
                failures.append(exc)

        threads = [threading.Thread(target=read) for _ in range(4)]
        for thread in threads:
            thread.start()
        for number in range(20):
            self.write({'servers': [
                server(consoles=ALL_CONSOLES),
                server('%08d-2222-4222-8222-222222222222' % number)]})
        for thread in threads:
            thread.join()
        self.assertEqual([], failures)

    def test_cleanup_host(self):
        drv = self.driver([server()])
        drv.cleanup_host()
        drv.cleanup_host()
        # Still usable: the file is simply read again.
        self.assertEqual(1, len(drv.list_domains()))
