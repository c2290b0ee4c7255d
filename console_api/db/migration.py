"""Schema migrations: upgrade the database and tell which revision it is at.

Alembic is configured in code (no alembic.ini to install); the scripts live
in ``console_api/db/migrations``. Every function works on the engine it is
given (``Database.get_engine()``).
"""

import os

from alembic import command as alembic_command
from alembic import config as alembic_config
from alembic import migration as alembic_migration
from alembic import script as alembic_script

from console_api import exception

MIGRATIONS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                              'migrations')


def _config(connection=None):
    config = alembic_config.Config()
    config.set_main_option('script_location', MIGRATIONS_DIR)
    if connection is not None:
        config.attributes['connection'] = connection
    return config


def db_sync(engine, version=None):
    """Upgrade the schema to ``version`` (default: the newest revision).

    Raises ``alembic.util.CommandError`` for an unknown revision and
    oslo.db's ``DBError`` family when the database cannot be reached.
    """
    with engine.begin() as connection:
        alembic_command.upgrade(_config(connection), version or 'head')


def db_version(engine):
    """Return the revision the database is at, ``None`` before any sync."""
    with engine.connect() as connection:
        context = alembic_migration.MigrationContext.configure(connection)
        return context.get_current_revision()


def head_version():
    """Return the newest revision the installed code knows."""
    return alembic_script.ScriptDirectory.from_config(
        _config()).get_current_head()


def check_at_head(engine):
    """Raise ``DBNotAtHead`` unless the schema is at the newest revision."""
    current = db_version(engine)
    head = head_version()
    if current != head:
        raise exception.DBNotAtHead(current=current or 'nothing', head=head)
