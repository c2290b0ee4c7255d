"""Tests of console-api."""

# The tests run console-api's code as its commands do: on oslo.service's
# threading backend.
from console_api import cmd  # noqa: F401
