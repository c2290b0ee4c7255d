"""console-api-status: ``upgrade check`` readiness checks (oslo.upgradecheck).

::

    console-api-status [--config-file FILE] upgrade check [--json]
"""

import sys

from oslo_db import exception as db_exc
from oslo_upgradecheck import upgradecheck
from sqlalchemy import exc as sa_exc

from console_api.cmd import common
from console_api import conf as console_conf
from console_api.db import api as db_api
from console_api.db import migration
from console_api import exception
from console_api.i18n import _


class UpgradeChecks(upgradecheck.UpgradeCommands):
    """Checks an operator runs before starting upgraded services."""

    def __init__(self, conf):
        super().__init__()
        self._conf = conf

    def _check_db_schema(self):
        database = db_api.Database(self._conf)
        try:
            migration.check_at_head(database.get_engine())
        except (exception.DBNotAtHead, db_exc.DBError,
                sa_exc.SQLAlchemyError) as exc:
            return upgradecheck.Result(upgradecheck.Code.FAILURE,
                                       common.describe(exc))
        finally:
            database.dispose()
        return upgradecheck.Result(upgradecheck.Code.SUCCESS)

    _upgrade_checks = ((_('Database schema'), _check_db_schema),)


def main(argv=None, conf=None):
    """Entry point of ``console-api-status``; returns the exit code.

    :param conf: the ``ConfigOpts`` to parse into (default: the global one);
        it must have oslo.db's ``[database]`` options registered.
    """
    conf = console_conf.CONF if conf is None else conf
    # Report an unreachable database at once instead of retrying for minutes.
    conf.set_default('max_retries', 0, group='database')
    return upgradecheck.main(conf, project='console_api',
                             upgrade_command=UpgradeChecks(conf),
                             argv=sys.argv[1:] if argv is None else argv)


if __name__ == '__main__':
    sys.exit(main())
