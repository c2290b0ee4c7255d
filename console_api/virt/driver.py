"""The hypervisor driver contract and the loader that picks a driver.

A compute agent owns exactly one driver. The agent calls ``init_host`` once
at start, then ``list_domains`` from its periodic sync and the console
getters from RPC threads, possibly at the same time: every implementation
must be safe to call from several threads. ``cleanup_host`` is called once
at shutdown.

Drivers only describe what the hypervisor runs and where its consoles
listen. They never touch the database, tokens or the RPC layer, and never
import another driver. Errors are the domain exceptions of
``console_api.exception``; a driver lets nothing else escape from a console
getter, so that the error crosses RPC as the same type.
"""

import abc
import dataclasses
import typing

from stevedore import driver as stevedore_driver
from stevedore import exception as stevedore_exception

from console_api import exception

NAMESPACE = 'console_api.virt.drivers'

# Nova's spellings of [DEFAULT] compute_driver map onto our entry points.
_ALIASES = {
    'fake': 'fake',
    'fake.FakeDriver': 'fake',
    'libvirt': 'libvirt',
    'libvirt.LibvirtDriver': 'libvirt',
}


@dataclasses.dataclass(frozen=True)
class ConsoleEndpoint:
    """Where a console proxy connects to reach one guest console.

    ``host`` and ``port`` are the address of the console server on the
    compute host; ``tls_port`` is the SPICE TLS port when there is one;
    ``internal_access_path`` is an opaque string the proxy passes on (a
    WebMKS ticket, for example), ``None`` for most consoles.
    """

    host: str
    port: int
    tls_port: typing.Optional[int] = None
    internal_access_path: typing.Optional[str] = None


@dataclasses.dataclass(frozen=True)
class DomainInfo:
    """One guest as the hypervisor reports it.

    ``power_state`` is a ``console_api.compute.power_state`` number;
    ``project_id`` and ``user_id`` are the owner, ``None`` when the
    hypervisor does not know it; ``task_state`` is a
    ``console_api.compute.task_states`` value or ``None``.
    """

    uuid: str
    name: str
    power_state: int
    project_id: typing.Optional[str]
    user_id: typing.Optional[str]
    task_state: typing.Optional[str] = None


def getter_name(kind):
    """The name of the driver method that serves consoles of ``kind``."""
    return 'get_%s_console' % kind


class ComputeDriver(metaclass=abc.ABCMeta):
    """Base class of hypervisor drivers; each method is a contract."""

    @abc.abstractmethod
    def init_host(self, host):
        """Connect to the hypervisor (or load the inventory) for ``host``.

        :param host: this agent's name (``[DEFAULT] host``); a driver may
            use it to pick the guests that belong to this agent.
        :returns: ``None``.
        :raises console_api.exception.HypervisorUnavailable: the hypervisor
            cannot be reached; the message names it.
        :raises console_api.exception.InventoryError: the inventory is
            missing or malformed; the message names the file and problem.
        :raises console_api.exception.ConfigurationError: the driver cannot
            work with this installation or configuration at all.
        """

    @abc.abstractmethod
    def list_domains(self):
        """Return every guest this host runs.

        :returns: a list of ``DomainInfo``, running or not, in no
            particular order.
        :raises console_api.exception.HypervisorUnavailable: the hypervisor
            cannot be reached.
        :raises console_api.exception.InventoryError: the inventory became
            unusable.
        """

    def get_console(self, kind, instance_uuid):
        """Return where one console of a guest listens.

        A driver serves a ``kind``, a protocol of the console-type registry
        (``vnc``, ``spice``, ...), by defining ``get_<kind>_console`` with
        this contract. SPICE endpoints carry their ``tls_port`` if any,
        WebMKS ones the ticket in ``internal_access_path``; serial is the
        guest's first TCP serial port.

        :param instance_uuid: the guest's UUID string.
        :returns: a ``ConsoleEndpoint``.
        :raises console_api.exception.ConsoleNotSupported: the driver cannot
            provide this kind at all.
        :raises console_api.exception.InstanceNotFound: no such guest here.
        :raises console_api.exception.ConsoleTypeUnavailable: the guest has
            no (active) console of this kind; ``console_type=kind``.
        :raises console_api.exception.HypervisorUnavailable: the hypervisor
            cannot be reached.
        """
        getter = getattr(self, getter_name(kind), None)
        if getter is None:
            raise exception.ConsoleNotSupported()
        return getter(instance_uuid)

    def cleanup_host(self):
        """Release connections and other resources; the agent is stopping.

        :returns: ``None``. Never raises; calling it twice is harmless.
        """


def load_driver(name):
    """Return a new, not yet initialised driver instance by name.

    :param name: ``fake``, ``libvirt``, or Nova's spellings
        ``fake.FakeDriver`` and ``libvirt.LibvirtDriver`` (the value of
        ``[DEFAULT] compute_driver``).
    :returns: a ``ComputeDriver``; call ``init_host`` on it before use.
    :raises console_api.exception.ConfigurationError: the name is not one
        of the accepted values, or its entry point cannot be loaded.
    """
    entry_point = _ALIASES.get(name)
    if entry_point is None:
        raise exception.ConfigurationError(
            reason="unknown compute_driver %r; accepted values: %s"
            % (name, ', '.join(sorted(_ALIASES))))
    try:
        manager = stevedore_driver.DriverManager(
            namespace=NAMESPACE, name=entry_point, invoke_on_load=True)
    except (stevedore_exception.NoMatches, ImportError) as exc:
        raise exception.ConfigurationError(
            reason="compute_driver %r cannot be loaded from entry point "
                   "namespace %s: %s" % (name, NAMESPACE, exc))
    return manager.driver
