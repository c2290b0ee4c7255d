"""Fixture giving a test its own database, configured in db.api."""

import fixtures
from oslo_config import cfg
from oslo_db import options as db_options

from console_api.db import api as db_api
from console_api.db import migration
from console_api.db import models


class Database(fixtures.Fixture):
    """A fresh database for ``console_api.db.api``, reset afterwards.

    :param connection: SQLAlchemy URL; default an in-memory SQLite.
    :param migrate: build the schema with the migrations rather than with
        ``create_all`` (slower, but what production runs).
    """

    def __init__(self, connection='sqlite://', migrate=False):
        super().__init__()
        self.connection = connection
        self.migrate = migrate

    def _setUp(self):
        db_api.reset()
        self.addCleanup(db_api.reset)
        # A private ConfigOpts so the global CONF is left alone.
        conf = cfg.ConfigOpts()
        db_options.set_defaults(conf, connection=self.connection)
        db_api.configure(conf)
        self.engine = db_api.get_engine()
        if self.migrate:
            migration.db_sync()
        else:
            models.Base.metadata.create_all(self.engine)
