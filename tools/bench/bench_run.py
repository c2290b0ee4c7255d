"""One measurement run: create/validate on both paths, then the floors.

Runs in a fresh process started by ``bench_console.py`` (so that every run
starts from the same state) and returns a JSON-able dict.
"""

import json
import os
import platform
import shutil
import sys
import tempfile
import time
import urllib.parse

from oslo_utils import timeutils
import sqlalchemy as sa
import webob

import bench_stack
import bench_stats

from console_api.console import tokens as ca_tokens
from console_api import context as ca_context
from console_api.console import token_store

CREATE_BODY = json.dumps({'remote_console': {'protocol': 'vnc',
                                             'type': 'novnc'}}).encode()
MEMBER = {'X-Auth-Token': 'bench:%s' % bench_stack.PROJECT,
          'OpenStack-API-Version': 'compute 2.6',
          'Content-Type': 'application/json', 'Accept': 'application/json'}
ADMIN = {'X-Auth-Token': 'admin:%s' % bench_stack.PROJECT,
         'OpenStack-API-Version': 'compute 2.31',
         'Accept': 'application/json'}


class BenchFailure(Exception):
    """A timed call did not give the expected answer: the run is void."""


class WSGIClient(object):
    """Calls the paste app directly with a WebOb request (no HTTP bytes)."""

    name = 'wsgi'

    def __init__(self, app):
        self.app = app

    def request(self, method, path, headers, body=None):
        req = webob.Request.blank(path, method=method, headers=headers)
        if body is not None:
            req.body = body
        resp = req.get_response(self.app)
        return resp.status_int, resp.body

    def close(self):
        pass


class HTTPClient(object):
    """One persistent ``http.client`` connection to a cheroot server."""

    name = 'http'

    def __init__(self, server):
        self.conn = server.connect()

    def request(self, method, path, headers, body=None):
        self.conn.request(method, path, body=body, headers=headers)
        resp = self.conn.getresponse()
        return resp.status, resp.read()

    def close(self):
        self.conn.close()


def token_of(url):
    """The token in a console access URL (query ``token=`` or in ``path``)."""
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    if 'token' in query:
        return query['token'][0]
    inner = urllib.parse.urlsplit(query['path'][0]).query
    return urllib.parse.parse_qs(inner)['token'][0]


def make_ops(client, server_uuid):
    """(create, validate, tokens) closures for ``client``."""
    create_path = '/v2.1/servers/%s/remote-consoles' % server_uuid
    tokens = []

    def create(i):
        status, body = client.request('POST', create_path, MEMBER,
                                      CREATE_BODY)
        if status != 200:
            raise BenchFailure('create -> %s %r' % (status, body[:300]))
        tokens.append(token_of(json.loads(body)['remote_console']['url']))

    def validate(i):
        token = tokens[i % len(tokens)]
        status, body = client.request(
            'GET', '/v2.1/os-console-auth-tokens/%s' % token, ADMIN)
        if status != 200:
            raise BenchFailure('validate -> %s %r' % (status, body[:300]))
        if json.loads(body)['console']['instance_uuid'] != server_uuid:
            raise BenchFailure('validate returned another instance')

    return create, validate, tokens


def bare_op(client):
    """The HTTP floor op: GET the fixed-JSON app through ``client``."""
    def bare(i):
        status, body = client.request('GET', '/floor', ADMIN)
        if status != 200 or not body:
            raise BenchFailure('floor -> %s' % status)
    return bare


def db_ops(database, server_uuid):
    """(insert, select) floor ops straight through the token store's SQL."""
    ctxt = ca_context.get_admin_context()
    hashes = []
    base = 'http://127.0.0.1:6080/vnc_auto.html'

    def insert(i):
        token_hash = ca_tokens.hash_token(ca_tokens.generate())
        token_store.create(database, ctxt, {
            'token_hash': token_hash, 'console_type': 'novnc',
            'host': '192.0.2.10', 'port': 5900, 'tls_port': None,
            'internal_access_path': None, 'instance_uuid': server_uuid,
            'compute_host': bench_stack.HOST, 'access_url_base': base,
            'expires': timeutils.utcnow_ts() + 600})
        hashes.append(token_hash)

    def select(i):
        row = token_store.get_with_instance(
            database, ctxt, hashes[i % len(hashes)], timeutils.utcnow_ts())
        if row is None:
            raise BenchFailure('select found no token')

    return insert, select


def pooled_db_ops(db_path, server_uuid):
    """Reference ops: the same INSERT/SELECT, SQLAlchemy core, pooled.

    Not a floor of the service (it bypasses ``console_api.db.api`` and
    oslo.db), but shows what a kept-open connection costs on this file.
    """
    engine = sa.create_engine('sqlite:///' + db_path,
                              poolclass=sa.pool.QueuePool)
    table = sa.Table('console_auth_tokens', sa.MetaData(),
                     autoload_with=engine)
    hashes = []

    def insert(i):
        token_hash = ca_tokens.hash_token(ca_tokens.generate())
        with engine.begin() as conn:
            conn.execute(sa.insert(table).values(
                token_hash=token_hash, console_type='novnc',
                host='192.0.2.10', port=5900, instance_uuid=server_uuid,
                expires=timeutils.utcnow_ts() + 600))
        hashes.append(token_hash)

    def select(i):
        with engine.connect() as conn:
            row = conn.execute(sa.select(table).where(
                table.c.token_hash == hashes[i % len(hashes)],
                table.c.expires > timeutils.utcnow_ts()).limit(1)).first()
        if row is None:
            raise BenchFailure('pooled select found no token')

    return insert, select, engine


def run(args):
    """Measure once; return the result dict (see README.rst for fields)."""
    if args.switch_interval:
        sys.setswitchinterval(args.switch_interval)
    workdir = tempfile.mkdtemp(prefix='console-bench.', dir=args.db_dir)
    log_file = os.path.join(workdir, 'console-api.log') \
        if args.log == 'info' else None
    result = {'uptime_start': bench_stats.uptime(), 'ok': False,
              'workdir': workdir, 'transport': args.transport,
              'log': args.log, 'ops': {},
              'switch_interval_s': sys.getswitchinterval()}
    snap0 = bench_stats.cpu_snapshot()
    wall0 = time.perf_counter()
    stack = bench_stack.Stack(workdir, servers=args.servers,
                              log_file=log_file,
                              transport=args.transport).start()
    result['db'] = stack.db_facts()
    sid = stack.uuids[0]
    api_http = bench_stack.HTTPServer(stack.app).start()
    bare_http = bench_stack.HTTPServer(bench_stack.bare_app).start()
    rpc_floor = bench_stack.RPCFloor(stack.services.transport).start()
    ops = result['ops']
    try:
        clients = {'wsgi': (WSGIClient(stack.app),
                            WSGIClient(bench_stack.bare_app)),
                   'http': (HTTPClient(api_http), HTTPClient(bare_http))}
        for path in args.paths:
            client, bare_client = clients[path]
            create, validate, _tokens = make_ops(client, sid)
            ops['create/' + path] = bench_stats.timed_loop(
                args.n_create, create, args.warmup)
            ops['validate/' + path] = bench_stats.timed_loop(
                args.n_validate, validate, args.warmup)
            ops['floor_http/' + path] = bench_stats.timed_loop(
                args.n_floor, bare_op(bare_client), args.warmup)
        ops['floor_rpc'] = bench_stats.timed_loop(
            args.n_floor, lambda i: rpc_floor.call(), args.warmup)
        insert, select = db_ops(stack.database, sid)
        ops['floor_db_insert'] = bench_stats.timed_loop(
            args.n_floor, insert, args.warmup)
        ops['floor_db_select'] = bench_stats.timed_loop(
            args.n_floor, select, args.warmup)
        insert, select, pooled = pooled_db_ops(stack.db_path, sid)
        ops['ref_db_insert_pooled'] = bench_stats.timed_loop(
            args.n_floor, insert, args.warmup)
        ops['ref_db_select_pooled'] = bench_stats.timed_loop(
            args.n_floor, select, args.warmup)
        pooled.dispose()
        # Sanity: an unknown token must be a 404, or we measure a cache.
        status, _body = clients[args.paths[0]][0].request(
            'GET', '/v2.1/os-console-auth-tokens/%s' % ca_tokens.generate(),
            ADMIN)
        result['sanity_unknown_token_status'] = status
        if status != 404:
            raise BenchFailure('unknown token gave %s' % status)
        if args.profile_dir:
            import bench_profile
            create, validate, _tokens = make_ops(clients['wsgi'][0], sid)
            # create first: validate cycles over the tokens it makes.
            result['profiles'] = bench_profile.profile_ops(
                args.profile_dir, [('create_wsgi', create),
                                   ('validate_wsgi', validate)],
                n=args.profile_n)
        for client, bare_client in clients.values():
            client.close()
            bare_client.close()
        result['ok'] = True
    finally:
        rpc_floor.stop()
        api_http.stop()
        bare_http.stop()
        stack.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    result['uptime_end'] = bench_stats.uptime()
    result['other_processes_cores'] = bench_stats.other_cores(
        snap0, bench_stats.cpu_snapshot(), time.perf_counter() - wall0)
    result['python'] = sys.version.split()[0]
    result['platform'] = platform.platform()
    return result
