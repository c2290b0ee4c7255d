"""Console sessions through real proxies: single use, ends, limits, bytes.

The proxies run in-process on the functional suite's database and
transport (sqlite and ``inproc://`` by default) with the fake consoles of
the other proxy tests. Clients pick their source address in 127.0.0.0/8
to play different machines.
"""

import collections
import concurrent.futures
import socket
import threading
import time
import types

import fixtures
from oslo_config import fixture as config_fixture
import testtools
import websockets
from websockets.sync import client as ws_client

from console_api import conf
from console_api.console import auth
from console_api.console import tokens
from console_api import context
from console_api.db import api as db_api
from console_api.db import migration
from console_api.proxy import rpcapi
from console_api.proxy import server
from console_api import rpc
from console_api.tests.functional.proxy import fakes
from console_api.tests.functional import service_env

CONF = conf.CONF
SERVER = '0b9a0b5e-0000-4000-8000-000000000001'
SERIAL_BASE = 'ws://127.0.0.1:6083/'
NOVNC_BASE = 'http://127.0.0.1:6080/vnc_lite.html'
Domain = collections.namedtuple(
    'Domain', 'uuid name power_state project_id user_id task_state')


class SessionProxyTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.log = self.useFixture(fixtures.FakeLogger(level='INFO'))
        self.tmp = self.useFixture(fixtures.TempDir()).path
        self.flags = self.useFixture(config_fixture.Config(CONF))
        self.flags.config(
            connection=service_env.database_url(self, self.tmp),
            group='database')
        self.flags.config(transport_url=service_env.transport_url(self),
                          host='proxy-a', cert='/nonexistent/self.pem')
        self.flags.config(group='consoleauth', token_ttl=600,
                          session_check_interval=1)
        self.database = db_api.Database(CONF)
        self.addCleanup(self.database.dispose)
        migration.db_sync(self.database.get_engine())
        self.ctxt = context.get_admin_context()
        self.auth = auth.ConsoleAuth(self.database, CONF)
        self.database.instance_sync_host(self.ctxt, 'agent1', [
            Domain(SERVER, 'vm', 1, 'p1', 'u1', None)])
        self.transport = rpc.create_transport(CONF)
        self.addCleanup(self.transport.cleanup)
        self.echo_port = self.console(fakes.echo)

    def console(self, handler):
        tcp = fakes.start_tcp_server(handler)
        self.addCleanup(tcp.server_close)
        self.addCleanup(tcp.shutdown)
        return tcp.server_address[1]

    def start_proxy(self, host='proxy-a', **consoleauth):
        if consoleauth:
            self.flags.config(group='consoleauth', **consoleauth)
        specs = [
            server.ListenerSpec('serial', '127.0.0.1', 0, ('serial',)),
            # Relayed raw: the fake console is an echo server.
            server.ListenerSpec('novnc', '127.0.0.1', 0, ('novnc',)),
        ]
        service = server.ProxyService(CONF, specs=specs,
                                      transport=self.transport, host=host)
        addresses = service.start_in_thread()
        self.addCleanup(service.stop)
        service.test_addresses = addresses
        return service

    def issue(self, console_type='serial', port=None, **request):
        protocol = 'serial' if console_type == 'serial' else 'vnc'
        base = SERIAL_BASE if console_type == 'serial' else NOVNC_BASE
        endpoint = types.SimpleNamespace(host='127.0.0.1',
                                         port=port or self.echo_port,
                                         tls_port=None)
        issued = self.auth.issue(
            self.ctxt, SERVER, 'agent1', console_type, base, endpoint, None,
            session=dict({'user_id': 'u1', 'project_id': 'p1',
                          'protocol': protocol, 'view_only': False,
                          'request_id': 'req-1'}, **request))
        return issued.session_id, tokens.from_url(issued.url)

    def open(self, service, token, source='127.0.0.1', listener='serial'):
        host, port = service.test_addresses[listener]
        sock = socket.create_connection((host, port), timeout=10,
                                        source_address=(source, 0))
        ws = ws_client.connect('ws://%s:%s/?token=%s' % (host, port, token),
                               sock=sock, open_timeout=10)
        self.addCleanup(ws.close)
        return ws

    def assertRefused(self, service, token, source='127.0.0.1',
                      listener='serial'):
        error = self.assertRaises(websockets.InvalidStatus, self.open,
                                  service, token, source, listener)
        self.assertEqual(403, error.response.status_code)
        self.assertEqual(b'', error.response.body)

    def assertEcho(self, ws, data=b'ping'):
        ws.send(data)
        self.assertEqual(data, ws.recv(timeout=10))

    def assertClosed(self, ws, code, within):
        start = time.monotonic()
        error = self.assertRaises(websockets.ConnectionClosed, ws.recv,
                                  timeout=within)
        self.assertEqual(code, error.rcvd.code)
        return time.monotonic() - start

    def session(self, session_id):
        return self.auth.get_session(self.ctxt, session_id)

    def wait_for_end(self, session_id, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            row = self.session(session_id)
            if row.status != 'active':
                return row.status, row.close_reason
            time.sleep(0.05)
        self.fail('session %s still active' % session_id)


class SingleUseTest(SessionProxyTestCase):

    def test_bound_to_the_first_address(self):
        proxy = self.start_proxy()
        session_id, token = self.issue()
        self.assertEcho(self.open(proxy, token))
        row = self.session(session_id)
        self.assertEqual(('active', '127.0.0.1', 'proxy-a'),
                         (row.status, row.client_address, row.proxy_host))
        self.assertRefused(proxy, token, '127.0.0.2')
        self.assertIn('token already used', self.log.output)
        self.assertNotIn(token, self.log.output)
        # A sibling channel from the same address joins.
        self.assertEcho(self.open(proxy, token))

    def test_resume_within_the_window(self):
        proxy = self.start_proxy()
        session_id, token = self.issue()
        self.open(proxy, token).close()
        self.assertEqual(('closed', 'client'), self.wait_for_end(session_id))
        self.assertRefused(proxy, token, '127.0.0.2')
        self.assertEcho(self.open(proxy, token))
        self.assertEqual('active', self.session(session_id).status)

    def test_refused_after_the_window(self):
        proxy = self.start_proxy(reconnect_window=0)
        session_id, token = self.issue()
        self.open(proxy, token).close()
        self.wait_for_end(session_id)
        self.assertRefused(proxy, token)

    def test_not_single_use(self):
        proxy = self.start_proxy(single_use=False)
        session_id, token = self.issue()
        self.assertEcho(self.open(proxy, token))
        self.assertEcho(self.open(proxy, token, '127.0.0.2'))
        self.assertEqual('127.0.0.1', self.session(session_id).client_address)

    def test_two_proxies_race(self):
        proxies = [self.start_proxy('proxy-a'), self.start_proxy('proxy-b')]
        for _attempt in range(3):
            session_id, token = self.issue()
            barrier = threading.Barrier(2)

            def attempt(index):
                barrier.wait()
                try:
                    self.open(proxies[index], token,
                              '127.0.0.%d' % (index + 2))
                except websockets.InvalidStatus as exc:
                    return exc.response.status_code
                return 101

            with concurrent.futures.ThreadPoolExecutor(2) as pool:
                results = sorted(pool.map(attempt, range(2)))
            self.assertEqual([101, 403], results)
            row = self.session(session_id)
            self.assertEqual('active', row.status)


class EndTest(SessionProxyTestCase):

    def test_killed_through_rpc_within_two_seconds(self):
        # A long check interval: only the cast can be this quick.
        proxy = self.start_proxy(session_check_interval=60)
        session_id, token = self.issue()
        ws = self.open(proxy, token)
        self.assertEcho(ws)
        self.assertEqual([session_id],
                         self.auth.end(self.ctxt, [session_id], 'killed'))
        rpcapi.ConsoleProxyAPI(self.transport).end_sessions(
            self.ctxt, [session_id], 'killed')
        self.assertLess(self.assertClosed(ws, 4001, 5), 2)
        self.assertEqual(('closed', 'killed'), self.wait_for_end(session_id))
        self.assertRefused(proxy, token)

    def test_killed_through_the_periodic_check(self):
        proxy = self.start_proxy(session_check_interval=1)
        session_id, token = self.issue()
        ws = self.open(proxy, token)
        self.assertEcho(ws)
        self.auth.end(self.ctxt, [session_id], 'killed')
        self.assertLess(self.assertClosed(ws, 4001, 5), 2)
        self.assertEqual(('closed', 'killed'), self.wait_for_end(session_id))

    def test_idle(self):
        proxy = self.start_proxy(session_idle_timeout=1)
        session_id, token = self.issue()
        ws = self.open(proxy, token)
        self.assertClosed(ws, 4003, 5)
        self.assertEqual(('closed', 'idle'), self.wait_for_end(session_id))

    def test_enforced_expiry(self):
        proxy = self.start_proxy(enforce_session_timeout=True, token_ttl=2)
        session_id, token = self.issue()
        ws = self.open(proxy, token)
        self.assertEcho(ws)
        self.assertClosed(ws, 4002, 5)
        self.assertEqual(('closed', 'expired'),
                         self.wait_for_end(session_id))

    def test_console_closes(self):
        def hang_up(sock):
            sock.sendall(b'bye')
        proxy = self.start_proxy()
        session_id, token = self.issue(port=self.console(hang_up))
        ws = self.open(proxy, token)
        self.assertEqual(b'bye', ws.recv(timeout=10))
        error = self.assertRaises(websockets.ConnectionClosed, ws.recv,
                                  timeout=10)
        self.assertEqual(1000, error.rcvd.code)
        self.assertEqual('The console closed the connection',
                         error.rcvd.reason)
        self.assertEqual(('closed', 'console'), self.wait_for_end(session_id))

    def test_proxy_stop(self):
        proxy = self.start_proxy()
        session_id, token = self.issue()
        ws = self.open(proxy, token)
        self.assertEcho(ws)
        proxy.stop()
        self.assertClosed(ws, 1001, 10)
        self.assertEqual(('closed', 'proxy_lost'),
                         self.wait_for_end(session_id))


class LimitTest(SessionProxyTestCase):

    def test_refuse(self):
        proxy = self.start_proxy(max_sessions_per_server=1)
        _first, token1 = self.issue('novnc')
        _second, token2 = self.issue('novnc')
        self.assertEcho(self.open(proxy, token1, listener='novnc'))
        self.assertRefused(proxy, token2, listener='novnc')
        self.assertIn('session limit reached', self.log.output)

    def test_replace(self):
        proxy = self.start_proxy(max_sessions_per_server=1,
                                 session_limit_action='replace')
        first, token1 = self.issue('novnc')
        second, token2 = self.issue('novnc')
        old = self.open(proxy, token1, listener='novnc')
        self.assertEcho(old)
        self.assertEcho(self.open(proxy, token2, listener='novnc'))
        self.assertClosed(old, 4004, 5)
        self.assertEqual(('closed', 'replaced'), self.wait_for_end(first))
        self.assertEqual('active', self.session(second).status)

    def test_serial_replaces_on_another_proxy(self):
        proxy_a = self.start_proxy('proxy-a', session_check_interval=60)
        proxy_b = self.start_proxy('proxy-b', session_check_interval=60)
        first, token1 = self.issue('serial')
        _second, token2 = self.issue('serial')
        old = self.open(proxy_a, token1)
        self.assertEcho(old)
        self.assertEcho(self.open(proxy_b, token2, '127.0.0.2'))
        # Told through the fanout cast, not the (long) periodic check.
        self.assertLess(self.assertClosed(old, 4004, 5), 2)
        self.assertEqual(('closed', 'replaced'), self.wait_for_end(first))


class BookkeepingTest(SessionProxyTestCase):

    def test_bytes_counted(self):
        proxy = self.start_proxy()
        session_id, token = self.issue()
        ws = self.open(proxy, token)
        self.assertEcho(ws, b'x' * 1000)
        # Flushed by the periodic tick while active...
        deadline = time.monotonic() + 5
        while self.session(session_id).bytes_to_console < 1000:
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.1)
        self.assertEcho(ws, b'y' * 24)
        ws.close()
        # ...and at close.
        self.wait_for_end(session_id)
        row = self.session(session_id)
        self.assertEqual((1024, 1024),
                         (row.bytes_to_client, row.bytes_to_console))

    def test_heartbeat(self):
        self.start_proxy('proxy-a')
        service = self.database.service_get(self.ctxt, 'proxy-a',
                                            'console-proxy')
        self.assertIsNotNone(service)

    def test_sessions_of_a_dead_proxy(self):
        self.flags.config(service_down_time=1)
        session_id, token = self.issue()
        # A proxy that served it and never heartbeat since.
        self.auth.connect(self.ctxt, token, '192.0.2.9', 'ghost')
        self.start_proxy()
        self.assertEqual(('closed', 'proxy_lost'),
                         self.wait_for_end(session_id, timeout=5))

    def test_own_sessions_end_at_restart(self):
        session_id, token = self.issue()
        self.auth.connect(self.ctxt, token, '192.0.2.9', 'proxy-a')
        self.start_proxy('proxy-a')
        self.assertEqual(('closed', 'proxy_lost'),
                         self.wait_for_end(session_id, timeout=1))
