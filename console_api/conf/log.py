"""oslo.log's options, registered with everything else.

They include command-line options, which can only be registered before the
command line is parsed; registering them on import keeps every entry point
(commands, the WSGI module, tests) free of ordering rules.
"""

from oslo_log import log as logging

DEFAULT_LOG_LEVELS = logging.get_default_log_levels() + [
    'keystonemiddleware=WARN', 'routes=WARN', 'websockets=WARN',
    'stevedore=WARN', 'alembic=WARN']


def register_opts(conf):
    logging.register_options(conf)
    logging.set_defaults(default_log_levels=DEFAULT_LOG_LEVELS)


def list_opts():
    # oslo-config-generator lists them under the oslo.log namespace.
    return {}
