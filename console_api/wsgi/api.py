"""WSGI module of the console API: ``console_api.wsgi.api:application``.

Run it under any WSGI server, e.g.
``gunicorn -w 4 console_api.wsgi.api:application`` or
``uwsgi --module console_api.wsgi.api:application``. The configuration
files come from ``CONSOLE_API_CONFIG_FILES`` (comma-separated) or the usual
``/etc/console_api/console_api.conf``.
"""

import os
import threading

from console_api.cmd import common as cmd_common

_LOCK = threading.Lock()
_APPLICATION = None


def init_application():
    """Parse configuration, set up logging and load the paste app."""
    files = os.environ.get('CONSOLE_API_CONFIG_FILES')
    config_files = [f for f in files.split(',') if f] if files else None
    cmd_common.parse_config([], config_files=config_files)
    cmd_common.setup_logging()
    from console_api.api import deploy
    return deploy.loadapp(cmd_common.CONF)


def application(environ, start_response):
    """Load the app on the first request of each worker, then serve."""
    global _APPLICATION
    if _APPLICATION is None:
        with _LOCK:
            if _APPLICATION is None:
                _APPLICATION = init_application()
    return _APPLICATION(environ, start_response)
