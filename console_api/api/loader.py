"""Loads the API pipeline from ``api-paste.ini`` (the only Paste user).

A broken ini, a missing section or an unimportable filter stops start-up
with one ``ConfigurationError`` line that names the file and the section,
never a traceback.
"""

import configparser
import os

from paste import deploy

from console_api import conf
from console_api import exception

CONF = conf.CONF
DEFAULT_APP = 'osapi_compute'
SEARCH_DIRS = ('/etc/console_api',)


def find_paste_config(name=None):
    """Return the absolute path of the paste ini, or raise."""
    name = name or CONF.api.api_paste_config
    candidates = [name]
    if not os.path.isabs(name):
        for config_file in CONF.config_file or []:
            candidates.append(os.path.join(
                os.path.dirname(os.path.abspath(config_file)), name))
        candidates.extend(os.path.join(d, name) for d in SEARCH_DIRS)
        candidates.append(os.path.join(
            os.path.dirname(__file__), '..', '..', 'etc', 'console_api',
            name))
    for candidate in candidates:
        if os.path.isfile(candidate):
            return os.path.abspath(candidate)
    raise exception.ConfigurationError(
        reason='paste config %s not found (looked in: %s)' % (
            name, ', '.join(candidates)))


def load_app(name=DEFAULT_APP, path=None):
    """Load the WSGI app ``name`` from the paste ini.

    :raises PasteAppNotFound: with a one-line reason naming the problem.
    """
    path = path or find_paste_config()
    try:
        return deploy.loadapp('config:%s' % path, name=name)
    except exception.ConsoleApiException as exc:
        raise exception.PasteAppNotFound(name=name, path=path,
                                         reason=exc.format_message())
    except LookupError as exc:
        # Paste's own wording names the missing section ("No section ...").
        raise exception.PasteAppNotFound(name=name, path=path,
                                         reason=str(exc).splitlines()[0])
    except (ImportError, AttributeError, configparser.Error,
            ValueError, TypeError, OSError) as exc:
        # OSError: an explicit ``path`` that does not exist or is
        # unreadable (find_paste_config only checks the configured name).
        reason = ' '.join(str(exc).split())
        raise exception.PasteAppNotFound(
            name=name, path=path,
            reason='%s: %s' % (type(exc).__name__, reason))
