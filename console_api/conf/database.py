"""[database] defaults: oslo.db owns the options, console-api sets defaults."""

from oslo_db import options as db_options

DEFAULT_CONNECTION = 'sqlite:///$state_path/console_api.sqlite'


def register_opts(conf):
    db_options.set_defaults(conf, connection=DEFAULT_CONNECTION)


def list_opts():
    # oslo.db lists its own options under the oslo.db namespace.
    return {}
