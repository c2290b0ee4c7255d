#!/usr/bin/env bash
# Runs the black-box suite (console_api/tests/blackbox) against
# console-api-aio started in the background on free ports, with a temporary
# state directory and the shipped demo inventory; stops it afterwards.
# $PYTHON is the interpreter of an environment with console-api and its
# test requirements installed (default .venv/bin/python).
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-.venv/bin/python}

WORK=$(mktemp -d -t console-api-aio.XXXXXX)
AIO_PID=""
cleanup() {
    if [ -n "$AIO_PID" ] && kill -0 "$AIO_PID" 2>/dev/null; then
        kill -TERM "$AIO_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$AIO_PID" 2>/dev/null || break
            sleep 0.2
        done
        kill -KILL "$AIO_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

read -r API VNC SPICE SERIAL < <("$PYTHON" tools/ci/free-ports.py 4)
cat > "$WORK/aio.conf" <<CONF
[DEFAULT]
state_path = $WORK/state
osapi_compute_listen_port = $API
[vnc]
novncproxy_port = $VNC
novncproxy_base_url = http://127.0.0.1:$VNC/vnc_lite.html
[spice]
html5proxy_port = $SPICE
html5proxy_base_url = http://127.0.0.1:$SPICE/spice_auto.html
[serial_console]
serialproxy_port = $SERIAL
base_url = ws://127.0.0.1:$SERIAL/
CONF

echo "blackbox-aio: starting console-api-aio on 127.0.0.1:$API (log $WORK/aio.log)"
"$PYTHON" -c 'from console_api.cmd import aio; aio.main()' \
    --config-file "$WORK/aio.conf" >"$WORK/aio.log" 2>&1 &
AIO_PID=$!

ready=""
for _ in $(seq 1 120); do
    if ! kill -0 "$AIO_PID" 2>/dev/null; then break; fi
    if "$PYTHON" - "$API" <<'PY' 2>/dev/null; then ready=1; break; fi
import sys, urllib.request
urllib.request.urlopen('http://127.0.0.1:%s/' % sys.argv[1], timeout=2)
PY
    sleep 0.5
done
if [ -z "$ready" ]; then
    echo "blackbox-aio: console-api-aio did not come up; its log:" >&2
    cat "$WORK/aio.log" >&2
    exit 1
fi

# The demo inventory (etc/console_api/fake-inventory.yaml): demo-web of
# project demo (VNC and serial), alt-windows of alt_demo, demo-stopped.
export CONSOLE_API_BLACKBOX_ENDPOINT="http://127.0.0.1:$API"
export CONSOLE_API_BLACKBOX_AUTH=noauth2
export CONSOLE_API_BLACKBOX_USER=alice
export CONSOLE_API_BLACKBOX_PROJECT=6f70656e737461636b2064656d6f0001
export CONSOLE_API_BLACKBOX_SERVER_ID=5d2b3c1a-0e4f-4b6a-9c8d-7e6f5a4b3c21
export CONSOLE_API_BLACKBOX_OTHER_SERVER_ID=c1d2e3f4-a5b6-4c7d-9e8f-0a1b2c3d4e89
export CONSOLE_API_BLACKBOX_STOPPED_SERVER_ID=3f4e5d6c-7b8a-4c9d-8e0f-1a2b3c4d5e67
export CONSOLE_API_BLACKBOX_CONSOLE_PROTOCOLS=vnc,serial

status=0
"$PYTHON" -m stestr --test-path ./console_api/tests/blackbox run \
    --concurrency 2 "$@" || status=$?
if [ "$status" -ne 0 ]; then
    echo "blackbox-aio: failures; console-api-aio log follows" >&2
    tail -n 200 "$WORK/aio.log" >&2
fi
exit "$status"
