"""A running proxy service with a fake validator, for the proxy's tests."""

from oslo_config import fixture as config_fixture
import testtools

from console_api import conf
from console_api.proxy import server
from console_api.tests.unit.proxy import fakes

CONF = conf.CONF
NOVNC_ROOT = '/usr/share/novnc'


class ProxyTestCase(testtools.TestCase):
    """Starts a noVNC and a serial listener on free loopback ports."""

    web_root = None

    def setUp(self):
        super().setUp()
        self.conf = self.useFixture(config_fixture.Config(CONF)).conf
        # Never pick up a stray self.pem from the working directory.
        self.conf.set_override('cert', '/nonexistent/self.pem')
        self.validator = fakes.FakeValidator()

    def start(self, web_root=NOVNC_ROOT, overrides=None):
        """Start the service; ``overrides`` maps (group, name) to values."""
        for (group, name), value in (overrides or {}).items():
            self.conf.set_override(name, value, group=group)
        specs = [
            server.ListenerSpec('novnc', '127.0.0.1', 0, ('novnc',),
                                web_root, rfb_security=True),
            server.ListenerSpec('serial', '127.0.0.1', 0, ('serial',)),
        ]
        self.service = server.ProxyService(self.conf, self.validator, specs)
        self.addresses = self.service.start_in_thread()
        self.addCleanup(self.service.stop)

    def console(self, handler):
        """Start a fake console server; return its port."""
        tcp = fakes.start_tcp_server(handler)
        self.addCleanup(tcp.server_close)
        self.addCleanup(tcp.shutdown)
        return tcp.server_address[1]

    def url(self, name, target):
        host, port = self.addresses[name]
        return 'ws://%s:%s%s' % (host, port, target)

    def raw(self, name, target, **kwargs):
        host, port = self.addresses[name]
        client = fakes.RawWebSocket(host, port, target, **kwargs)
        self.addCleanup(client.close)
        return client
