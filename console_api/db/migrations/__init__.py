"""Alembic migrations of console-api's database."""
