"""``POST /servers/{id}/remote-consoles`` end to end (spec B 1, A1-A7)."""

import datetime
import hashlib
import re

import fixtures
from oslo_serialization import jsonutils
import sqlalchemy as sa

from console_api.compute import rpcapi
from console_api.db import models
from console_api import exception
from console_api.tests.functional.api import checks
from console_api.tests.functional import base

VNC_BASE = 'http://vnc.example.com:6080/vnc_lite.html'
SPICE_BASE = 'http://spice.example.com:6082/spice_auto.html'
SPICE_DIRECT_BASE = 'http://spice.example.com:13002/nova'
SERIAL_BASE = 'ws://serial.example.com:6083/'
RDP_BASE = 'http://rdp.example.com:6083/'
MKS_BASE = 'http://mks.example.com:6090/mks.html'

TOKEN = checks.UUID_RE
NOVNC_URL = re.escape(VNC_BASE + '?path=%3Ftoken%3D') + TOKEN + '$'

# (protocol, type, first version, expected URL regex)
SUPPORTED = [
    ('vnc', 'novnc', '2.6', NOVNC_URL),
    ('spice', 'spice-html5', '2.6', re.escape(SPICE_BASE + '?token=') + TOKEN),
    ('serial', 'serial', '2.6', re.escape(SERIAL_BASE + '?token=') + TOKEN),
    ('rdp', 'rdp-html5', '2.6', re.escape(RDP_BASE + '?token=') + TOKEN),
    ('mks', 'webmks', '2.8', re.escape(MKS_BASE + '?token=') + TOKEN),
    ('spice', 'spice-direct', '2.99',
     re.escape(SPICE_DIRECT_BASE + '?token=') + TOKEN),
]


class RemoteConsolesTest(base.APITestCase):

    def setUp(self):
        super().setUp()
        self.flags.config(novncproxy_base_url=VNC_BASE, group='vnc')
        self.flags.config(html5proxy_base_url=SPICE_BASE,
                          spice_direct_proxy_base_url=SPICE_DIRECT_BASE,
                          group='spice')
        self.flags.config(base_url=SERIAL_BASE, group='serial_console')
        self.flags.config(html5_proxy_base_url=RDP_BASE, group='rdp')
        self.flags.config(mksproxy_base_url=MKS_BASE, group='mks')

    def post(self, uuid, body, version='2.6', **kwargs):
        return self.api('POST', '/v2.1/servers/%s/remote-consoles' % uuid,
                        body=body, version=version, **kwargs)

    def assertConsole(self, response, protocol, console_type, url_re,
                      version):
        self.assertEqual(200, response.status_int, response.body)
        self.assertEqual('application/json', response.content_type)
        if protocol == 'mks' and version != '2.8':
            # tempest's 2.99 schema forgot mks (spec B 11.4, surprise 9).
            body = jsonutils.loads(response.body)
        else:
            body = checks.validate(
                self, checks.remote_console_schema(version), response)
        console = body['remote_console']
        self.assertEqual(['protocol', 'type', 'url'], sorted(console))
        self.assertEqual(protocol, console['protocol'])
        self.assertEqual(console_type, console['type'])
        self.assertRegex(console['url'], '^' + url_re)
        return console['url']

    # -- success --------------------------------------------------------------

    def test_every_console_at_its_first_and_later_versions(self):
        for protocol, console_type, first, url_re in SUPPORTED:
            for version in (first, '2.99', '2.104'):
                if version == '2.99' and first == '2.99':
                    continue
                response = self.console('all', protocol, console_type,
                                        version=version)
                self.assertConsole(response, protocol, console_type, url_re,
                                   version)

    def test_latest(self):
        response = self.console('all', 'vnc', 'novnc', version='latest')
        self.assertConsole(response, 'vnc', 'novnc', NOVNC_URL, '2.104')

    def test_mks_and_spice_direct_before_their_version(self):
        for protocol, console_type, version in (
                ('mks', 'webmks', '2.7'), ('spice', 'spice-direct', '2.98'),
                ('spice', 'spice-direct', '2.6')):
            response = self.console('all', protocol, console_type,
                                    version=version)
            self.assertFault(response, 400, 'badRequest',
                             'Invalid input for field/attribute')

    def test_below_2_6_is_404(self):
        for version in ('2.1', '2.5'):
            response = self.console('all', 'vnc', 'novnc', version=version)
            self.assertFault(response, 404, 'itemNotFound',
                             'The resource could not be found.')
        response = self.api(
            'POST', '/v2.1/servers/%s/remote-consoles'
            % self.servers['all']['uuid'],
            body={'remote_console': {'protocol': 'vnc', 'type': 'novnc'}})
        self.assertFault(response, 404, 'itemNotFound')

    def test_novnc_keeps_configured_path(self):
        self.flags.config(
            novncproxy_base_url='http://h/novnc/vnc_auto.html?path=novnc',
            group='vnc')
        url = jsonutils.loads(self.console('all', 'vnc', 'novnc').body)[
            'remote_console']['url']
        self.assertRegex(url, '^' + re.escape(
            'http://h/novnc/vnc_auto.html?path=novnc%3Ftoken%3D') + TOKEN +
            '$')

    def test_paused_server(self):
        response = self.console('paused', 'vnc', 'novnc')
        self.assertConsole(response, 'vnc', 'novnc', NOVNC_URL, '2.6')

    def test_admin_opens_another_projects_console(self):
        response = self.console('other', 'vnc', 'novnc', user='admin')
        self.assertConsole(response, 'vnc', 'novnc', NOVNC_URL, '2.6')

    def test_project_prefixed_path(self):
        response = self.api(
            'POST', '/v2.1/%s/servers/%s/remote-consoles' % (
                base.PROJECT, self.servers['all']['uuid']),
            body={'remote_console': {'protocol': 'serial', 'type': 'serial'}},
            version='2.6')
        self.assertEqual(200, response.status_int)

    def test_token_row_holds_only_the_hash(self):
        url = jsonutils.loads(self.console('all', 'mks', 'webmks',
                                           version='2.8').body)[
            'remote_console']['url']
        token = checks.token_from_url(url)
        table = models.ConsoleAuthToken.__table__
        with self.database.get_engine().connect() as connection:
            rows = [dict(row._mapping) for row in
                    connection.execute(sa.select(table))]
        self.assertEqual(1, len(rows))
        row = rows[0]
        self.assertEqual(hashlib.sha256(token.encode()).hexdigest(),
                         row['token_hash'])
        for column, value in row.items():
            self.assertNotIn(token, str(value), column)
        self.assertEqual('webmks', row['console_type'])
        self.assertEqual(self.servers['all']['uuid'], row['instance_uuid'])
        self.assertEqual(MKS_BASE, row['access_url_base'])
        self.assertEqual(902, row['port'])

    def test_every_call_issues_a_new_token(self):
        urls = {jsonutils.loads(self.console('all', 'vnc', 'novnc').body)[
            'remote_console']['url'] for _ in range(3)}
        self.assertEqual(3, len(urls))

    # -- request schema -------------------------------------------------------

    def assertSchemaError(self, body, message, version='2.6',
                          raw_body=None):
        uuid = self.servers['all']['uuid']
        if raw_body is not None:
            response = self.api(
                'POST', '/v2.1/servers/%s/remote-consoles' % uuid,
                raw_body=raw_body, version=version)
        else:
            response = self.post(uuid, body, version=version)
        self.assertEqual(message,
                         self.assertFault(response, 400, 'badRequest'))

    def test_missing_keys(self):
        self.assertSchemaError(
            {'remote_console': {'type': 'novnc'}},
            "Invalid input for field/attribute remote_console. Value: "
            "{'type': 'novnc'}. 'protocol' is a required property")
        self.assertSchemaError(
            {'remote_console': {'protocol': 'vnc'}},
            "Invalid input for field/attribute remote_console. Value: "
            "{'protocol': 'vnc'}. 'type' is a required property")
        self.assertSchemaError({}, "'remote_console' is a required property")

    def test_extra_keys(self):
        self.assertSchemaError(
            {'remote_console': {'protocol': 'vnc', 'type': 'novnc'},
             'extra': 1},
            "Additional properties are not allowed ('extra' was unexpected)")
        self.assertSchemaError(
            {'remote_console': {'protocol': 'vnc', 'type': 'novnc',
                                'port': 1}},
            "Invalid input for field/attribute remote_console. Value: "
            "{'protocol': 'vnc', 'type': 'novnc', 'port': 1}. Additional "
            "properties are not allowed ('port' was unexpected)")

    def test_unknown_protocol_and_type(self):
        self.assertSchemaError(
            {'remote_console': {'protocol': 'telnet', 'type': 'novnc'}},
            "Invalid input for field/attribute protocol. Value: telnet. "
            "'telnet' is not one of ['vnc', 'spice', 'serial', 'rdp']")
        self.assertSchemaError(
            {'remote_console': {'protocol': 'vnc', 'type': 'vnc'}},
            "Invalid input for field/attribute type. Value: vnc. 'vnc' is "
            "not one of ['novnc', 'xvpvnc', 'spice-html5', 'serial', "
            "'rdp-html5']")
        self.assertSchemaError(
            {'remote_console': {'protocol': 'mks', 'type': 'novnc'}},
            "Invalid input for field/attribute protocol. Value: mks. 'mks' "
            "is not one of ['vnc', 'spice', 'serial', 'rdp']")

    def test_wrong_shapes(self):
        self.assertSchemaError([], "[] is not of type 'object'")
        self.assertSchemaError(
            {'remote_console': 'vnc'},
            "Invalid input for field/attribute remote_console. Value: vnc. "
            "'vnc' is not of type 'object'")
        self.assertSchemaError(
            {'remote_console': {'protocol': 5, 'type': 'novnc'}},
            "Invalid input for field/attribute protocol. Value: 5. 5 is not "
            "of type 'string'")
        self.assertSchemaError('vnc', "'vnc' is not of type 'object'")

    def test_empty_body(self):
        self.assertSchemaError(None, "None is not of type 'object'",
                               raw_body=b'')

    def test_schema_checked_before_server_lookup(self):
        response = self.post('not-a-uuid', {'remote_console': {}})
        self.assertFault(response, 400, 'badRequest')

    # -- console type checks --------------------------------------------------

    def test_protocol_type_mismatch(self):
        for protocol, console_type, version in (
                ('vnc', 'spice-html5', '2.6'), ('vnc', 'xvpvnc', '2.6'),
                ('serial', 'novnc', '2.6'), ('spice', 'serial', '2.6'),
                ('rdp', 'novnc', '2.6'), ('mks', 'novnc', '2.8'),
                ('vnc', 'webmks', '2.8'), ('vnc', 'spice-direct', '2.99'),
                ('spice', 'rdp-html5', '2.6')):
            response = self.console('all', protocol, console_type,
                                    version=version)
            self.assertFault(response, 400, 'badRequest',
                             'Invalid console type %s' % console_type)

    def test_disabled_console_type(self):
        for group, protocol, console_type, version in (
                ('vnc', 'vnc', 'novnc', '2.6'),
                ('spice', 'spice', 'spice-html5', '2.6'),
                ('spice', 'spice', 'spice-direct', '2.99'),
                ('serial_console', 'serial', 'serial', '2.6'),
                ('rdp', 'rdp', 'rdp-html5', '2.6'),
                ('mks', 'mks', 'webmks', '2.8')):
            self.flags.config(enabled=False, group=group)
            response = self.console('all', protocol, console_type,
                                    version=version)
            self.assertFault(response, 400, 'badRequest',
                             'Unavailable console type %s.' % console_type)
            self.flags.config(enabled=True, group=group)

    def test_type_errors_need_no_database_or_rpc(self):
        statements = checks.sql_statements(self)
        self.assertEqual(200, self.console('all', 'vnc', 'novnc').status_int)
        # The counter sees the lookups a console request makes.
        self.assertNotEqual([], statements)
        del statements[:]
        rpc = self.spy_rpc()
        self.flags.config(enabled=False, group='rdp')
        unknown = '9f3e2d1c-0b0a-4c4d-8e8f-000000000000'
        for server_id, protocol, console_type, version, message in (
                (self.servers['all']['uuid'], 'vnc', 'spice-html5', '2.6',
                 'Invalid console type spice-html5'),
                (self.servers['all']['uuid'], 'vnc', 'xvpvnc', '2.6',
                 'Invalid console type xvpvnc'),
                (self.servers['all']['uuid'], 'rdp', 'rdp-html5', '2.6',
                 'Unavailable console type rdp-html5.'),
                (self.servers['all']['uuid'], 'mks', 'webmks', '2.7',
                 "'webmks' is not one of"),
                # Type errors come before the server lookup's 404.
                (unknown, 'serial', 'novnc', '2.6',
                 'Invalid console type novnc')):
            response = self.post(server_id, {'remote_console': {
                'protocol': protocol, 'type': console_type}},
                version=version)
            self.assertFault(response, 400, 'badRequest', message)
        self.assertEqual([], statements)
        rpc.assert_not_called()

    def test_disabled_protocol_rejects_any_type(self):
        self.flags.config(enabled=False, group='vnc')
        response = self.console('all', 'vnc', 'xvpvnc')
        self.assertFault(response, 400, 'badRequest',
                         'Unavailable console type xvpvnc.')

    def test_guest_without_the_device(self):
        for protocol, console_type, version in (
                ('spice', 'spice-html5', '2.6'), ('serial', 'serial', '2.6'),
                ('rdp', 'rdp-html5', '2.6'), ('mks', 'webmks', '2.8')):
            response = self.console('vnc_only', protocol, console_type,
                                    version=version)
            self.assertFault(response, 400, 'badRequest',
                             'Unavailable console type %s.' % console_type)

    def test_driver_without_the_protocol_is_501(self):
        for method, protocol, console_type, version in (
                ('get_mks_console', 'mks', 'webmks', '2.8'),
                ('get_rdp_console', 'rdp', 'rdp-html5', '2.6')):
            patch = self.useFixture(fixtures.MockPatchObject(
                self.agent.driver, method,
                side_effect=exception.ConsoleNotSupported()))
            response = self.console('all', protocol, console_type,
                                    version=version)
            self.assertFault(response, 501, 'notImplemented',
                             'The requested functionality is not '
                             'supported.')
            self.assertEqual(1, patch.mock.call_count)

    # -- which server ---------------------------------------------------------

    def test_non_uuid_and_unknown_server(self):
        response = self.post('not-a-uuid', {
            'remote_console': {'protocol': 'vnc', 'type': 'novnc'}})
        self.assertFault(response, 404, 'itemNotFound',
                         'Instance not-a-uuid could not be found.')
        unknown = '9f3e2d1c-0b0a-4c4d-8e8f-000000000000'
        response = self.post(unknown, {
            'remote_console': {'protocol': 'vnc', 'type': 'novnc'}})
        self.assertFault(response, 404, 'itemNotFound',
                         'Instance %s could not be found.' % unknown)

    def test_other_projects_server_is_404(self):
        response = self.console('other', 'vnc', 'novnc')
        self.assertFault(response, 404, 'itemNotFound',
                         'Instance %s could not be found.'
                         % self.servers['other']['uuid'])

    def test_server_gone_from_hypervisor_before_sync(self):
        uuid = self.servers['vnc_only']['uuid']
        del self.servers['vnc_only']
        self.write_inventory()
        response = self.post(uuid, {
            'remote_console': {'protocol': 'vnc', 'type': 'novnc'}})
        self.assertFault(response, 404, 'itemNotFound')

    def test_server_gone_after_sync(self):
        uuid = self.servers['vnc_only']['uuid']
        del self.servers['vnc_only']
        self.write_inventory()
        self.agent.manager.sync_inventory()
        response = self.post(uuid, {
            'remote_console': {'protocol': 'vnc', 'type': 'novnc'}})
        self.assertFault(response, 404, 'itemNotFound')

    # -- server state ---------------------------------------------------------

    def test_shut_off_server_is_409(self):
        response = self.console('stopped', 'vnc', 'novnc')
        self.assertFault(response, 409, 'conflictingRequest', 'not running')

    def test_server_stopped_after_sync(self):
        self.servers['all']['power_state'] = 'crashed'
        self.write_inventory()
        self.agent.manager.sync_inventory()
        response = self.console('all', 'vnc', 'novnc')
        self.assertFault(response, 409, 'conflictingRequest', 'not running')

    def test_task_state_blocks_console(self):
        for key in ('deleting', 'migrating'):
            response = self.console(key, 'vnc', 'novnc')
            self.assertFault(response, 409, 'conflictingRequest',
                             'while it is in task_state %s' % key)

    # -- agent liveness -------------------------------------------------------

    def spy_rpc(self):
        return self.useFixture(fixtures.MockPatch(
            'console_api.compute.rpcapi.ConsoleAgentAPI.get_console')).mock

    def test_agent_never_seen_is_409_without_rpc(self):
        rpc = self.spy_rpc()
        uuid = self.add_remote_instance('compute-9')
        response = self.post(uuid, {
            'remote_console': {'protocol': 'vnc', 'type': 'novnc'}})
        self.assertFault(response, 409, 'conflictingRequest', 'compute-9')
        rpc.assert_not_called()

    def test_stale_heartbeat_is_409_without_rpc(self):
        uuid = self.add_remote_instance('compute-3')
        self.database.service_heartbeat(
            self.admin_context, 'compute-3', rpcapi.AGENT_BINARY,
            rpcapi.RPC_API_VERSION)
        table = models.Service.__table__
        long_ago = datetime.datetime(2000, 1, 1)
        with self.database.get_engine().begin() as connection:
            connection.execute(table.update().where(
                table.c.host == 'compute-3').values(last_seen_up=long_ago))
        rpc = self.spy_rpc()
        response = self.post(uuid, {
            'remote_console': {'protocol': 'vnc', 'type': 'novnc'}})
        self.assertFault(response, 409, 'conflictingRequest', 'compute-3')
        rpc.assert_not_called()

    def test_rpc_timeout_is_503(self):
        self.flags.config(rpc_call_timeout=1)
        uuid = self.add_remote_instance('compute-2')
        # A fresh heartbeat, but nobody listens for compute-2's RPC.
        self.database.service_heartbeat(
            self.admin_context, 'compute-2', rpcapi.AGENT_BINARY,
            rpcapi.RPC_API_VERSION)
        response = self.post(uuid, {
            'remote_console': {'protocol': 'vnc', 'type': 'novnc'}})
        self.assertFault(response, 503, 'serviceUnavailable', 'compute-2')
