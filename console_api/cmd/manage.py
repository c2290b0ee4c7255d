"""console-api-manage: operator commands, for now the database schema.

::

    console-api-manage [--config-file FILE] db sync [VERSION]
    console-api-manage [--config-file FILE] db version
"""

import sys

from oslo_config import cfg

from console_api.cmd import common
from console_api import conf
from console_api.db import api as db_api
from console_api.db import migration

CONF = conf.CONF

# A one-shot command should fail at once on an unreachable database rather
# than retry for minutes; a value in the configuration file still wins.
_DEFAULT_OVERRIDES = {('database', 'max_retries'): 0}


def _db_sync(engine):
    migration.db_sync(engine, CONF.command.db_version)


def _db_version(engine):
    print(migration.db_version(engine) or 'None')


def _add_command_parsers(subparsers):
    db = subparsers.add_parser('db', help='Manage the database schema.')
    actions = db.add_subparsers(dest='action', metavar='ACTION')
    actions.required = True

    sync = actions.add_parser(
        'sync', help='Upgrade the schema to VERSION (default: the newest).')
    sync.add_argument('db_version', metavar='VERSION', nargs='?')
    sync.set_defaults(func=_db_sync)

    version = actions.add_parser(
        'version', help='Print the revision the schema is at.')
    version.set_defaults(func=_db_version)


_command_opt = cfg.SubCommandOpt('command', title='Commands',
                                 handler=_add_command_parsers,
                                 help='Available commands')


def _run(argv):
    common.parse_config(argv, default_overrides=_DEFAULT_OVERRIDES)
    database = db_api.Database(CONF)
    try:
        CONF.command.func(database.get_engine())
    finally:
        database.dispose()
    return 0


def main(argv=None):
    """Entry point of ``console-api-manage``; returns the exit code."""
    argv = sys.argv[1:] if argv is None else argv
    CONF.register_cli_opt(_command_opt)
    try:
        return common.run('console-api-manage', lambda: _run(argv))
    finally:
        # Leave CONF as it was, so that a caller (a test) can run us again.
        CONF.clear()
        CONF.unregister_opt(_command_opt)
        for group, name in _DEFAULT_OVERRIDES:
            CONF.clear_default(name, group=group)


if __name__ == '__main__':
    sys.exit(main())
