"""The libvirt hypervisor driver: guests and consoles from domain XML.

Guests are the domains of ``[libvirt] connection_uri``; their owner comes
from the metadata Nova writes (``<nova:owner>``), so an agent works on a
host whose guests Nova created. Console endpoints come from the live domain
XML: VNC, SPICE and RDP from ``<graphics>`` with the host set to the
matching ``server_proxyclient_address`` option, serial from the first TCP
serial port (or console) in bind mode. MKS is not a libvirt console.
"""

import uuid

from console_api.compute import power_state
from console_api import conf
from console_api import exception
from console_api.virt import driver
from console_api.virt.libvirt import connection
from console_api.virt.libvirt import xml as domain_xml

# libvirt domain states (virDomainState) by name, as our power states.
_POWER_STATES = {
    'VIR_DOMAIN_NOSTATE': power_state.NOSTATE,
    'VIR_DOMAIN_RUNNING': power_state.RUNNING,
    'VIR_DOMAIN_BLOCKED': power_state.RUNNING,
    'VIR_DOMAIN_PAUSED': power_state.PAUSED,
    'VIR_DOMAIN_SHUTDOWN': power_state.SHUTDOWN,
    'VIR_DOMAIN_SHUTOFF': power_state.SHUTDOWN,
    'VIR_DOMAIN_CRASHED': power_state.CRASHED,
    'VIR_DOMAIN_PMSUSPENDED': power_state.SUSPENDED,
}


class LibvirtDriver(driver.ComputeDriver):
    """Reads guests and console endpoints from a libvirt hypervisor."""

    def __init__(self):
        self._connection = None
        self._states = {}

    def init_host(self, host):
        uri = conf.CONF.libvirt.connection_uri
        self._connection = connection.Connection(uri)
        lv = self._connection.libvirt
        self._states = {getattr(lv, name): state
                        for name, state in _POWER_STATES.items()}
        self._connection.open()

    def cleanup_host(self):
        if self._connection is not None:
            self._connection.close()

    def _call(self, operation):
        """Run ``operation(conn)``; unexpected libvirt errors become 503."""
        if self._connection is None:
            raise exception.HypervisorUnavailable(
                uri=conf.CONF.libvirt.connection_uri,
                reason='init_host() was not called')
        try:
            return self._connection.call(operation)
        except self._connection.libvirt.libvirtError as exc:
            raise exception.HypervisorUnavailable(uri=self._connection.uri,
                                                  reason=str(exc))

    def list_domains(self):
        return self._call(self._list_domains)

    def _list_domains(self, conn):
        lv = self._connection.libvirt
        domains = []
        for dom in conn.listAllDomains(0):
            try:
                state = dom.state()[0]
                root = self._parse(dom.XMLDesc(0))
                dom_uuid = dom.UUIDString()
                name = dom.name()
            except lv.libvirtError as exc:
                # Undefined between the listing and now: simply gone.
                if exc.get_error_code() == lv.VIR_ERR_NO_DOMAIN:
                    continue
                raise
            project_id, user_id = domain_xml.owner(root)
            domains.append(driver.DomainInfo(
                uuid=dom_uuid, name=name,
                power_state=self._states.get(state, power_state.NOSTATE),
                project_id=project_id, user_id=user_id))
        return domains

    def _domain_xml(self, instance_uuid):
        """Return the parsed live XML of a domain.

        :raises console_api.exception.InstanceNotFound: no such domain.
        """
        try:
            canonical = str(uuid.UUID(str(instance_uuid)))
        except ValueError:
            raise exception.InstanceNotFound(instance_id=instance_uuid)

        def fetch(conn):
            lv = self._connection.libvirt
            try:
                return conn.lookupByUUIDString(canonical).XMLDesc(0)
            except lv.libvirtError as exc:
                if exc.get_error_code() == lv.VIR_ERR_NO_DOMAIN:
                    raise exception.InstanceNotFound(instance_id=instance_uuid)
                raise

        return self._parse(self._call(fetch))

    def _parse(self, text):
        try:
            return domain_xml.parse(text)
        except ValueError as exc:
            raise exception.HypervisorUnavailable(uri=self._connection.uri,
                                                  reason=str(exc))

    def get_vnc_console(self, instance_uuid):
        return domain_xml.graphics_endpoint(
            self._domain_xml(instance_uuid), 'vnc',
            conf.CONF.vnc.server_proxyclient_address)

    def get_spice_console(self, instance_uuid):
        return domain_xml.graphics_endpoint(
            self._domain_xml(instance_uuid), 'spice',
            conf.CONF.spice.server_proxyclient_address)

    def get_rdp_console(self, instance_uuid):
        return domain_xml.graphics_endpoint(
            self._domain_xml(instance_uuid), 'rdp',
            conf.CONF.rdp.server_proxyclient_address)

    def get_serial_console(self, instance_uuid):
        return domain_xml.serial_endpoint(
            self._domain_xml(instance_uuid),
            conf.CONF.serial_console.proxyclient_address)

    def get_mks_console(self, instance_uuid):
        raise exception.ConsoleNotSupported()
