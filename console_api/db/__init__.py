"""Persistence of console-api: models, migrations and the database API."""
