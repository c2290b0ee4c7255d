"""The console types, one row each: the only place that knows them.

Request schemas, legacy actions, the agent's checks and driver calls, the
proxy's listeners, the fake inventory's keys and access URLs derive from it:
a new type is one row here, plus a driver method if its protocol is new.
"""

import dataclasses
import typing

import microversion_parse

from console_api import exception

Version = microversion_parse.Version


@dataclasses.dataclass(frozen=True)
class ConsoleType:
    """One console type and everything the service does differently for it."""

    type: str
    #: Also the driver's kind: ``get_<protocol>_console``, fake inventory key.
    protocol: typing.Optional[str]
    #: ``[group] enabled`` gates the protocol; ``[group] url_option`` is the
    #: type's URL base (``None``: the schemas accept it, nothing serves it).
    group: typing.Optional[str]
    url_option: typing.Optional[str]
    #: The first microversion at which it may be requested.
    min_version: Version = Version(2, 1)
    #: The legacy (2.1-2.5) server action asking for it.
    action: typing.Optional[str] = None
    #: The console proxy's listener for it (``None``: an external proxy).
    proxy: typing.Optional[str] = None
    #: The token goes in noVNC's ``path`` parameter rather than ``?token=``.
    novnc_path: bool = False
    #: Clients speak the protocol themselves: no internal access path, and
    #: the token's details show ``tls_port`` (2.99+).
    direct: bool = False
    #: Its token details are readable before 2.31 too.
    early_details: bool = False


TYPES = (
    ConsoleType('novnc', 'vnc', 'vnc', 'novncproxy_base_url',
                action='os-getVNCConsole', proxy='novnc', novnc_path=True),
    # Nova's schemas accept it but nothing serves it: 400 (spec A5).
    ConsoleType('xvpvnc', 'vnc', 'vnc', None, action='os-getVNCConsole'),
    ConsoleType('spice-html5', 'spice', 'spice', 'html5proxy_base_url',
                action='os-getSPICEConsole', proxy='spice-html5'),
    ConsoleType('serial', 'serial', 'serial_console', 'base_url',
                action='os-getSerialConsole', proxy='serial'),
    # Its external gateway reads the token details (spec A2, A3).
    ConsoleType('rdp-html5', 'rdp', 'rdp', 'html5_proxy_base_url',
                action='os-getRDPConsole', early_details=True),
    ConsoleType('webmks', 'mks', 'mks', 'mksproxy_base_url',
                min_version=Version(2, 8)),
    ConsoleType('spice-direct', 'spice', 'spice',
                'spice_direct_proxy_base_url', min_version=Version(2, 99),
                direct=True),
)


def get(console_type):
    """The row of ``console_type``; all defaults for a type no row names."""
    for row in TYPES:
        if row.type == console_type:
            return row
    return ConsoleType(console_type, None, None, None)


def check(conf, protocol, console_type):
    """Return the row of a console ``conf`` lets this service serve.

    Unlike Nova, serial too requires its own type (spec A5).

    :raises ConsoleNotSupported: no row has ``protocol``.
    :raises ConsoleTypeUnavailable: the protocol is disabled (checked first,
        as in Nova: a disabled protocol refuses every type alike).
    :raises ConsoleTypeInvalid: the type is not the protocol's, or nothing
        serves it.
    """
    groups = {row.protocol: row.group for row in TYPES}
    if protocol not in groups:
        raise exception.ConsoleNotSupported()
    if not getattr(conf, groups[protocol]).enabled:
        raise exception.ConsoleTypeUnavailable(console_type=console_type)
    row = get(console_type)
    if row.protocol != protocol or row.url_option is None:
        raise exception.ConsoleTypeInvalid(console_type=console_type)
    return row
