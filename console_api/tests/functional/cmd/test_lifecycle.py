"""SIGHUP and SIGTERM on the running commands (``cmd/lifecycle.py``).

SIGHUP re-reads the configuration files (the log level) and the policy
file while connections stay open; SIGTERM stops taking new work, lets work
in flight end within ``[DEFAULT] graceful_shutdown_timeout`` and exits 0.
"""

import http.client
import json
import os
import time
import uuid

import sqlalchemy as sa
import websockets
from websockets.sync import client as ws_client
import yaml

from console_api.console import tokens
from console_api import policy
from console_api.tests.deployment import processes
from console_api.tests.functional.cmd import commands
from console_api.tests.functional.proxy import fakes
from console_api.tests.functional import service_env

TIMEOUT = commands.TIMEOUT
PROJECT = '6f70656e737461636b2064656d6f0001'
# A server of the shipped demo inventory, in PROJECT.
DEMO_SERVER = '5d2b3c1a-0e4f-4b6a-9c8d-7e6f5a4b3c21'
NOVNC = {'remote_console': {'protocol': 'vnc', 'type': 'novnc'}}
HEADERS = {'X-Auth-Token': 'alice:' + PROJECT,
           'OpenStack-API-Version': 'compute 2.6'}
# The same size: only the content tells them apart.
ALLOW = '"os_compute_api:servers:index": "@"\n'
DENY = '"os_compute_api:servers:index": "!"\n'


def api_options(port, transport_url='inproc://'):
    return {'DEFAULT': {'transport_url': transport_url,
                        'osapi_compute_listen': '127.0.0.1',
                        'osapi_compute_listen_port': port},
            'api': {'auth_strategy': 'noauth2'}}


def console_request(port, server):
    """POST remote-consoles vnc/novnc; return the status and the body."""
    connection = http.client.HTTPConnection('127.0.0.1', port,
                                            timeout=TIMEOUT)
    try:
        connection.request('POST', '/v2.1/servers/%s/remote-consoles'
                           % server, body=json.dumps(NOVNC),
                           headers=dict(HEADERS,
                                        **{'Content-Type':
                                           'application/json'}))
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


class ApiTest(commands.CommandTestCase):
    """``console-api`` alone on the inproc:// transport."""

    def setUp(self):
        super().setUp()
        self.port = processes.free_port()
        self.policy = os.path.join(self.tmp, 'policy.yaml')
        self._write_policy(ALLOW)
        options = api_options(self.port)
        options['oslo_policy'] = {'policy_file': self.policy}
        self.config = self.write_config('api', options)
        self.db_sync(self.config)
        self.api = self.start('console-api', self.config)

    def _write_policy(self, text):
        with open(self.policy, 'w') as out:
            out.write(text)

    def _list_servers(self, connection):
        connection.request('GET', '/v2.1/servers', headers=HEADERS)
        response = connection.getresponse()
        response.read()
        return response.status

    def test_sighup_reloads_log_level_and_policy_keeping_connection(self):
        connection = http.client.HTTPConnection('127.0.0.1', self.port,
                                                timeout=TIMEOUT)
        self.addCleanup(connection.close)
        self.assertEqual(200, self._list_servers(connection))
        kept = connection.sock
        # Denied with the file's time unchanged: the look at the file's
        # time once a second misses the change, only SIGHUP's re-read
        # sees it.
        stat = os.stat(self.policy)
        self._write_policy(DENY)
        os.utime(self.policy, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        time.sleep(policy.RELOAD_INTERVAL * 1.5)
        self.assertEqual(200, self._list_servers(connection))

        self.assert_hup_turns_on_debug(self.api, self.config)
        self.assertEqual(403, self._list_servers(connection))
        self.assertIs(kept, connection.sock)

    def test_sigterm_finishes_the_request_in_flight(self):
        request = commands.SlowRequest(
            self.port, '/v2.1/servers/%s/remote-consoles' % uuid.uuid4(),
            json.dumps(NOVNC), HEADERS)
        exit_status = self.terminate(self.api)
        self.wait_refused(self.port)
        # No such server: answered all the same.
        status, body = request.finish()
        self.assertEqual(404, status, body)
        self.assertEqual(0, exit_status())


class AgentTest(commands.CommandTestCase):
    """``console-compute-agent`` serving ``console-api`` over RabbitMQ."""

    def setUp(self):
        super().setUp()
        try:
            transport_url = service_env.shared_vhost().url
        except service_env.ServiceUnavailable as exc:
            service_env.unavailable(self, str(exc))
        self.server = str(uuid.uuid4())
        inventory = os.path.join(self.tmp, 'inventory.yaml')
        with open(inventory, 'w') as out:
            yaml.safe_dump({'servers': [{
                'uuid': self.server, 'name': 'one', 'project_id': PROJECT,
                'power_state': 'running',
                'consoles': {'vnc': {'host': '127.0.0.1', 'port': 5901}}}]},
                out)
        self.port = processes.free_port()
        api_config = self.write_config(
            'api', api_options(self.port, transport_url))
        self.config = self.write_config('agent', {
            'DEFAULT': {'transport_url': transport_url,
                        'host': 'agent-%s' % uuid.uuid4().hex[:8],
                        'compute_driver': 'fake'},
            'fake_driver': {'inventory_file': inventory}})
        self.db_sync(self.config)
        self.agent = self.start('console-compute-agent', self.config)
        self.start('console-api', api_config)

    def assert_console_served(self):
        status, body = console_request(self.port, self.server)
        self.assertEqual(200, status, body)

    def test_sighup_reloads_log_level_while_serving(self):
        self.assert_console_served()
        self.assert_hup_turns_on_debug(self.agent, self.config)
        self.assert_console_served()

    def test_sigterm_stops_the_agent(self):
        self.assert_console_served()
        exit_status = self.terminate(self.agent)
        self.assertEqual(0, exit_status())
        self.assertIn('console-compute-agent stopped',
                      self.agent.output_since_start())


class ProxyTest(commands.CommandTestCase):
    """``console-proxy`` relaying serial sessions to a TCP echo server."""

    GRACE = 3

    def setUp(self):
        super().setUp()
        echo = fakes.start_tcp_server(fakes.echo)
        self.addCleanup(echo.server_close)
        self.addCleanup(echo.shutdown)
        self.port = processes.free_port()
        self.config = self.write_config('proxy', {
            'DEFAULT': {'cert': '/nonexistent/self.pem',
                        'graceful_shutdown_timeout': self.GRACE},
            'vnc': {'enabled': 'false'},
            'spice': {'enabled': 'false'},
            'serial_console': {'enabled': 'true',
                               'serialproxy_host': '127.0.0.1',
                               'serialproxy_port': self.port}})
        self.db_sync(self.config)
        self.token = self._add_token(echo.server_address[1])
        self.proxy = self.start('console-proxy', self.config)

    def _add_token(self, console_port):
        token = tokens.generate()
        instance = str(uuid.uuid4())
        engine = sa.create_engine('sqlite:///' + self.db_path)
        with engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO instances (uuid, host, power_state, deleted, "
                "created_at) VALUES (:uuid, 'cmdtest', 1, 0, "
                "CURRENT_TIMESTAMP)"), {'uuid': instance})
            connection.execute(sa.text(
                "INSERT INTO console_auth_tokens (token_hash, console_type, "
                "host, port, instance_uuid, compute_host, access_url_base, "
                "expires, created_at) VALUES (:hash, 'serial', '127.0.0.1', "
                ":port, :uuid, 'cmdtest', :base, :expires, "
                "CURRENT_TIMESTAMP)"),
                {'hash': tokens.hash_token(token), 'port': console_port,
                 'uuid': instance, 'expires': int(time.time()) + 600,
                 'base': 'ws://127.0.0.1:%d/' % self.port})
        engine.dispose()
        return token

    def session(self):
        websocket = ws_client.connect(
            'ws://127.0.0.1:%d/?token=%s' % (self.port, self.token),
            open_timeout=TIMEOUT)
        self.addCleanup(websocket.close)
        return websocket

    def assert_relays(self, websocket, data):
        websocket.send(data)
        self.assertEqual(data, websocket.recv(timeout=TIMEOUT))

    def test_sighup_reloads_log_level_during_a_session(self):
        websocket = self.session()
        self.assert_relays(websocket, b'before')
        self.assert_hup_turns_on_debug(self.proxy, self.config)
        self.assert_relays(websocket, b'after')

    def test_sigterm_drains_sessions_for_the_grace_period(self):
        leaving, staying = self.session(), self.session()
        sent = time.monotonic()
        # Closing the last session takes its closing handshake too.
        exit_status = self.terminate(self.proxy, grace=self.GRACE + 10)
        self.wait_refused(self.port)
        self.assert_relays(leaving, b'still relayed')
        self.assert_relays(staying, b'still relayed')
        leaving.close()
        error = self.assertRaises(websockets.ConnectionClosed, staying.recv,
                                  timeout=TIMEOUT)
        self.assertEqual(1001, error.rcvd.code)
        self.assertGreaterEqual(time.monotonic() - sent, self.GRACE)
        self.assertEqual(0, exit_status())


class AllInOneTest(commands.CommandTestCase):
    """``console-api-aio``: API, agent and proxies in one process."""

    def test_sigterm_finishes_the_request_in_flight(self):
        port = processes.free_port()
        options = api_options(port)
        options['DEFAULT']['state_path'] = self.tmp
        for group, option in (('vnc', 'novncproxy_port'),
                              ('spice', 'html5proxy_port'),
                              ('serial_console', 'serialproxy_port')):
            options[group] = {option: processes.free_port()}
        aio = self.start('console-api-aio', self.write_config('aio', options))
        request = commands.SlowRequest(
            port, '/v2.1/servers/%s/remote-consoles' % DEMO_SERVER,
            json.dumps(NOVNC), HEADERS)
        exit_status = self.terminate(aio)
        self.wait_refused(port)
        # The agent in the same process still serves the request.
        status, body = request.finish()
        self.assertEqual(200, status, body)
        self.assertIn(b'vnc_lite.html', body)
        self.assertEqual(0, exit_status())
