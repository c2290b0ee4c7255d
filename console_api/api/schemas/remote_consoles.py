"""Request schemas of ``POST /servers/{id}/remote-consoles`` and actions.

Their enums come from the console-type registry, in its order.
"""

from console_api.console import types as console_types


def create(version):
    """The body schema of ``remote-consoles`` at microversion ``version``."""
    rows = [row for row in console_types.TYPES if row.min_version <= version]
    return _body('remote_console', {
        'protocol': _enum(row.protocol for row in rows),
        'type': _enum(row.type for row in rows)})


def create_ranges(first):
    """``(min, max, schema)`` from ``first`` on, split where types appear."""
    starts = sorted({first} | {row.min_version for row in console_types.TYPES
                               if row.min_version > first})
    ends = [console_types.Version(start.major, start.minor - 1)
            for start in starts[1:]] + [None]
    return [(low, high, create(low)) for low, high in zip(starts, ends)]


def action(name):
    """The body schema of the legacy (2.1-2.5) server action ``name``."""
    return _body(name, {'type': _enum(row.type for row in console_types.TYPES
                                      if row.action == name)})


def _enum(values):
    # Each value once: clients and tests match on the listed enum.
    return {'type': 'string', 'enum': list(dict.fromkeys(values))}


def _body(key, properties):
    return {
        'type': 'object',
        'properties': {
            key: {
                'type': 'object',
                'properties': properties,
                'required': list(properties),
                'additionalProperties': False,
            },
        },
        'required': [key],
        'additionalProperties': False,
    }
