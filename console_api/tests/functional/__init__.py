"""Functional tests of console-api."""
