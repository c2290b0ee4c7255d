"""Timing loops, percentiles and machine-load probes for the benchmarks."""

import os
import statistics
import subprocess
import time


def pct(sorted_vals, q):
    """Percentile ``q`` (0-100) by linear interpolation (numpy's default).

    Same method as the Nova anchor, so the two sets of figures compare.
    """
    n = len(sorted_vals)
    if n == 0:
        return float('nan')
    pos = (n - 1) * q / 100.0
    lo = int(pos)
    hi = min(lo + 1, n - 1)
    return sorted_vals[lo] + (sorted_vals[hi] - sorted_vals[lo]) * (pos - lo)


def summarize(lat_ns, wall_s, cpu_s):
    """Return the figures of one timed loop as a JSON-able dict."""
    ms = sorted(x / 1e6 for x in lat_ns)
    n = len(ms)
    return {
        'n': n,
        'wall_s': round(wall_s, 4),
        'ops_per_s': round(n / wall_s, 2) if wall_s else None,
        'cpu_ms_per_op': round(1000.0 * cpu_s / n, 4) if n else None,
        'mean_ms': round(sum(ms) / n, 4),
        'p50_ms': round(pct(ms, 50), 4),
        'p95_ms': round(pct(ms, 95), 4),
        'p99_ms': round(pct(ms, 99), 4),
        'min_ms': round(ms[0], 4),
        'max_ms': round(ms[-1], 4),
    }


def timed_loop(n, fn, warmup=0):
    """Call ``fn(i)`` ``warmup`` times untimed, then ``n`` times timed.

    Calls are sequential; latency is ``perf_counter_ns`` around each call,
    ops/s is ``n`` over the wall time of the whole timed loop, CPU is this
    process's (all threads) over the loop.
    """
    for i in range(warmup):
        fn(i)
    lat = []
    clock = time.perf_counter_ns
    cpu0 = time.process_time()
    start = clock()
    for i in range(warmup, warmup + n):
        before = clock()
        fn(i)
        lat.append(clock() - before)
    wall = (clock() - start) / 1e9
    return summarize(lat, wall, time.process_time() - cpu0)


def median_of_runs(runs):
    """Merge per-run summaries of one op: the median of each figure.

    :param runs: list of dicts from ``summarize``.
    :returns: dict of medians plus ``runs`` and ``ops_per_s_min``/``_max``
        (the spread, to judge noise).
    """
    out = {'runs': len(runs)}
    for key in ('ops_per_s', 'cpu_ms_per_op', 'mean_ms', 'p50_ms', 'p95_ms',
                'p99_ms', 'min_ms', 'max_ms'):
        vals = [r[key] for r in runs if r.get(key) is not None]
        if vals:
            out[key] = round(statistics.median(vals), 4)
    ops = [r['ops_per_s'] for r in runs if r.get('ops_per_s')]
    if ops:
        out['ops_per_s_min'] = min(ops)
        out['ops_per_s_max'] = max(ops)
    out['n'] = runs[0]['n'] if runs else 0
    return out


def cpu_snapshot():
    """(machine busy CPU seconds, this process's CPU seconds) right now."""
    busy = None
    try:
        with open('/proc/stat') as stat:
            vals = [int(x) for x in stat.readline().split()[1:]]
        # user nice system idle iowait irq softirq steal: idle and iowait
        # are not busy.
        busy = (sum(vals[:8]) - vals[3] - vals[4]) / os.sysconf('SC_CLK_TCK')
    except (OSError, ValueError, IndexError):
        pass
    times = os.times()
    return busy, times.user + times.system + times.children_user + \
        times.children_system


def other_cores(snap0, snap1, wall):
    """Cores other processes used between two ``cpu_snapshot()`` calls."""
    if snap0[0] is None or snap1[0] is None or wall <= 0:
        return None
    others = (snap1[0] - snap0[0]) - (snap1[1] - snap0[1])
    return round(max(0.0, others) / wall, 3)


def uptime():
    """The ``uptime`` line (load averages), for the record."""
    try:
        return subprocess.run(['uptime'], capture_output=True, text=True,
                              check=False).stdout.strip()
    except OSError:
        with open('/proc/loadavg') as loadavg:
            return 'loadavg ' + loadavg.read().strip()


def wait_quiet(max_cores, max_wait, window=3.0):
    """Wait until other processes use fewer than ``max_cores`` cores.

    Samples ``/proc/stat`` over ``window`` seconds at a time, for at most
    ``max_wait`` seconds.

    :returns: (waited seconds, cores others used in the last window).
    """
    start = time.monotonic()
    while True:
        snap0 = cpu_snapshot()
        time.sleep(window)
        cores = other_cores(snap0, cpu_snapshot(), window)
        waited = time.monotonic() - start
        if cores is None or cores < max_cores or waited >= max_wait:
            return round(waited, 1), cores
