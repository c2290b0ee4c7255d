"""Functional tests of the database layer (migrations)."""
