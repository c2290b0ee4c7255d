#!/usr/bin/env bash
# Runs the multi-process deployment tests (console_api/tests/deployment):
# console-api under gunicorn with two workers, two compute agents,
# PostgreSQL and RabbitMQ; one of them runs the black-box suite against
# that deployment. An unreachable service fails the run
# (CONSOLE_API_TEST_REQUIRE_SERVICES defaults to 1).
# $PYTHON: interpreter with console-api and its test requirements
# (default .venv/bin/python). Extra arguments go to ``stestr run``.
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-.venv/bin/python}
export CONSOLE_API_TEST_REQUIRE_SERVICES=${CONSOLE_API_TEST_REQUIRE_SERVICES:-1}
export CONSOLE_API_TEST_DEPLOYMENT=1

exec "$PYTHON" -m stestr --test-path ./console_api/tests/deployment run \
    --concurrency 2 "$@"
