"""console-api as separate processes: routing, liveness, moves, purges."""

import os
import signal
import subprocess
import sys
import threading
import time

import testtools
from testtools import content

from console_api.console import tokens as console_tokens
from console_api.tests.blackbox import clients
from console_api.tests.deployment import deployment as deployment_module
from console_api.tests.deployment import processes
from console_api.tests.functional import service_env

OPT_IN_ENV = 'CONSOLE_API_TEST_DEPLOYMENT'
REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..',
                                         '..', '..'))


class DeploymentTestCase(testtools.TestCase):
    """Each test gets its own deployment (fresh database, new processes)."""

    def setUp(self):
        super().setUp()
        if os.environ.get(OPT_IN_ENV) != '1':
            self.skipTest('multi-process deployment tests are opt-in: set '
                          '%s=1 (tools/ci/deployment.sh does)' % OPT_IN_ENV)
        try:
            service_env.shared_database('postgresql')
            service_env.shared_vhost()
        except service_env.ServiceUnavailable as exc:
            service_env.unavailable(self, str(exc))
        self.deployment = deployment_module.Deployment()
        # Logs are attached at the failure, before cleanups delete them.
        self.addOnException(self._attach_logs)
        self.useFixture(self.deployment)
        endpoint = self.deployment.endpoint
        self.member = clients.ServersClient(
            endpoint, clients.NoAuth2Token('demo', deployment_module.PROJECT))
        self.admin = clients.ConsoleAuthTokensClient(
            endpoint, clients.NoAuth2Token('admin', 'admin'))
        for client in (self.member, self.admin):
            self.addCleanup(client.close)

    def _attach_logs(self, exc_info):
        for name, text in getattr(self.deployment, 'logs', dict)().items():
            self.addDetail(name, content.text_content(text[-20000:]))

    def agent(self, name):
        return self.deployment.agents[name]

    def uuid_of(self, agent, key):
        return self.agent(agent).servers[key]['uuid']

    def console(self, server_uuid):
        return self.member.get_remote_console(server_uuid, 'vnc', 'novnc')

    def open_console(self, server_uuid):
        response = self.console(server_uuid)
        self.assertEqual(200, response.status, response)
        return clients.token_from_url(response.body['remote_console']['url'])

    def token_status(self, token):
        return self.admin.show_console_auth_token(token).status


class RoutingTest(DeploymentTestCase):

    def test_each_request_goes_to_the_agent_hosting_the_server(self):
        for agent, key, other in (('a', 'a1', 'b'), ('b', 'b1', 'a')):
            server_uuid = self.uuid_of(agent, key)
            token = self.open_console(server_uuid)
            self.assertEqual(200, self.token_status(token))
            self.assertEqual(1, self.agent(agent).issued_tokens_for(
                server_uuid))
            self.assertEqual(0, self.agent(other).issued_tokens_for(
                server_uuid))
            rows = self.deployment.sql(
                'SELECT compute_host FROM console_auth_tokens '
                'WHERE token_hash = :h', h=console_tokens.hash_token(token))
            self.assertEqual([(self.agent(agent).host,)], rows)


class AgentLivenessTest(DeploymentTestCase):

    def _wait_until_heartbeat_stale(self, host):
        down = self.deployment.service_down_time

        def stale():
            rows = self.deployment.sql(
                "SELECT EXTRACT(EPOCH FROM ((CURRENT_TIMESTAMP AT TIME ZONE "
                "'UTC') - last_seen_up)) FROM services WHERE host = :h",
                h=host)
            return rows and rows[0][0] > down + 0.5
        processes.wait_for(stale, 30, 'heartbeat of %s stale' % host)

    def test_stopped_agent_is_409_at_once_and_restart_recovers(self):
        agent = self.agent('a')
        server_uuid = self.uuid_of('a', 'a1')
        self.open_console(server_uuid)

        self.assertEqual(0, agent.process.stop())
        self._wait_until_heartbeat_stale(agent.host)
        started = time.monotonic()
        response = self.console(server_uuid)
        elapsed = time.monotonic() - started
        self.assertEqual(409, response.status, response)
        self.assertIn(agent.host,
                      response.body['conflictingRequest']['message'])
        # An RPC wait would take rpc_call_timeout (30 s); the liveness
        # check answers without one.
        self.addDetail('409-seconds', content.text_content('%.3f' % elapsed))
        self.assertLess(elapsed, self.deployment.rpc_call_timeout / 2)
        # The other agent's servers are unaffected.
        self.open_console(self.uuid_of('b', 'b1'))

        agent.process.start()
        token = self.open_console(server_uuid)
        self.assertEqual(200, self.token_status(token))


class InventoryTest(DeploymentTestCase):

    def test_moved_server_loses_its_tokens(self):
        a, b = self.agent('a'), self.agent('b')
        moving = a.servers.pop('mover')
        token = self.open_console(moving['uuid'])
        self.assertEqual(200, self.token_status(token))

        b.servers['mover'] = moving
        b.write_inventory()
        a.write_inventory()
        processes.wait_for(lambda: self.token_status(token) == 404, 30,
                           'token of the moved server revoked')
        # Between the old host's sync and the new host's the server may be
        # briefly unknown (404); then requests go to its new host.
        processes.wait_for(lambda: self.console(moving['uuid']).status == 200,
                           30, 'console of the moved server from agent b')
        self.assertEqual(1, b.issued_tokens_for(moving['uuid']))
        self.assertEqual(404, self.token_status(token))

    def test_expired_tokens_are_purged(self):
        # Agent b issues tokens that live short_ttl seconds.
        token = self.open_console(self.uuid_of('b', 'b1'))
        token_hash = console_tokens.hash_token(token)
        count = ('SELECT count(*) FROM console_auth_tokens '
                 'WHERE token_hash = :h')
        self.assertEqual([(1,)], self.deployment.sql(count, h=token_hash))
        processes.wait_for(
            lambda: self.deployment.sql(count, h=token_hash) == [(0,)],
            30, 'expired token purged')
        self.assertEqual(404, self.token_status(token))


class ApiWorkerKillTest(DeploymentTestCase):

    def test_killing_a_worker_loses_no_answered_request(self):
        servers = [self.uuid_of('a', 'a1'), self.uuid_of('a', 'a2'),
                   self.uuid_of('b', 'b1')]
        # Agent b's tokens expire quickly by design; check a's only.
        servers = servers[:2]
        issued, failures = [], []
        killed = threading.Event()
        after_kill = []
        lock = threading.Lock()

        def load(index):
            client = clients.ServersClient(
                self.deployment.endpoint,
                clients.NoAuth2Token('demo', deployment_module.PROJECT),
                timeout=60)
            try:
                for n in range(30):
                    uuid_ = servers[(index + n) % len(servers)]
                    try:
                        response = client.get_remote_console(
                            uuid_, 'vnc', 'novnc')
                    except Exception as exc:
                        # The request the killed worker was serving.
                        with lock:
                            failures.append(repr(exc))
                        continue
                    if response.status == 200:
                        token = clients.token_from_url(
                            response.body['remote_console']['url'])
                        with lock:
                            issued.append(token)
                            if killed.is_set():
                                after_kill.append(token)
                    else:
                        with lock:
                            failures.append(repr(response))
            finally:
                client.close()

        workers = self.deployment.api_worker_pids()
        self.assertEqual(self.deployment.workers, len(workers))
        threads = [threading.Thread(target=load, args=(i,))
                   for i in range(4)]
        for thread in threads:
            thread.start()
        processes.wait_for(lambda: len(issued) >= 10, 60,
                           'ten answered requests')
        os.kill(workers[0], signal.SIGKILL)
        killed.set()
        for thread in threads:
            thread.join(120)
        self.addDetail('failed-requests',
                       content.text_content('\n'.join(failures) or 'none'))
        self.assertNotIn(workers[0], self.deployment.api_worker_pids())
        self.assertTrue(after_kill, 'no request answered after the kill')
        lost = [t for t in issued if self.token_status(t) != 200]
        self.assertEqual([], lost)


class BlackboxAgainstDeploymentTest(DeploymentTestCase):

    def test_blackbox_suite_passes(self):
        a, b = self.agent('a'), self.agent('b')
        env = dict(
            os.environ,
            CONSOLE_API_BLACKBOX_ENDPOINT=self.deployment.endpoint,
            CONSOLE_API_BLACKBOX_AUTH='noauth2',
            CONSOLE_API_BLACKBOX_USER='demo',
            CONSOLE_API_BLACKBOX_PROJECT=deployment_module.PROJECT,
            CONSOLE_API_BLACKBOX_SERVER_ID=a.servers['a1']['uuid'],
            CONSOLE_API_BLACKBOX_OTHER_SERVER_ID=b.servers['b_other']['uuid'],
            CONSOLE_API_BLACKBOX_STOPPED_SERVER_ID=(
                a.servers['a_stopped']['uuid']),
            CONSOLE_API_BLACKBOX_CONSOLE_PROTOCOLS='vnc')
        env.pop('CONSOLE_API_BLACKBOX_CONFIG', None)
        result = subprocess.run(
            [sys.executable, '-m', 'testtools.run', 'discover',
             '-s', 'console_api/tests/blackbox', '-t', '.'],
            cwd=REPO_ROOT, env=env, capture_output=True, text=True,
            timeout=600)
        output = result.stdout + result.stderr
        self.addDetail('blackbox-output', content.text_content(output))
        self.assertEqual(0, result.returncode, output[-5000:])
