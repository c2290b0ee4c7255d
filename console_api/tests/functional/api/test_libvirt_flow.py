"""The console flow with the libvirt driver on libvirt's test driver.

Same paste app and agent as the other API tests, but the agent's
hypervisor is ``test:///`` with the shared fixture node: owners come from
Nova's ownership metadata and endpoints from the live domain XML.
"""

from oslo_serialization import jsonutils
import testtools

from console_api.compute import agent as agent_module
from console_api.tests.functional.api import checks
from console_api.tests import fixtures as test_data
from console_api.tests.functional import base

try:
    import libvirt  # noqa: F401
    HAVE_LIBVIRT = True
except ImportError:
    HAVE_LIBVIRT = False

DEMO = '6f70656e737461636b2064656d6f0001'
ALT_DEMO = '616c742d64656d6f0000000000000002'


@testtools.skipUnless(HAVE_LIBVIRT, 'libvirt-python is not installed')
class LibvirtConsoleFlowTest(base.APITestCase):

    start_agent = False

    def setUp(self):
        super().setUp()
        self.flags.config(compute_driver='libvirt')
        self.flags.config(connection_uri=test_data.LIBVIRT_TEST_URI,
                          group='libvirt')
        self.flags.config(server_proxyclient_address='198.51.100.7',
                          group='vnc')
        self.agent = agent_module.ComputeAgent(base.CONF)
        self.agent.start()
        self.addCleanup(self.agent.stop)

    def create(self, server, protocol, console_type, project=DEMO,
               version='2.6'):
        return self.api(
            'POST', '/v2.1/servers/%s/remote-consoles' % server,
            body={'remote_console': {'protocol': protocol,
                                     'type': console_type}},
            version=version, project=project)

    def token_details(self, url, version='2.99'):
        token = checks.token_from_url(url)
        response = self.admin('GET', '/v2.1/os-console-auth-tokens/' + token,
                              version=version)
        self.assertEqual(200, response.status_int, response.body)
        return jsonutils.loads(response.body)['console']

    def test_owner_sees_server_from_nova_metadata(self):
        response = self.api('GET', '/v2.1/servers/%s' % test_data.LIBVIRT_FULL,
                            project=DEMO)
        self.assertEqual(200, response.status_int, response.body)
        server = jsonutils.loads(response.body)['server']
        self.assertEqual(('full', DEMO, 'ACTIVE'),
                         (server['name'], server['tenant_id'],
                          server['status']))

    def test_vnc_endpoint_from_live_xml(self):
        response = self.create(test_data.LIBVIRT_FULL, 'vnc', 'novnc')
        self.assertEqual(200, response.status_int, response.body)
        url = jsonutils.loads(response.body)['remote_console']['url']
        details = self.token_details(url)
        self.assertEqual({'instance_uuid': test_data.LIBVIRT_FULL,
                          'host': '198.51.100.7', 'port': 5900,
                          'internal_access_path': None}, details)

    def test_spice_direct_has_tls_port(self):
        response = self.create(test_data.LIBVIRT_FULL, 'spice',
                               'spice-direct', version='2.99')
        self.assertEqual(200, response.status_int, response.body)
        url = jsonutils.loads(response.body)['remote_console']['url']
        details = self.token_details(url)
        self.assertEqual((5901, 5902), (details['port'],
                                        details['tls_port']))

    def test_serial_and_rdp_endpoints(self):
        for protocol, console_type in (('serial', 'serial'),
                                       ('rdp', 'rdp-html5')):
            response = self.create(test_data.LIBVIRT_FULL, protocol,
                                   console_type)
            self.assertEqual(200, response.status_int, response.body)
            url = jsonutils.loads(response.body)['remote_console']['url']
            details = self.token_details(url)
            self.assertEqual(test_data.LIBVIRT_FULL,
                             details['instance_uuid'])
            self.assertIsInstance(details['port'], int)

    def test_mks_is_not_supported(self):
        response = self.create(test_data.LIBVIRT_FULL, 'mks', 'webmks',
                               version='2.8')
        self.assertFault(response, 501, 'notImplemented')

    def test_guest_without_spice_is_400(self):
        response = self.create(test_data.LIBVIRT_VNC_ONLY, 'spice',
                               'spice-html5', project=ALT_DEMO)
        self.assertFault(response, 400, 'badRequest',
                         'Unavailable console type spice-html5.')

    def test_paused_guest_opens_and_shut_off_guest_is_409(self):
        response = self.create(test_data.LIBVIRT_VNC_ONLY, 'vnc', 'novnc',
                               project=ALT_DEMO)
        self.assertEqual(200, response.status_int, response.body)
        response = self.admin(
            'POST', '/v2.1/servers/%s/remote-consoles'
            % test_data.LIBVIRT_STOPPED,
            body={'remote_console': {'protocol': 'vnc', 'type': 'novnc'}},
            version='2.6')
        self.assertFault(response, 409, 'conflictingRequest', 'not running')

    def test_other_project_gets_404(self):
        response = self.create(test_data.LIBVIRT_FULL, 'vnc', 'novnc',
                               project=ALT_DEMO)
        self.assertFault(response, 404, 'itemNotFound')
