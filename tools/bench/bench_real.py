"""Real-stack part: console-api as separate processes under concurrent load.

Runs in its own process (``bench_console.py --real-stack``). Each
deployment comes from ``console_api/tests/deployment/deployment.py``:
gunicorn serving ``console_api.wsgi.api:application`` with ``--workers``
processes, one ``console-compute-agent`` process with the fake driver, a
fresh PostgreSQL database (``openstack_citest`` account) and a RabbitMQ
virtual host of its own. The load generator is this process: one thread
per client, each with one persistent ``http.client`` connection to
127.0.0.1 (reopened by ``http.client`` when gunicorn's sync workers close
it), doing a fixed number of creates and then of validates.
"""

import http.client
import json
import threading
import time

import bench_run
import bench_stats

from console_api.tests.deployment import deployment as deployment_module
from console_api.tests.functional import service_env

PROJECT = deployment_module.PROJECT
MEMBER = dict(bench_run.MEMBER, **{'X-Auth-Token': 'bench:%s' % PROJECT})
ADMIN = dict(bench_run.ADMIN, **{'X-Auth-Token': 'admin:%s' % PROJECT})


class Client(object):
    """One load-generator client: a connection and its own tallies."""

    def __init__(self, port, server_uuid):
        self.conn = http.client.HTTPConnection('127.0.0.1', port, timeout=60)
        self.create_path = '/v2.1/servers/%s/remote-consoles' % server_uuid
        self.server_uuid = server_uuid
        self.tokens = []
        self.latencies = {'create': [], 'validate': []}
        self.errors = {'create': [], 'validate': []}

    def _request(self, method, path, headers, body=None):
        try:
            self.conn.request(method, path, body=body, headers=headers)
            resp = self.conn.getresponse()
            return resp.status, resp.read()
        except (OSError, http.client.HTTPException) as exc:
            # A dropped connection counts as an error; start a new one.
            self.conn.close()
            return None, repr(exc).encode()

    def create(self):
        start = time.perf_counter_ns()
        status, body = self._request('POST', self.create_path, MEMBER,
                                     bench_run.CREATE_BODY)
        elapsed = time.perf_counter_ns() - start
        if status != 200:
            self.errors['create'].append('%s %r' % (status, body[:200]))
            return
        self.latencies['create'].append(elapsed)
        self.tokens.append(bench_run.token_of(
            json.loads(body)['remote_console']['url']))

    def validate(self, i):
        token = self.tokens[i % len(self.tokens)]
        start = time.perf_counter_ns()
        status, body = self._request(
            'GET', '/v2.1/os-console-auth-tokens/%s' % token, ADMIN)
        elapsed = time.perf_counter_ns() - start
        if status != 200:
            self.errors['validate'].append('%s %r' % (status, body[:200]))
        elif json.loads(body)['console']['instance_uuid'] != \
                self.server_uuid:
            self.errors['validate'].append('another instance')
        else:
            self.latencies['validate'].append(elapsed)


def _phase(clients, op, per_client, deadline_s):
    """Run ``op`` on every client at once; return the phase's figures."""
    barrier = threading.Barrier(len(clients) + 1)
    stop_at = [None]

    def work(client):
        barrier.wait()
        for i in range(per_client):
            if time.monotonic() > stop_at[0]:
                break
            if op == 'create':
                client.create()
            elif client.tokens:
                client.validate(i)
            else:
                client.errors['validate'].append('no token to validate')

    threads = [threading.Thread(target=work, args=(c,), daemon=True)
               for c in clients]
    for thread in threads:
        thread.start()
    stop_at[0] = time.monotonic() + deadline_s
    cpu0 = time.process_time()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    lat = [x for c in clients for x in c.latencies[op]]
    errors = [e for c in clients for e in c.errors[op]]
    figures = bench_stats.summarize(lat, wall, time.process_time() - cpu0) \
        if lat else {'n': 0, 'wall_s': round(wall, 3)}
    # ops/s counts the successful calls only.
    figures['errors'] = len(errors)
    figures['error_samples'] = errors[:5]
    figures['attempted'] = len(lat) + len(errors)
    figures['load_generator_cpu_ms_per_op'] = figures.pop('cpu_ms_per_op',
                                                          None)
    for c in clients:
        c.latencies[op], c.errors[op] = [], []
    return figures


def _measure(deployment, concurrency, args):
    port = deployment.api_port
    servers = [s['uuid'] for s in deployment.agents['a'].servers.values()
               if s['power_state'] == 'running']
    clients = [Client(port, servers[i % len(servers)])
               for i in range(concurrency)]
    try:
        # Warm-up: every worker process imports lazily on its first calls.
        warm = max(1, args.real_warmup // concurrency)
        _phase(clients, 'create', warm, args.real_max_s)
        _phase(clients, 'validate', warm, args.real_max_s)
        per_create = max(1, args.real_creates // concurrency)
        per_validate = max(1, args.real_validates // concurrency)
        snap0 = bench_stats.cpu_snapshot()
        wall0 = time.perf_counter()
        create = _phase(clients, 'create', per_create, args.real_max_s)
        validate = _phase(clients, 'validate', per_validate, args.real_max_s)
        # Everything outside this process: the deployment and others.
        cores = bench_stats.other_cores(
            snap0, bench_stats.cpu_snapshot(), time.perf_counter() - wall0)
    finally:
        for c in clients:
            c.conn.close()
    return {'create': create, 'validate': validate,
            'cores_used_outside_load_generator': cores}


def run(args):
    """Measure every (workers, concurrency) pair; return the result dict."""
    service_env.shared_vhost()
    workers_list = [int(x) for x in args.real_workers.split(',') if x]
    concurrency_list = [int(x) for x in args.real_clients.split(',') if x]
    results = {}
    uptime = [bench_stats.uptime()]
    for workers in workers_list:
        deployment = deployment_module.Deployment(workers=workers, agents=1)
        deployment.setUp()
        try:
            for concurrency in concurrency_list:
                key = 'workers=%d/clients=%d' % (workers, concurrency)
                results[key] = _measure(deployment, concurrency, args)
                uptime.append(bench_stats.uptime())
        finally:
            deployment.cleanUp()
    return {'ok': True, 'results': results, 'uptime': uptime,
            'summary': _summary(results),
            'targets': targets(results, workers_list, concurrency_list)}


def _summary(results):
    out = {}
    for key, res in results.items():
        parts = []
        for op in ('create', 'validate'):
            fig = res[op]
            parts.append('%s %.1f ops/s p50 %.1f ms p99 %.1f ms err %d' % (
                op, fig.get('ops_per_s') or 0, fig.get('p50_ms', 0),
                fig.get('p99_ms', 0), fig['errors']))
        out[key] = '; '.join(parts)
    return out


def targets(results, workers_list, concurrency_list):
    """The issue-7 real-stack targets (reported, never asserted)."""
    res = {}
    top = max(concurrency_list)
    errors = sum(r[op]['errors'] for key, r in results.items()
                 for op in ('create', 'validate')
                 if key.endswith('/clients=%d' % top))
    res['zero errors at %d clients' % top] = errors == 0
    if 1 in workers_list and 2 in workers_list:
        for op in ('create', 'validate'):
            one = results.get('workers=1/clients=%d' % top, {}).get(op, {})
            two = results.get('workers=2/clients=%d' % top, {}).get(op, {})
            if one.get('ops_per_s') and two.get('ops_per_s'):
                res['%s ops/s grows with a 2nd worker (%d clients)'
                    % (op, top)] = two['ops_per_s'] > one['ops_per_s']
    return res
