#!/usr/bin/env bash
# Runs the functional suite on PostgreSQL + RabbitMQ, then on MariaDB/MySQL
# + RabbitMQ (see console_api/tests/functional/service_env.py). Each test
# process gets its own database and RabbitMQ virtual host. An unreachable
# service fails the run (CONSOLE_API_TEST_REQUIRE_SERVICES defaults to 1).
# $PYTHON: interpreter with console-api and its test requirements
# (default .venv/bin/python). Extra arguments go to ``stestr run``.
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-.venv/bin/python}
export CONSOLE_API_TEST_REQUIRE_SERVICES=${CONSOLE_API_TEST_REQUIRE_SERVICES:-1}
export CONSOLE_API_TEST_TRANSPORT=rabbit

status=0
for backend in postgresql mysql; do
    echo "functional-real-services: functional suite on $backend + RabbitMQ"
    CONSOLE_API_TEST_BACKEND=$backend "$PYTHON" -m stestr \
        --test-path ./console_api/tests/functional run --concurrency 2 "$@" \
        || status=1
done
exit "$status"
