"""What every console-api command does first: configuration and logging.

``run`` wraps a command's body so that an error anyone could make (a bad
option, a missing file, an unreachable database or broker) ends the process
with one line on stderr and exit code 1, not a traceback.
"""

import re
import sys

from oslo_log import log as logging

from console_api import conf
from console_api import exception
from console_api import version

CONF = conf.CONF
LOG = logging.getLogger(__name__)


def parse_config(argv, config_files=None, default_overrides=None):
    """Parse the command line and configuration files into ``CONF``.

    ``default_overrides`` maps ``(group, name)`` to a default applied
    before parsing (the all-in-one's embedded defaults).
    """
    # Library defaults are set again on every parse: ConfigOpts.reset()
    # (which tests and re-parsing commands call) forgets set_default().
    from console_api.conf import database
    from console_api import policy
    database.register_opts(CONF)
    policy.set_defaults(CONF)
    for (group, name), value in (default_overrides or {}).items():
        CONF.set_default(name, value, group=group)
    CONF(argv, project='console_api', version=version.version_string(),
         default_config_files=config_files)


def setup_logging():
    logging.setup(CONF, 'console_api')


def run(prog, main_body):
    """Run ``main_body()``; return its exit code, 1 after an error.

    An error is one line on stderr, ``<prog>: error: <what>``, that the
    operator fixes the configuration or environment from; its traceback is
    logged at debug level.
    """
    try:
        return main_body()
    except KeyboardInterrupt:
        return 0
    except Exception as exc:
        LOG.debug('%s failed', prog, exc_info=True)
        print('%s: error: %s' % (prog, describe(exc)), file=sys.stderr)
        return 1


def describe(exc):
    """The first line of ``exc``'s message, without URL passwords."""
    if isinstance(exc, exception.ConsoleApiException):
        text = exc.format_message()
    else:  # a library's: its message alone can be vague
        text = '%s: %s' % (type(exc).__name__, exc)
    # Messages can quote a transport or database URL.
    text = re.sub(r'(//[^/:@\s]*:)[^@\s]*@', r'\1***@', text)
    return (text.strip().splitlines() or [type(exc).__name__])[0]
