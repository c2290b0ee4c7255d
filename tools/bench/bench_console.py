#!/usr/bin/env python3
"""Benchmark console-api's console create and validate, with floors and Nova.

One command, from the repository root::

    .venv/bin/python tools/bench/bench_console.py            # 3 runs
    .venv/bin/python tools/bench/bench_console.py --with-nova --runs 3
    .venv/bin/python tools/bench/bench_console.py --quick    # N=300, smoke
    .venv/bin/python tools/bench/bench_console.py --scale    # + scale part
    .venv/bin/python tools/bench/bench_console.py --real-stack --proxy

Measures, in one process per run (API paste app + compute agent over
``inproc://`` + temporary sqlite, see ``bench_stack.py``):

* create   ``POST /v2.1/servers/{id}/remote-consoles`` vnc/novnc, mv 2.6
* validate ``GET /v2.1/os-console-auth-tokens/{token}`` admin, mv 2.31

each on two paths: ``wsgi`` (WebOb request straight into the paste app) and
``http`` (cheroot on 127.0.0.1, one keep-alive ``http.client`` connection),
plus the floors the ops cannot beat, taken in the same run: a bare WebOb app
on the same path, a no-op RPC call over the same transport, one token
INSERT and one token SELECT through ``console_api.db.api``. Every figure is
the median over ``--runs`` fresh processes. ``--with-nova`` also runs the
Nova 34.0.0 anchor (``../shared/anchors/nova-bench`` from the repository
root) interleaved with ours; without it the ratios use the figures
recorded in its RESULTS.md.
Optional parts, each in a process of its own: ``--scale`` (many tokens,
purge, inventory sync, on sqlite and/or PostgreSQL; ``bench_scale.py``),
``--real-stack`` (gunicorn workers, an agent process, RabbitMQ and
PostgreSQL under 1-32 concurrent clients; ``bench_real.py``) and
``--proxy`` (``proxy_bench.py``'s figures). Targets are reported, never
asserted.

Prints a table; writes everything to ``tools/bench/results/<UTC>.json``.
See ``tools/bench/README.rst``.
"""

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import bench_stats  # noqa: E402

# The anchor lives beside the repository (``../shared`` from its root);
# CONSOLE_API_NOVA_ANCHOR points elsewhere.
ANCHOR_DIR = os.environ.get('CONSOLE_API_NOVA_ANCHOR', os.path.normpath(
    os.path.join(HERE, '..', '..', '..', 'shared', 'anchors', 'nova-bench')))
# Nova 34.0.0, config "eventlet" (its fastest), medians of 3 runs, from
# ANCHOR_DIR/RESULTS.md (recorded 2026-11-27 on a 2 vCPU Intel Xeon VM).
# Nova's "testclient" path (requests -> wsgi-intercept) is the counterpart
# of our "http" path: both encode and parse HTTP on the client side.
NOVA_RECORDED = {
    'create/wsgi': {'ops_per_s': 72.2, 'p50_ms': 13.33, 'p95_ms': 14.82,
                    'p99_ms': 15.62},
    'validate/wsgi': {'ops_per_s': 240.3, 'p50_ms': 4.13, 'p95_ms': 4.59,
                      'p99_ms': 4.80},
    'create/http': {'ops_per_s': 72.0, 'p50_ms': 13.80, 'p95_ms': 14.88,
                    'p99_ms': 15.97},
    'validate/http': {'ops_per_s': 185.9, 'p50_ms': 5.12, 'p95_ms': 5.71,
                      'p99_ms': 6.06},
}
NOVA_KEYS = {'create/wsgi': 'A_create/wsgi',
             'validate/wsgi': 'B_validate/wsgi',
             'create/http': 'A_create/testclient',
             'validate/http': 'B_validate/testclient'}
TARGET_SPEEDUP = 5.0
TARGET_FLOOR_RATIO = 1.5


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--runs', type=int, default=3,
                   help='fresh processes per benchmark (default 3; 0 with '
                        '--scale runs only the scale part)')
    p.add_argument('--n-create', type=int, default=500)
    p.add_argument('--n-validate', type=int, default=1000)
    p.add_argument('--n-floor', type=int, default=1000,
                   help='timed calls of each floor op')
    p.add_argument('--warmup', type=int, default=50)
    p.add_argument('--quick', action='store_true',
                   help='N=300 for every op, 30 warm-up (development)')
    p.add_argument('--paths', default='wsgi,http',
                   help='comma list of: wsgi, http')
    p.add_argument('--transport', choices=['inproc', 'fake'],
                   default='inproc',
                   help="console-api's in-process transport: inproc "
                        '(default; console_api.inproc_transport, listeners '
                        'woken on delivery, as the all-in-one service and '
                        'the functional tests run) or fake (stock '
                        'oslo.messaging fake driver, 50 ms polling)')
    p.add_argument('--nova-rpc-wakeup', choices=['event', 'poll'],
                   default='event',
                   help="the Nova anchor's fake:// listener: event "
                        "(default, the anchor's own patch, its fastest "
                        'config and the counterpart of inproc) or poll '
                        '(stock)')
    p.add_argument('--log', choices=['info', 'off'], default='info',
                   help='info (default): INFO logs to a file, as a service '
                        'would; off: no log handler')
    p.add_argument('--db-dir', default=None,
                   help='where the temporary sqlite file goes (default '
                        '/dev/shm when present: tmpfs, fsync is free; pass '
                        'a disk directory to include the fsync per commit)')
    p.add_argument('--switch-interval', type=float, default=None,
                   help="the runs' sys.setswitchinterval() in seconds "
                        "(Python's default 0.005); for experiments")
    p.add_argument('--servers', type=int, default=1,
                   help='servers in the generated fake inventory')
    p.add_argument('--with-nova', action='store_true',
                   help='also run the Nova anchor in the same sitting')
    p.add_argument('--nova-dir', default=os.environ.get(
        'NOVABENCH_DIR', '/tmp/novabench'),
        help='work dir whose venv/ setup_venv.sh made')
    p.add_argument('--nova-config', default='eventlet',
                   choices=['eventlet', 'threading'],
                   help="anchor config to run (default eventlet: Nova's "
                        "fastest)")
    p.add_argument('--profile-dir', default=None,
                   help='after timing (first run only), profile 200 creates '
                        'and validates (wsgi path, yappi, all threads) and '
                        'write the top lists here')
    p.add_argument('--profile-n', type=int, default=200)
    p.add_argument('--scale', action='store_true',
                   help='also run the scale part (bench_scale.py)')
    p.add_argument('--scale-tokens', default='1000,100000',
                   help='live-token counts for validate at scale')
    p.add_argument('--purge-tokens', type=int, default=100000)
    p.add_argument('--purge-batch', type=int, default=None,
                   help='default: [consoleauth] purge_batch_size')
    p.add_argument('--sync-servers', type=int, default=5000)
    p.add_argument('--scale-backends', default='sqlite',
                   help='comma list of: sqlite, postgresql (fresh database '
                        'under the openstack_citest account)')
    p.add_argument('--real-stack', action='store_true',
                   help='also run the real-stack part (bench_real.py): '
                        'gunicorn + agent process + RabbitMQ + PostgreSQL')
    p.add_argument('--real-workers', default='1,2',
                   help='API worker counts for --real-stack')
    p.add_argument('--real-clients', default='1,8,32',
                   help='concurrent client counts for --real-stack')
    p.add_argument('--real-creates', type=int, default=400,
                   help='timed creates per (workers, clients) cell, split '
                        'over the clients')
    p.add_argument('--real-validates', type=int, default=800,
                   help='timed validates per cell, split over the clients')
    p.add_argument('--real-warmup', type=int, default=64)
    p.add_argument('--real-max-s', type=float, default=60,
                   help='longest any one phase of a cell may run')
    p.add_argument('--proxy', action='store_true',
                   help="also run proxy_bench.py and add its figures")
    p.add_argument('--proxy-size-mib', type=int, default=64)
    p.add_argument('--proxy-sessions', type=int, default=500)
    p.add_argument('--quiet-cores', type=float, default=None,
                   help='before each run, wait until other processes use '
                        'fewer than this many cores (e.g. 0.25)')
    p.add_argument('--quiet-max', type=float, default=120,
                   help='longest wait for --quiet-cores, seconds')
    p.add_argument('--results-dir', default=os.path.join(HERE, 'results'))
    p.add_argument('--child', choices=['run', 'scale', 'real'],
                   help=argparse.SUPPRESS)
    p.add_argument('--child-out', help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.quick:
        args.n_create = args.n_validate = args.n_floor = 300
        args.warmup = 30
    args.paths = [x.strip() for x in args.paths.split(',') if x.strip()]
    if args.db_dir is None:
        args.db_dir = '/dev/shm' if os.path.isdir('/dev/shm') else None
    return args


def _child(args):
    if args.child == 'run':
        import bench_run
        result = bench_run.run(args)
    elif args.child == 'real':
        import bench_real
        result = bench_real.run(args)
    else:
        import bench_scale
        result = bench_scale.run(args)
    with open(args.child_out, 'w') as out:
        json.dump(result, out, indent=1, sort_keys=True)
    return 0 if result.get('ok') else 1


def _spawn(kind, argv, tmpdir, index, profile=False):
    out = os.path.join(tmpdir, '%s-%d.json' % (kind, index))
    cmd = [sys.executable, os.path.abspath(__file__)] + argv + [
        '--child', kind, '--child-out', out]
    if not profile:
        cmd = _drop_option(cmd, '--profile-dir')
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0 or not os.path.exists(out):
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-6000:])
        raise SystemExit('%s run %d failed (rc %s)' % (kind, index,
                                                       proc.returncode))
    with open(out) as res:
        return json.load(res)


def _drop_option(cmd, name):
    out, skip = [], False
    for item in cmd:
        if skip:
            skip = False
            continue
        if item == name:
            skip = True
            continue
        if item.startswith(name + '='):
            continue
        out.append(item)
    return out


def _run_nova(args, tmpdir, index):
    py = os.path.join(args.nova_dir, 'venv', 'bin', 'python')
    out = os.path.join(tmpdir, 'nova-%d.json' % index)
    work = tempfile.mkdtemp(prefix='novabench.', dir=args.db_dir)
    log_mode_args = {
        'eventlet': ['--backend', 'eventlet'],
        'threading': ['--backend', 'threading'],
    }[args.nova_config]
    cmd = [py, os.path.join(ANCHOR_DIR, 'bench_nova_console.py')] + \
        log_mode_args + [
            '--log-mode', 'info', '--rpc-wakeup', args.nova_rpc_wakeup,
            '--warmup', str(args.warmup),
            '--n-create', str(args.n_create),
            '--n-validate', str(args.n_validate),
            # C/C2/D/E are not compared here: keep them short.
            '--n-baseline', '50', '--n-direct', '50',
            '--transports', 'testclient,wsgi', '--label', args.nova_config,
            '--out', out]
    env = dict(os.environ, TMPDIR=work)
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False,
                          cwd=args.nova_dir, env=env)
    shutil.rmtree(work, ignore_errors=True)
    if proc.returncode != 0 or not os.path.exists(out):
        sys.stderr.write(proc.stderr[-6000:])
        raise SystemExit('nova run %d failed (rc %s)' % (index,
                                                         proc.returncode))
    with open(out) as res:
        data = json.load(res)
    return {'ops': {ours: data['ops'][theirs]
                    for ours, theirs in NOVA_KEYS.items()},
            'other_processes_cores': data.get(
                'other_processes_cpu_cores_during_run'),
            'versions': data.get('versions'), 'ok': data.get('ok')}


def _part(kind, argv, tmpdir):
    """One optional part; a failure is recorded, the report still written."""
    try:
        return _spawn(kind, argv, tmpdir, 0)
    except SystemExit as exc:
        return {'ok': False, 'error': str(exc)}


def _run_proxy(args, tmpdir):
    """proxy_bench.py in a process of its own; its figures as a dict."""
    out = os.path.join(tmpdir, 'proxy.json')
    cmd = [sys.executable, os.path.join(HERE, 'proxy_bench.py'),
           '--size-mib', str(args.proxy_size_mib),
           '--sessions', str(args.proxy_sessions), '--json-out', out]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0 or not os.path.exists(out):
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-6000:])
        raise SystemExit('proxy part failed (rc %s)' % proc.returncode)
    with open(out) as res:
        data = json.load(res)
    data['stdout'] = proc.stdout
    return data


def _medians(runs):
    names = sorted({name for run in runs for name in run['ops']})
    return {name: bench_stats.median_of_runs(
        [run['ops'][name] for run in runs if name in run['ops']])
        for name in names}


def _machine():
    model = None
    try:
        with open('/proc/cpuinfo') as info:
            for line in info:
                if line.startswith('model name'):
                    model = line.split(':', 1)[1].strip()
                    break
    except OSError:
        pass
    import platform
    import sqlite3
    return {'nproc': os.cpu_count(), 'cpu_model': model,
            'python': sys.version.split()[0],
            'platform': platform.platform(),
            'sqlite': sqlite3.sqlite_version}


def derive(ours, nova, paths):
    """Floor ratios and Nova ratios from the median tables."""
    out = {}
    for path in paths:
        http = ours.get('floor_http/' + path, {}).get('p50_ms')
        rpc = ours.get('floor_rpc', {}).get('p50_ms')
        ins = ours.get('floor_db_insert', {}).get('p50_ms')
        sel = ours.get('floor_db_select', {}).get('p50_ms')
        create = ours.get('create/' + path, {}).get('p50_ms')
        validate = ours.get('validate/' + path, {}).get('p50_ms')
        if None in (http, rpc, ins, sel, create, validate):
            continue
        entry = {
            'create_floor_ms': round(http + rpc + ins, 4),
            'create_p50_over_floor': round(create / (http + rpc + ins), 2),
            'validate_floor_ms': round(http + sel, 4),
            'validate_p50_over_floor': round(validate / (http + sel), 2),
        }
        for op in ('create', 'validate'):
            key = '%s/%s' % (op, path)
            if key in nova and key in ours:
                entry[op + '_ops_vs_nova'] = round(
                    ours[key]['ops_per_s'] / nova[key]['ops_per_s'], 2)
                entry[op + '_p50_nova_over_ours'] = round(
                    nova[key]['p50_ms'] / ours[key]['p50_ms'], 2)
        out[path] = entry
    return out


def render(report):
    """The stdout table, as text."""
    ours, nova = report['ours'], report['nova']['ops']
    if not ours:
        return _render_scale(report)
    lines = ['', 'console-api bench: medians of %d runs (%s); Nova: %s' % (
        report['runs'], report['stamp'], report['nova']['source']), '',
        '| op | path | N | ops/s (min-max) | p50 ms | p95 ms | p99 ms | '
        'CPU ms/op | Nova ops/s | Nova p50 ms |',
        '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|']
    for name in sorted(ours, key=_order):
        row = ours[name]
        op, _sep, path = name.partition('/')
        nv = nova.get(name, {})
        lines.append('| %s | %s | %d | %.1f (%.0f-%.0f) | %.3f | %.3f | %.3f '
                     '| %s | %s | %s |' % (
                         op, path or '-', row['n'], row['ops_per_s'],
                         row.get('ops_per_s_min', 0),
                         row.get('ops_per_s_max', 0), row['p50_ms'],
                         row['p95_ms'], row['p99_ms'],
                         row.get('cpu_ms_per_op', '-'),
                         nv.get('ops_per_s', '-'), nv.get('p50_ms', '-')))
    lines += ['', '| path | create p50 / (HTTP+RPC+INSERT floors) | '
              'validate p50 / (HTTP+SELECT floors) | create ops/s vs Nova | '
              'validate ops/s vs Nova |', '|---|---|---|---|---|']
    for path, d in report['derived'].items():
        lines.append('| %s | %.2fx (floor %.3f ms) | %.2fx (floor %.3f ms) '
                     '| %sx | %sx |' % (
                         path, d['create_p50_over_floor'],
                         d['create_floor_ms'], d['validate_p50_over_floor'],
                         d['validate_floor_ms'],
                         d.get('create_ops_vs_nova', '-'),
                         d.get('validate_ops_vs_nova', '-')))
    lines += ['', 'targets (wsgi path): ' + ', '.join(
        '%s %s' % (k, 'MET' if v else 'NOT MET')
        for k, v in report['targets'].items())]
    if report['db']:
        lines.append('db: %s; other processes used %s cores during our '
                     'runs' % (_db_line(report['db']),
                               report['other_processes_cores']))
    return '\n'.join(lines) + _render_scale(report)


def _render_scale(report):
    lines = ['']
    for part in ('scale', 'real_stack', 'proxy'):
        if report.get(part) and not report[part].get('ok', True):
            lines.append('%s part FAILED: %s (see stderr)' % (
                part, report[part]['error']))
    if report.get('scale', {}).get('ok'):
        scale = report['scale']
        lines.append('scale (%s):' % '; '.join(
            '%s %s' % (name, ', '.join('%s=%s' % kv for kv in
                                       sorted(facts.items())))
            for name, facts in scale['db'].items()))
        for name, text in scale['summary'].items():
            lines.append('  %-44s %s' % (name, text))
        lines.append(_targets_line('scale targets', scale.get('targets')))
    if report.get('real_stack', {}).get('ok'):
        real = report['real_stack']
        lines += ['', 'real stack (gunicorn workers, 1 agent process, '
                  'RabbitMQ, PostgreSQL; load generator in this machine):',
                  '| workers | clients | op | ops/s | p50 ms | p99 ms | '
                  'errors | cores busy outside the load generator |',
                  '|---:|---:|---|---:|---:|---:|---:|---:|']
        cells = sorted(
            (tuple(int(part.split('=')[1]) for part in key.split('/')), res)
            for key, res in real['results'].items())
        for (workers, clients), res in cells:
            for op in ('create', 'validate'):
                fig = res[op]
                lines.append('| %s | %s | %s | %.1f | %.1f | %.1f | %d | '
                             '%s |' % (
                                 workers, clients, op,
                                 fig.get('ops_per_s') or 0,
                                 fig.get('p50_ms', 0), fig.get('p99_ms', 0),
                                 fig['errors'],
                                 res['cores_used_outside_load_generator']))
        lines.append(_targets_line('real-stack targets', real['targets']))
    if report.get('proxy', {}).get('figures'):
        proxy = report['proxy']
        lines += ['', 'proxy (%s MiB per transfer, %s idle sessions):' % (
            proxy['size_mib'], proxy['sessions'])]
        for name, value in sorted(proxy['figures'].items()):
            lines.append('  %-52s %s' % (name, value))
    lines.append('load: uptime at start %s, at end %s' % (
        report.get('uptime_start'), report.get('uptime_end')))
    lines.append('results: %s' % report['file'])
    return '\n'.join(lines)


def _targets_line(title, found):
    if not found:
        return '%s: none measurable with these sizes' % title
    return '%s (reported, not asserted): %s' % (title, '; '.join(
        '%s %s' % (k, 'MET' if v else 'NOT MET') for k, v in found.items()))


def _db_line(db):
    return '%s, pool %s, journal %s, synchronous=%s, on %s (%s)' % (
        db.get('url'), db.get('pool'), db.get('journal_mode'),
        db.get('synchronous'), db['filesystem'].get('mount'),
        db['filesystem'].get('type'))


def _order(name):
    order = ['create', 'validate', 'floor_http', 'floor_rpc',
             'floor_db_insert', 'floor_db_select', 'ref_db_insert_pooled',
             'ref_db_select_pooled']
    op, _sep, path = name.partition('/')
    return (order.index(op) if op in order else 99, path)


def targets(ours, nova, derived):
    """Which of the issue-7 targets the wsgi-path medians meet."""
    res = {}
    for op in ('create', 'validate'):
        key = op + '/wsgi'
        if key in ours and key in nova:
            res['%s >= %gx Nova ops/s' % (op, TARGET_SPEEDUP)] = (
                ours[key]['ops_per_s'] >=
                TARGET_SPEEDUP * nova[key]['ops_per_s'])
    d = derived.get('wsgi')
    if d:
        res['create p50 <= %gx floors' % TARGET_FLOOR_RATIO] = (
            d['create_p50_over_floor'] <= TARGET_FLOOR_RATIO)
        res['validate p50 <= %gx floors' % TARGET_FLOOR_RATIO] = (
            d['validate_p50_over_floor'] <= TARGET_FLOOR_RATIO)
    return res


def _settle(args, waits):
    if args.quiet_cores is None:
        return
    waited, cores = bench_stats.wait_quiet(args.quiet_cores, args.quiet_max)
    waits.append({'waited_s': waited, 'other_cores_before': cores})
    sys.stderr.write('  waited %.0f s; others used %s cores\n' % (
        waited, cores))


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if args.child:
        return _child(args)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime(
        '%Y%m%dT%H%M%SZ')
    uptime_start = bench_stats.uptime()
    tmpdir = tempfile.mkdtemp(prefix='console-bench-results.')
    runs, nova_runs, waits = [], [], []
    for index in range(args.runs):
        _settle(args, waits)
        sys.stderr.write('run %d/%d: console-api...\n' % (index + 1,
                                                          args.runs))
        runs.append(_spawn('run', argv, tmpdir, index,
                           profile=(index == 0)))
        if args.with_nova:
            _settle(args, waits)
            sys.stderr.write('run %d/%d: nova anchor...\n' % (index + 1,
                                                              args.runs))
            nova_runs.append(_run_nova(args, tmpdir, index))
    ours = _medians(runs)
    if nova_runs:
        nova = {'source': 'measured in this sitting (%s config, %d runs)' % (
            args.nova_config, len(nova_runs)), 'ops': _medians(nova_runs),
            'runs': nova_runs}
    else:
        nova = {'source': 'recorded figures from %s/RESULTS.md (eventlet '
                          'config, 2026-11-27, another CPU model): not '
                          're-measured in this sitting' % ANCHOR_DIR,
                'ops': NOVA_RECORDED}
    derived = derive(ours, nova['ops'], args.paths)
    report = {
        'stamp': stamp, 'runs': args.runs, 'args': vars(args),
        'uptime_start': uptime_start,
        'machine': _machine(), 'ours': ours, 'nova': nova,
        'derived': derived,
        'targets': targets(ours, nova['ops'], derived),
        'db': runs[0]['db'] if runs else None,
        'other_processes_cores': [r.get('other_processes_cores')
                                  for r in runs],
        'uptime': [(r.get('uptime_start'), r.get('uptime_end'))
                   for r in runs],
        'profiles': runs[0].get('profiles') if runs else None,
        'quiet_waits': waits,
        'per_run': runs,
    }
    if args.scale:
        _settle(args, waits)
        sys.stderr.write('scale part...\n')
        report['scale'] = _part('scale', argv, tmpdir)
    if args.real_stack:
        _settle(args, waits)
        sys.stderr.write('real-stack part...\n')
        report['real_stack'] = _part('real', argv, tmpdir)
    if args.proxy:
        _settle(args, waits)
        sys.stderr.write('proxy part...\n')
        try:
            report['proxy'] = _run_proxy(args, tmpdir)
        except SystemExit as exc:
            report['proxy'] = {'ok': False, 'error': str(exc)}
    report['uptime_end'] = bench_stats.uptime()
    os.makedirs(args.results_dir, exist_ok=True)
    report['file'] = os.path.join(args.results_dir, stamp + '.json')
    with open(report['file'], 'w') as out:
        json.dump(report, out, indent=1, sort_keys=True)
    print(render(report))
    return 0


if __name__ == '__main__':
    sys.exit(main())
