"""Functional tests against a real Keystone (PyPI keystone, sqlite)."""
