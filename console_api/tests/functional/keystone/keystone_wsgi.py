"""Keystone's WSGI app for gunicorn, run inside the Keystone virtualenv.

Keystone parses ``sys.argv`` as its own command line when the app is
created; under gunicorn that is gunicorn's, which Keystone rejects. Clearing
it first makes Keystone read only the files named by
``OS_KEYSTONE_CONFIG_DIR`` and ``OS_KEYSTONE_CONFIG_FILES``.
"""

import sys

sys.argv = sys.argv[:1]

from keystone.wsgi.api import application  # noqa: E402,F401,H306
