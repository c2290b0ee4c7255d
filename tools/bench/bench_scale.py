"""Scale part: validate with many live tokens, purge, inventory sync.

Runs in its own process (``bench_console.py --scale``). Bulk rows go in
with SQLAlchemy core ``executemany`` so that set-up stays short; the
measured operations go through the same code as production (the paste app
and ``console_api.db.api``).
"""

import hashlib
import os
import resource
import shutil
import tempfile
import threading
import time
import uuid

import psutil
import sqlalchemy as sa
from oslo_utils import timeutils

import bench_run
import bench_stack
import bench_stats

from console_api import conf
from console_api import context as ca_context
from console_api.db import api as db_api
from console_api.db import models
from console_api.virt import driver as virt_driver

CONF = conf.CONF
BULK_CHUNK = 20000
SYNC_HOST = 'bench-sync-host'


def _bulk_tokens(engine, start, count, instance_uuid, expires):
    """Insert ``count`` token rows numbered from ``start``; return hashes.

    Only a sample of hashes is kept (every 97th), enough to query.
    """
    table = models.ConsoleAuthToken.__table__
    now = timeutils.utcnow()
    sample = []
    for base in range(start, start + count, BULK_CHUNK):
        rows = []
        for i in range(base, min(start + count, base + BULK_CHUNK)):
            token_hash = hashlib.sha256(b'bulk-%d' % i).hexdigest()
            rows.append({
                'token_hash': token_hash, 'console_type': 'novnc',
                'host': '192.0.2.10', 'port': 5900, 'tls_port': None,
                'internal_access_path': None,
                'instance_uuid': instance_uuid,
                'compute_host': bench_stack.HOST,
                'access_url_base': 'http://127.0.0.1:6080/vnc_auto.html',
                'expires': expires, 'created_at': now})
            if i % 97 == 0:
                sample.append(token_hash)
        with engine.begin() as conn:
            conn.execute(sa.insert(table), rows)
    return sample


class TransactionTimer(object):
    """Times every transaction on ``engine`` (begin to commit/rollback)."""

    def __init__(self, engine):
        self.engine = engine
        self.open = {}
        self.durations = []

    def __enter__(self):
        sa.event.listen(self.engine, 'begin', self._begin)
        sa.event.listen(self.engine, 'commit', self._end)
        sa.event.listen(self.engine, 'rollback', self._end)
        return self

    def __exit__(self, *exc):
        sa.event.remove(self.engine, 'begin', self._begin)
        sa.event.remove(self.engine, 'commit', self._end)
        sa.event.remove(self.engine, 'rollback', self._end)

    def _begin(self, conn):
        self.open[id(conn)] = time.perf_counter()

    def _end(self, conn):
        start = self.open.pop(id(conn), None)
        if start is not None:
            self.durations.append(time.perf_counter() - start)

    def summary(self):
        durations = self.durations or [0.0]
        return {'transactions': len(self.durations),
                'longest_transaction_ms': round(1000 * max(durations), 2)}


class RSSSampler(object):
    """Samples this process's RSS every 10 ms; keeps the peak."""

    def __init__(self):
        self.proc = psutil.Process()
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self.start_rss = self.proc.memory_info().rss
        self.peak = self.start_rss
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self):
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, self.proc.memory_info().rss)

    def summary(self):
        return {'rss_start_mib': round(self.start_rss / 2 ** 20, 1),
                'rss_peak_mib': round(self.peak / 2 ** 20, 1),
                'rss_growth_mib': round((self.peak - self.start_rss) /
                                        2 ** 20, 1),
                'ru_maxrss_mib': round(resource.getrusage(
                    resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1)}


def _measured(engine, fn):
    """Run ``fn()``; return (its result, wall/transaction/RSS figures)."""
    with TransactionTimer(engine) as txs, RSSSampler() as rss:
        start = time.perf_counter()
        value = fn()
        wall = time.perf_counter() - start
    figures = {'wall_s': round(wall, 3)}
    figures.update(txs.summary())
    figures.update(rss.summary())
    return value, figures


def _validate_at(stack, engine, counts, args, results):
    ctxt = ca_context.get_admin_context()
    sid = stack.uuids[0]
    client = bench_run.WSGIClient(stack.app)
    create, validate, _tokens = bench_run.make_ops(client, sid)
    for i in range(200):
        create(i)
    live, sample = 200, []
    n = min(args.n_validate, 1000)
    for target in counts:
        start = time.perf_counter()
        sample += _bulk_tokens(engine, live, target - live, sid,
                               timeutils.utcnow_ts() + 86400)
        load_s = time.perf_counter() - start
        live = target
        api = bench_stats.timed_loop(n, validate, args.warmup)

        def select(i, sample=sample):
            if db_api.token_get_valid(ctxt, sample[i % len(sample)],
                                      timeutils.utcnow_ts()) is None:
                raise bench_run.BenchFailure('bulk token not found')

        db = bench_stats.timed_loop(n, select, args.warmup)
        results['validate_at_%d' % target] = {
            'live_tokens': target, 'bulk_insert_s': round(load_s, 2),
            'db_file_mib': round(os.path.getsize(stack.db_path) / 2 ** 20,
                                 1),
            'validate_wsgi': api, 'select': db}
    return live


def _purge(engine, args, live, results):
    ctxt = ca_context.get_admin_context()
    count = args.purge_tokens
    batch = args.purge_batch or CONF.consoleauth.purge_batch_size
    now = timeutils.utcnow_ts()
    _bulk_tokens(engine, 10 ** 8, count, str(uuid.uuid4()), now - 60)
    deleted, figures = _measured(engine, lambda: db_api.token_purge_expired(
        ctxt, now, batch))
    figures.update({'expired_rows': count, 'live_rows_kept': live,
                    'batch_size': batch, 'deleted': deleted})
    if deleted != count:
        raise bench_run.BenchFailure('purge deleted %d of %d' % (deleted,
                                                                 count))
    results['purge'] = figures


def _sync(engine, args, results):
    ctxt = ca_context.get_admin_context()
    count = args.sync_servers
    domains = [virt_driver.DomainInfo(
        uuid=str(uuid.uuid4()), name='s-%d' % i, power_state=1,
        project_id=bench_stack.PROJECT, user_id='u') for i in range(count)]
    first, figures = _measured(engine, lambda: db_api.instance_sync_host(
        ctxt, SYNC_HOST, domains))
    figures['added'] = len(first.added)
    results['sync_%d_first' % count] = figures
    same, figures = _measured(engine, lambda: db_api.instance_sync_host(
        ctxt, SYNC_HOST, domains))
    figures['changed'] = len(same.changed)
    results['sync_%d_unchanged' % count] = figures
    # A tenth powered off, a tenth gone.
    tenth = max(1, count // 10)
    changed = [virt_driver.DomainInfo(
        uuid=d.uuid, name=d.name, power_state=4, project_id=d.project_id,
        user_id=d.user_id) for d in domains[:tenth]]
    rest = changed + domains[tenth:count - tenth]
    res, figures = _measured(engine, lambda: db_api.instance_sync_host(
        ctxt, SYNC_HOST, rest))
    figures.update({'changed': len(res.changed), 'removed': len(res.removed)})
    results['sync_%d_10pct_changed_10pct_removed' % count] = figures


def run(args):
    """Run the scale part once; return its result dict."""
    if args.rpc_wakeup == 'event':
        bench_stack.patch_fake_rpc_wakeup()
    workdir = tempfile.mkdtemp(prefix='console-bench-scale.',
                               dir=args.db_dir)
    stack = bench_stack.Stack(workdir).start()
    results = {}
    try:
        engine = db_api.get_engine()
        counts = sorted(int(x) for x in args.scale_tokens.split(',') if x)
        live = _validate_at(stack, engine, counts, args, results)
        _purge(engine, args, live, results)
        _sync(engine, args, results)
    finally:
        stack.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    return {'ok': True, 'db': {'dir': args.db_dir,
                               'fs': bench_stack.filesystem_of(workdir)},
            'results': results, 'summary': _summary(results)}


def _summary(results):
    out = {}
    for name, res in sorted(results.items()):
        if name.startswith('validate_at_'):
            out[name] = 'validate wsgi p50 %.3f ms p99 %.3f ms; select p50 ' \
                '%.3f ms; db %.0f MiB' % (
                    res['validate_wsgi']['p50_ms'],
                    res['validate_wsgi']['p99_ms'], res['select']['p50_ms'],
                    res['db_file_mib'])
        else:
            out[name] = '%.2f s, longest tx %.0f ms (%d tx), RSS +%.1f MiB' \
                % (res['wall_s'], res['longest_transaction_ms'],
                   res['transactions'], res['rss_growth_mib'])
    return out
