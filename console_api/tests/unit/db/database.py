"""Fixture giving a test its own database."""

import fixtures
from oslo_config import cfg
from oslo_db import options as db_options

from console_api.db import api as db_api
from console_api.db import migration
from console_api.db import models


class Database(fixtures.Fixture):
    """A fresh ``console_api.db.api.Database``, disposed of afterwards.

    ``self.database`` is the object to hand to the code under test;
    ``self.engine`` its engine.

    :param connection: SQLAlchemy URL; default an in-memory SQLite.
    :param migrate: build the schema with the migrations rather than with
        ``create_all`` (slower, but what production runs).
    """

    def __init__(self, connection='sqlite://', migrate=False):
        super().__init__()
        self.connection = connection
        self.migrate = migrate

    def _setUp(self):
        # A private ConfigOpts so the global CONF is left alone.
        conf = cfg.ConfigOpts()
        db_options.set_defaults(conf, connection=self.connection)
        self.database = db_api.Database(conf)
        self.addCleanup(self.database.dispose)
        self.engine = self.database.get_engine()
        if self.migrate:
            migration.db_sync(self.engine)
        else:
            models.Base.metadata.create_all(self.engine)
