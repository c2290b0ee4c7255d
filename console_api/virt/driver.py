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

    @abc.abstractmethod
    def get_vnc_console(self, instance_uuid):
        """Return the VNC endpoint of a guest.

        :param instance_uuid: the guest's UUID string.
        :returns: a ``ConsoleEndpoint``.
        :raises console_api.exception.InstanceNotFound: no such guest here.
        :raises console_api.exception.ConsoleTypeUnavailable: the guest has
            no (active) VNC server; ``console_type='vnc'``.
        :raises console_api.exception.HypervisorUnavailable: the hypervisor
            cannot be reached.
        """

    @abc.abstractmethod
    def get_spice_console(self, instance_uuid):
        """Return the SPICE endpoint of a guest, with ``tls_port`` if any.

        :param instance_uuid: the guest's UUID string.
        :returns: a ``ConsoleEndpoint``.
        :raises console_api.exception.InstanceNotFound: no such guest here.
        :raises console_api.exception.ConsoleTypeUnavailable: the guest has
            no (active) SPICE server; ``console_type='spice'``.
        :raises console_api.exception.HypervisorUnavailable: the hypervisor
            cannot be reached.
        """

    @abc.abstractmethod
    def get_serial_console(self, instance_uuid):
        """Return the TCP endpoint of a guest's first serial port.

        :param instance_uuid: the guest's UUID string.
        :returns: a ``ConsoleEndpoint``.
        :raises console_api.exception.InstanceNotFound: no such guest here.
        :raises console_api.exception.ConsoleTypeUnavailable: the guest has
            no TCP serial port; ``console_type='serial'``.
        :raises console_api.exception.HypervisorUnavailable: the hypervisor
            cannot be reached.
        """

    @abc.abstractmethod
    def get_rdp_console(self, instance_uuid):
        """Return the RDP endpoint of a guest.

        :param instance_uuid: the guest's UUID string.
        :returns: a ``ConsoleEndpoint``.
        :raises console_api.exception.InstanceNotFound: no such guest here.
        :raises console_api.exception.ConsoleTypeUnavailable: the guest has
            no (active) RDP server; ``console_type='rdp'``.
        :raises console_api.exception.HypervisorUnavailable: the hypervisor
            cannot be reached.
        """

    def get_mks_console(self, instance_uuid):
        """Return the WebMKS endpoint of a guest.

        The default says the driver cannot do it; drivers that can override
        this and put the MKS ticket in ``internal_access_path``.

        :param instance_uuid: the guest's UUID string.
        :returns: a ``ConsoleEndpoint``.
        :raises console_api.exception.ConsoleNotSupported: always, unless
            overridden.
        :raises console_api.exception.InstanceNotFound: (overrides) no such
            guest here.
        :raises console_api.exception.ConsoleTypeUnavailable: (overrides)
            the guest has no MKS console; ``console_type='mks'``.
        """
        raise exception.ConsoleNotSupported()

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
