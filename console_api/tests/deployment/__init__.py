"""Multi-process deployment tests: real processes, PostgreSQL, RabbitMQ.

Opt-in (``CONSOLE_API_TEST_DEPLOYMENT=1``, set by ``tools/ci/deployment.sh``)
because they start several processes per test.
"""
