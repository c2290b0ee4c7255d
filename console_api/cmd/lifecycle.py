"""Start, reload and stop a service command on signals.

Signal handlers only queue the signal: the main thread, which serves
nothing, stops the service, so a stop never waits for its own thread.
"""

import queue
import signal
import sys

from oslo_log import log as logging

from console_api.cmd import common

LOG = logging.getLogger(__name__)
_STOP = (signal.SIGTERM, signal.SIGINT)


def main(prog, build, argv=None, default_overrides=None):
    """Run a service command; return its exit code (see ``common.run``).

    :param build: called once options are parsed and logging is set up;
        returns the service's ``start`` and ``stop`` and optionally its
        ``reload`` (see ``serve``).
    :param argv: the arguments; default the command line's.
    """
    def body():
        common.parse_config(sys.argv[1:] if argv is None else argv,
                            default_overrides=default_overrides)
        common.setup_logging()
        return serve(common.CONF, prog, *build())
    return common.run(prog, body)


def serve(conf, prog, start, stop, reload_service=None):
    """Run a service until SIGTERM or SIGINT; reload it on SIGHUP.

    :param start: returns once the service serves.
    :param stop: takes the grace period in seconds (``None``: no limit);
        stops taking new work, lets work in flight end within it, cuts the
        rest and returns. Also called, with 0, after a failed start.
    :param reload_service: called on SIGHUP after the configuration files
        were re-read (the API re-reads its policy file).
    :returns: 0 after a clean stop.
    """
    received = queue.SimpleQueue()
    starting = True

    def on_signal(signum, frame):
        if starting and signum in _STOP:
            raise KeyboardInterrupt()  # a start may retry for minutes
        received.put(signum)

    handlers = {signum: signal.signal(signum, on_signal)
                for signum in _STOP + (signal.SIGHUP,)}
    grace = 0
    try:
        start()
        starting = False
        LOG.info('%s ready; SIGTERM or SIGINT stops it, SIGHUP reloads its '
                 'configuration files', prog)
        signum = None
        while signum not in _STOP:
            try:
                # Timed: a handler only runs while this thread is awake.
                signum = received.get(timeout=1.0)
            except queue.Empty:
                continue
            if signum == signal.SIGHUP:
                reload(conf, reload_service)
        LOG.info('%s: %s received, stopping', prog,
                 signal.Signals(signum).name)
        grace = conf.graceful_shutdown_timeout or None
    finally:
        # A second SIGTERM or SIGINT ends a stop that takes too long.
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
        stop(grace)
    LOG.info('%s stopped', prog)
    return 0


def reload(conf, reload_service=None):
    """Re-read the configuration files, then the service's own (SIGHUP).

    Mutable options take their new values (``debug`` the log level, by
    oslo.log's mutate hook); connections are left alone.
    """
    try:
        conf.mutate_config_files()
        if reload_service is not None:
            reload_service()
    except Exception:
        LOG.exception('Reloading the configuration failed; running on')
        return
    LOG.info('Configuration reloaded')
    conf.log_opt_values(LOG, logging.DEBUG)
