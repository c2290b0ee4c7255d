"""End to end: tokens in a real database, QEMU's VNC server and serial port.

The proxy runs with the database-backed validator, exactly as the
``console-proxy`` command does; tokens and instances are written with the
database API the way the API service and the agents write them.
"""

import os
import time
import uuid

import fixtures
from oslo_config import fixture as config_fixture
import sqlalchemy as sa
import testtools
import websockets
from websockets.sync import client as ws_client

from console_api import conf
from console_api.console import token_store
from console_api.console import tokens
from console_api import context
from console_api.db import api as db_api
from console_api.db import migration
from console_api.db import models
from console_api.proxy import server
from console_api.tests.functional.proxy import fakes
from console_api.tests.functional.proxy import fixtures_qemu
from console_api.virt import driver as virt_driver

CONF = conf.CONF
HOST = 'compute-1'
NOVNC_BASE = 'http://127.0.0.1:6080/vnc_lite.html'
SERIAL_BASE = 'ws://127.0.0.1:6083/'


class ProxyQemuTestCase(testtools.TestCase):
    """A QEMU guest, a database with its instance, and the proxies."""

    def setUp(self):
        super().setUp()
        if fixtures_qemu.qemu_binary() is None:
            self.skipTest('qemu-system-x86_64 is not installed; the proxy '
                          'end-to-end tests need a real VNC server')
        tmp = self.useFixture(fixtures.TempDir()).path
        flags = self.useFixture(config_fixture.Config(CONF))
        CONF([], project='console_api', default_config_files=[])
        flags.config(connection='sqlite:///' + os.path.join(tmp, 'db.sqlite'),
                     group='database')
        flags.config(cert='/nonexistent/self.pem')
        for group in ('vnc', 'serial_console'):
            flags.config(enabled=True, group=group)
        self.database = db_api.Database(CONF)
        self.addCleanup(self.database.dispose)
        migration.db_sync(self.database.get_engine())
        self.context = context.get_admin_context()

        self.guest = self.useFixture(fixtures_qemu.QemuGuest())
        self.instance_uuid = str(uuid.uuid4())
        self.database.instance_sync_host(self.context, HOST, [
            virt_driver.DomainInfo(uuid=self.instance_uuid, name='guest',
                                   power_state=1, project_id='p',
                                   user_id='u')])

        specs = [
            server.ListenerSpec('novnc', '127.0.0.1', 0, ('novnc',),
                                CONF.web, rfb_security=True),
            server.ListenerSpec('serial', '127.0.0.1', 0, ('serial',)),
        ]
        self.service = server.ProxyService(CONF, specs=specs)
        self.addresses = self.service.start_in_thread()
        self.addCleanup(self.service.stop)

    def issue(self, console_type, port, ttl=600, base=NOVNC_BASE):
        """Store a token the way the agent does; return the plain token."""
        token = tokens.generate()
        token_store.create(self.database, self.context, {
            'token_hash': tokens.hash_token(token),
            'console_type': console_type, 'host': '127.0.0.1',
            'port': port, 'tls_port': None, 'internal_access_path': None,
            'instance_uuid': self.instance_uuid, 'compute_host': HOST,
            'access_url_base': base, 'expires': int(time.time()) + ttl})
        return token

    def raw(self, name, target, **kwargs):
        host, port = self.addresses[name]
        client = fakes.RawWebSocket(host, port, target, **kwargs)
        self.addCleanup(client.close)
        return client

    def novnc_client(self, token, **kwargs):
        """Connect as tempest does with a noVNC console URL."""
        url = tokens.access_url('novnc', NOVNC_BASE, token)
        query = url.split('?', 1)[1]
        return self.raw('novnc', '/?token=%s' % token, cookie=query,
                        **kwargs)

    def assertClosedWithoutData(self, client):
        fixtures_qemu.assert_closed_without_data(self, client)


class NoVNCQemuTest(ProxyQemuTestCase):

    def test_rfb_handshake(self):
        """The steps of tempest's NoVNCValidateMixin, through the proxy."""
        client = self.novnc_client(self.issue('novnc', self.guest.vnc_port))
        fixtures_qemu.assert_rfb_handshake(self, client, b'proxy-test-guest')

    def test_novnc_page(self):
        import urllib.request
        host, port = self.addresses['novnc']
        url = tokens.access_url(
            'novnc', 'http://%s:%s/vnc_lite.html' % (host, port),
            tokens.generate())
        with urllib.request.urlopen(url, timeout=10) as response:
            self.assertEqual(200, response.status)
            body = response.read()
        for part in (b'<html', b'</html>', b'noVNC', b'<script'):
            self.assertIn(part, body)

    def test_bad_token(self):
        """tempest's test_novnc_bad_token: ``bad`` before the token."""
        token = self.issue('novnc', self.guest.vnc_port)
        url = tokens.access_url('novnc', NOVNC_BASE, token)
        query = url.split('?', 1)[1].replace('token%3D', 'token%3Dbad')
        client = self.raw('novnc', '/?token=bad%s' % token, cookie=query)
        self.assertClosedWithoutData(client)

    def test_unknown_token(self):
        self.assertClosedWithoutData(self.novnc_client(tokens.generate()))

    def test_expired_token(self):
        token = self.issue('novnc', self.guest.vnc_port, ttl=-1)
        self.assertClosedWithoutData(self.novnc_client(token))

    def test_token_of_removed_server(self):
        token = self.issue('novnc', self.guest.vnc_port)
        # The agent reports the guest gone: instance and tokens go.
        self.database.instance_sync_host(self.context, HOST, [])
        self.assertClosedWithoutData(self.novnc_client(token))

    def test_token_of_deleted_instance_row(self):
        token = self.issue('novnc', self.guest.vnc_port)
        # Only the instance goes; the proxy must check it, not rely on
        # the tokens having been revoked with it.
        self._update_instance(deleted=1)
        self.assertClosedWithoutData(self.novnc_client(token))

    def test_token_of_moved_instance(self):
        token = self.issue('novnc', self.guest.vnc_port)
        self._update_instance(host='compute-2')
        self.assertClosedWithoutData(self.novnc_client(token))

    def test_wrong_origin(self):
        token = self.issue('novnc', self.guest.vnc_port)
        self.assertClosedWithoutData(
            self.novnc_client(token, origin='http://evil.example'))

    def test_wrong_scheme(self):
        token = self.issue('novnc', self.guest.vnc_port)
        self.assertClosedWithoutData(
            self.novnc_client(token, origin='https://127.0.0.1'))

    def _update_instance(self, **values):
        with self.database.get_engine().begin() as connection:
            connection.execute(
                sa.update(models.Instance)
                .where(models.Instance.uuid == self.instance_uuid)
                .values(**values))


class SerialQemuTest(ProxyQemuTestCase):

    def _read_until(self, ws, marker):
        seen = b''
        while marker not in seen:
            seen += ws.recv(timeout=20)
        return seen

    def test_serial_round_trip(self):
        """Bytes reach QEMU's serial port and its answers come back."""
        token = self.issue('serial', self.guest.serial_port,
                           base=SERIAL_BASE)
        host, port = self.addresses['serial']
        with ws_client.connect('ws://%s:%s/websockify' % (host, port),
                               additional_headers={
                                   'Cookie': 'token=%s' % token},
                               subprotocols=['binary']) as ws:
            # Ctrl-a c: switch the multiplexed serial port to the monitor.
            ws.send(b'\x01c')
            self._read_until(ws, b'(qemu)')
            ws.send(b'info name\r')
            self.assertIn(b'proxy-test-guest',
                          self._read_until(ws, b'proxy-test-guest'))

    def test_novnc_token_refused_on_serial(self):
        token = self.issue('novnc', self.guest.vnc_port)
        host, port = self.addresses['serial']
        error = self.assertRaises(
            websockets.InvalidStatus, ws_client.connect,
            'ws://%s:%s/?token=%s' % (host, port, token))
        self.assertEqual(403, error.response.status_code)
        self.assertEqual(b'', error.response.body)
