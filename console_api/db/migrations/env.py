"""Alembic environment: runs console-api's migrations on a given connection.

``console_api.db.migration`` hands over an open connection in
``config.attributes['connection']``; the ``alembic`` command line can still be
used with ``sqlalchemy.url`` set in its own configuration.
"""

from alembic import context
from sqlalchemy import engine_from_config
from sqlalchemy import pool

from console_api.db import models

config = context.config
target_metadata = models.Base.metadata


def _run(connection):
    context.configure(connection=connection,
                      target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == 'sqlite',
                      transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline():
    """Emit SQL for the configured URL instead of running it."""
    context.configure(url=config.get_main_option('sqlalchemy.url'),
                      target_metadata=target_metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    """Run the migrations on the given connection, or on a new engine."""
    connection = config.attributes.get('connection')
    if connection is not None:
        _run(connection)
        return
    engine = engine_from_config(config.get_section(config.config_ini_section),
                                prefix='sqlalchemy.',
                                poolclass=pool.NullPool)
    with engine.connect() as connection:
        _run(connection)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
