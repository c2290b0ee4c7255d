"""Lists console-api's options for oslo-config-generator.

Every module in this package exposes ``list_opts()`` returning a mapping of
group (name or ``OptGroup``) to options; this module walks them.
"""

import collections
import importlib
import pkgutil

from oslo_db import options as db_options

import console_api.conf


def _option_modules():
    for info in pkgutil.iter_modules(console_api.conf.__path__):
        if info.name != 'opts':
            yield importlib.import_module('console_api.conf.' + info.name)


def list_opts():
    """Return ``[(group, [opts])]`` for every console-api option."""
    by_group = collections.defaultdict(list)
    groups = {}
    for module in _option_modules():
        for group, opts in module.list_opts().items():
            key = getattr(group, 'name', group)
            if not isinstance(group, str):
                groups[key] = group
            by_group[key].extend(opts)
    return [(groups.get(key, key), opts)
            for key, opts in sorted(by_group.items())]


def set_lib_defaults():
    """Defaults console-api gives to library options (oslo.db)."""
    from oslo_config import cfg
    db_options.set_defaults(cfg.CONF,
                            connection=console_api.conf.database
                            .DEFAULT_CONNECTION)
