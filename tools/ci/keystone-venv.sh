#!/usr/bin/env bash
# Create the virtualenv that the Keystone functional tests run Keystone
# from (PyPI keystone and gunicorn), apart from console-api's own so that
# Keystone's dependencies never disturb ours. Idempotent: a venv that
# finished installing is reused; a half-built one is rebuilt.
#
#   CONSOLE_API_KEYSTONE_VENV  where (default /tmp/console-api-keystone-venv)
#   KEYSTONE_PIP_SPEC          what to install (default: the tested release)
set -euo pipefail

VENV=${CONSOLE_API_KEYSTONE_VENV:-/tmp/console-api-keystone-venv}
SPEC=${KEYSTONE_PIP_SPEC:-keystone==30.0.0 gunicorn==27.0.1}
PYTHON=${PYTHON:-python3}
MARKER="$VENV/.console-api-ready"

if [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$SPEC" ] \
        && [ -x "$VENV/bin/keystone-manage" ] && [ -x "$VENV/bin/gunicorn" ]; then
    echo "keystone-venv.sh: reusing $VENV ($SPEC)"
    exit 0
fi

echo "keystone-venv.sh: building $VENV ($SPEC)"
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/pip" install -q --disable-pip-version-check $SPEC
"$VENV/bin/keystone-manage" --version >/dev/null
# Written last: only a venv that finished installing carries it.
echo "$SPEC" > "$MARKER"
echo "keystone-venv.sh: ready"
