"""Scale part: validate with many live tokens, purge, inventory sync.

Runs in its own process (``bench_console.py --scale``). Bulk rows go in
with SQLAlchemy core ``executemany`` so that set-up stays short; the
measured operations go through the same code as production (the paste app
and ``console_api.db.api``).
"""

import csv
import hashlib
import io
import itertools
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
from console_api.console import token_store
from console_api.db import models
from console_api.virt import driver as virt_driver

CONF = conf.CONF
BULK_CHUNK = 20000
COPY_CHUNK = 100000
SYNC_HOST = 'bench-sync-host'


COLUMNS = ('token_hash', 'console_type', 'host', 'port', 'instance_uuid',
           'compute_host', 'access_url_base', 'expires', 'created_at')


def _rows(start, count, instance_uuid, expires, sample):
    """Token rows numbered from ``start``; every 97th hash goes to sample."""
    now = timeutils.utcnow()
    for i in range(start, start + count):
        token_hash = hashlib.sha256(b'bulk-%d' % i).hexdigest()
        if i % 97 == 0:
            sample.append(token_hash)
        yield (token_hash, 'novnc', '192.0.2.10', 5900, instance_uuid,
               bench_stack.HOST, 'http://127.0.0.1:6080/vnc_auto.html',
               expires, now)


def _bulk_tokens(engine, start, count, instance_uuid, expires):
    """Insert ``count`` token rows numbered from ``start``; return hashes.

    PostgreSQL gets ``COPY ... FROM STDIN`` (psycopg2 ``copy_expert``) in
    chunks; sqlite gets SQLAlchemy core ``executemany``. Only a sample of
    hashes is kept (every 97th), enough to query.
    """
    sample = []
    rows = _rows(start, count, instance_uuid, expires, sample)
    if engine.dialect.name == 'postgresql':
        _copy_rows(engine, rows, count)
        return sample
    table = models.ConsoleAuthToken.__table__
    for _base in range(0, count, BULK_CHUNK):
        chunk = [dict(zip(COLUMNS, row))
                 for row in itertools.islice(rows, BULK_CHUNK)]
        with engine.begin() as conn:
            conn.execute(sa.insert(table), chunk)
    return sample


def _copy_rows(engine, rows, count):
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for _base in range(0, count, COPY_CHUNK):
            buf = io.StringIO()
            writer = csv.writer(buf)
            for row in itertools.islice(rows, COPY_CHUNK):
                writer.writerow(row)
            buf.seek(0)
            cursor.copy_expert(
                'COPY console_auth_tokens (%s) FROM STDIN WITH (FORMAT csv)'
                % ', '.join(COLUMNS), buf)
            raw.commit()
        cursor.close()
    finally:
        raw.close()


def _analyze(engine):
    """Fresh planner statistics after a bulk load (autovacuum may lag)."""
    if engine.dialect.name == 'postgresql':
        with engine.begin() as conn:
            conn.execute(sa.text('ANALYZE console_auth_tokens'))


def _db_mib(engine, stack):
    if engine.dialect.name == 'postgresql':
        with engine.connect() as conn:
            size = conn.execute(sa.text(
                'SELECT pg_database_size(current_database())')).scalar()
        return round(size / 2 ** 20, 1)
    return round(os.path.getsize(stack.db_path) / 2 ** 20, 1)


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
        _analyze(engine)
        load_s = time.perf_counter() - start
        live = target
        api = bench_stats.timed_loop(n, validate, args.warmup)

        def select(i, sample=sample):
            if token_store.get_with_instance(
                    stack.database, ctxt, sample[i % len(sample)],
                    timeutils.utcnow_ts()) is None:
                raise bench_run.BenchFailure('bulk token not found')

        db = bench_stats.timed_loop(n, select, args.warmup)
        results['validate_at_%d' % target] = {
            'live_tokens': target, 'bulk_insert_s': round(load_s, 2),
            'db_mib': _db_mib(engine, stack),
            'validate_wsgi': api, 'select': db}
    return live


def _purge(stack, engine, args, live, results):
    ctxt = ca_context.get_admin_context()
    count = args.purge_tokens
    batch = args.purge_batch or CONF.consoleauth.purge_batch_size
    now = timeutils.utcnow_ts()
    _bulk_tokens(engine, 10 ** 8, count, str(uuid.uuid4()), now - 60)
    _analyze(engine)
    try:
        deleted, figures = _measured(
            engine, lambda: token_store.purge_expired(
                stack.database, ctxt, now, batch))
    except sa.exc.OperationalError as exc:
        # Recorded, not fatal: the other parts still have figures to give.
        results['purge'] = {'error': str(exc.orig), 'expired_rows': count}
        return
    figures.update({'expired_rows': count, 'live_rows_kept': live,
                    'batch_size': batch, 'deleted': deleted})
    if deleted != count:
        raise bench_run.BenchFailure('purge deleted %d of %d' % (deleted,
                                                                 count))
    results['purge'] = figures


def _sync(stack, engine, args, results):
    ctxt = ca_context.get_admin_context()
    count = args.sync_servers
    domains = [virt_driver.DomainInfo(
        uuid=str(uuid.uuid4()), name='s-%d' % i, power_state=1,
        project_id=bench_stack.PROJECT, user_id='u') for i in range(count)]
    sync = stack.database.instance_sync_host
    first, figures = _measured(engine, lambda: sync(
        ctxt, SYNC_HOST, domains))
    figures['added'] = len(first.added)
    results['sync_%d_first' % count] = figures
    same, figures = _measured(engine, lambda: sync(
        ctxt, SYNC_HOST, domains))
    figures['changed'] = len(same.changed)
    results['sync_%d_unchanged' % count] = figures
    # A tenth powered off, a tenth gone.
    tenth = max(1, count // 10)
    changed = [virt_driver.DomainInfo(
        uuid=d.uuid, name=d.name, power_state=4, project_id=d.project_id,
        user_id=d.user_id) for d in domains[:tenth]]
    rest = changed + domains[tenth:count - tenth]
    res, figures = _measured(engine, lambda: sync(
        ctxt, SYNC_HOST, rest))
    figures.update({'changed': len(res.changed), 'removed': len(res.removed)})
    results['sync_%d_10pct_changed_10pct_removed' % count] = figures


def _one_backend(backend, args, results):
    workdir = tempfile.mkdtemp(prefix='console-bench-scale.',
                               dir=args.db_dir)
    database = None
    if backend == 'postgresql':
        from console_api.tests.functional import service_env
        database = service_env.ProvisionedDatabase(
            'postgresql', service_env.service_url('postgresql'))
        database.create()
        url = database.url.render_as_string(hide_password=False)
    else:
        url = None
    stack = None
    try:
        stack = bench_stack.Stack(workdir, transport=args.transport,
                                  db_url=url).start()
        engine = stack.database.get_engine()
        counts = sorted(int(x) for x in args.scale_tokens.split(',') if x)
        live = _validate_at(stack, engine, counts, args, results)
        # The purge and the sync are measured on the database alone: the
        # agent's heartbeat, a second writer, would make a long sqlite
        # purge fail with "database is locked" (see performance.rst).
        stack.agent.stop()
        stack.agent = None
        _purge(stack, engine, args, live, results)
        _sync(stack, engine, args, results)
        facts = {'dialect': engine.dialect.name,
                 'pool': type(engine.pool).__name__}
        if backend == 'sqlite':
            facts['fs'] = bench_stack.filesystem_of(workdir)
        else:
            with engine.connect() as conn:
                facts['server_version'] = conn.execute(
                    sa.text('SHOW server_version')).scalar()
        return facts
    finally:
        if stack is not None:
            stack.stop()
        if database is not None:
            database.drop()
        shutil.rmtree(workdir, ignore_errors=True)


def run(args):
    """Run the scale part once per backend; return its result dict."""
    backends = [x.strip() for x in args.scale_backends.split(',')
                if x.strip()]
    results, facts = {}, {}
    for backend in backends:
        per = {}
        facts[backend] = _one_backend(backend, args, per)
        for name, value in per.items():
            results['%s/%s' % (backend, name)] = value
    return {'ok': True, 'db': facts, 'results': results,
            'summary': _summary(results), 'targets': targets(results)}


def targets(results):
    """The issue-7 scale targets (reported, never asserted)."""
    res = {}
    for backend in ('sqlite', 'postgresql'):
        low = results.get('%s/validate_at_1000' % backend)
        high = results.get('%s/validate_at_1000000' % backend)
        if low and high:
            ratio = high['validate_wsgi']['p50_ms'] / \
                low['validate_wsgi']['p50_ms']
            res['%s validate p50 at 1M <= 1.2x at 1k (%.2fx)' % (
                backend, ratio)] = ratio <= 1.2
        purge = results.get('%s/purge' % backend)
        if purge and 'error' in purge:
            res['%s purge completes' % backend] = False
        elif purge and purge['expired_rows'] >= 1000000:
            res['%s purge 1M: peak RSS < 200 MiB (%.0f MiB)' % (
                backend, purge['rss_peak_mib'])] = \
                purge['rss_peak_mib'] < 200
            res['%s purge 1M: no transaction over 1 s (%.0f ms)' % (
                backend, purge['longest_transaction_ms'])] = \
                purge['longest_transaction_ms'] <= 1000
    return res


def _summary(results):
    out = {}
    for name, res in sorted(results.items()):
        if 'error' in res:
            out[name] = 'FAILED: %s' % res['error']
        elif name.split('/', 1)[-1].startswith('validate_at_'):
            out[name] = 'validate wsgi p50 %.3f ms p99 %.3f ms; select p50 ' \
                '%.3f ms; db %.0f MiB; load %.1f s' % (
                    res['validate_wsgi']['p50_ms'],
                    res['validate_wsgi']['p99_ms'], res['select']['p50_ms'],
                    res['db_mib'], res['bulk_insert_s'])
        else:
            out[name] = '%.2f s, longest tx %.0f ms (%d tx), RSS peak ' \
                '%.1f MiB (+%.1f)' % (
                    res['wall_s'], res['longest_transaction_ms'],
                    res['transactions'], res['rss_peak_mib'],
                    res['rss_growth_mib'])
    return out
