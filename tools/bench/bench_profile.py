"""Where the time of an op goes: yappi over every thread of the process.

cProfile sees only the calling thread, but a create spends much of its time
in the agent's RPC server thread, so yappi (all threads, CPU clock) is used.
Profiles are taken after the timed loops, never during them.
"""

import io
import os

import yappi


def profile_ops(outdir, ops, n=200):
    """Run each ``(name, fn)`` ``n`` times under yappi; write the top lists.

    :returns: ``{name: {'file': path, 'top_own': [...]}}`` with the ten
        functions of most own CPU time (name, file:line, ms per op).
    """
    os.makedirs(outdir, exist_ok=True)
    summary = {}
    for name, fn in ops:
        yappi.clear_stats()
        yappi.set_clock_type('cpu')
        yappi.start(builtins=True, profile_threads=True)
        for i in range(n):
            fn(i)
        yappi.stop()
        stats = yappi.get_func_stats()
        path = os.path.join(outdir, name + '.txt')
        with open(path, 'w') as out:
            out.write(_report(stats, n))
        top = sorted(stats, key=lambda s: s.tsub, reverse=True)[:10]
        summary[name] = {
            'file': path,
            'top_own': [{'func': s.name,
                         'where': '%s:%s' % (_short(s.module), s.lineno),
                         'own_ms_per_op': round(1000.0 * s.tsub / n, 4)}
                        for s in top],
        }
    return summary


def _short(module):
    repo = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__)))) + '/'
    for marker in ('site-packages/', repo, 'lib/python3'):
        if marker in module:
            return module.split(marker, 1)[1]
    return module


def _report(stats, n):
    buf = io.StringIO()
    buf.write('# CPU ms per op over %d ops, all threads\n' % n)
    for title, key in (('cumulative (ttot)', 'ttot'), ('own (tsub)', 'tsub')):
        buf.write('\n## top by %s\n%10s %10s %8s  function\n' % (
            title, 'ttot ms', 'tsub ms', 'calls/op'))
        for s in sorted(stats, key=lambda s: getattr(s, key),
                        reverse=True)[:45]:
            buf.write('%10.4f %10.4f %8.2f  %s  %s:%s\n' % (
                1000.0 * s.ttot / n, 1000.0 * s.tsub / n, s.ncall / n,
                s.name, _short(s.module), s.lineno))
    buf.write('\n## threads\n')
    for t in yappi.get_thread_stats():
        buf.write('%-30s %10.4f ms/op\n' % (t.name, 1000.0 * t.ttot / n))
    return buf.getvalue()
