"""Small stand-ins shared by the compute unit tests."""

from console_api.compute import power_state
from console_api import exception
from console_api.virt import driver

UUID = '6f9a3b8e-2c4d-4e5f-8a9b-0c1d2e3f4a5b'
OTHER_UUID = '1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9'
HOST = 'compute1'


def domain(uuid=UUID, state=power_state.RUNNING, project='p1'):
    return driver.DomainInfo(uuid=uuid, name='vm-%s' % uuid[:4],
                             power_state=state, project_id=project,
                             user_id='u1')


class StubDriver(driver.ComputeDriver):
    """A driver whose domains and endpoints the test sets directly."""

    def __init__(self, domains=None, endpoints=None):
        self.domains = list(domains or [])
        # {protocol: ConsoleEndpoint}; a missing protocol is unavailable.
        self.endpoints = dict(endpoints or {})
        self.list_error = None
        # Protocols the driver cannot do at all.
        self.unsupported = set()
        self.calls = []

    def init_host(self, host):
        self.calls.append(('init_host', host))

    def list_domains(self):
        if self.list_error is not None:
            raise self.list_error
        return list(self.domains)

    def _endpoint(self, protocol, uuid):
        self.calls.append((protocol, uuid))
        if protocol in self.unsupported:
            raise exception.ConsoleNotSupported()
        if uuid not in [d.uuid for d in self.domains]:
            raise exception.InstanceNotFound(instance_id=uuid)
        if protocol not in self.endpoints:
            raise exception.ConsoleTypeUnavailable(console_type=protocol)
        return self.endpoints[protocol]

    def get_vnc_console(self, instance_uuid):
        return self._endpoint('vnc', instance_uuid)

    def get_spice_console(self, instance_uuid):
        return self._endpoint('spice', instance_uuid)

    def get_serial_console(self, instance_uuid):
        return self._endpoint('serial', instance_uuid)

    def get_rdp_console(self, instance_uuid):
        return self._endpoint('rdp', instance_uuid)

    def get_mks_console(self, instance_uuid):
        return self._endpoint('mks', instance_uuid)

    def cleanup_host(self):
        self.calls.append(('cleanup_host',))


ALL_ENDPOINTS = {
    'vnc': driver.ConsoleEndpoint('10.0.0.5', 5900),
    'spice': driver.ConsoleEndpoint('10.0.0.5', 5901, tls_port=5902,
                                    internal_access_path='/spice-path'),
    'serial': driver.ConsoleEndpoint('10.0.0.5', 10000),
    'rdp': driver.ConsoleEndpoint('10.0.0.5', 3389),
    'mks': driver.ConsoleEndpoint('10.0.0.5', 902,
                                  internal_access_path='{"ticket": "t"}'),
}
