"""A running proxy service with a fake validator, for the proxy's tests.

The noVNC listener serves Debian's ``novnc`` package from
``/usr/share/novnc``; without it these tests skip, or fail when ``CI`` or
``CONSOLE_API_TEST_REQUIRE_SERVICES`` is set.
"""

import os

from oslo_config import fixture as config_fixture
import testtools

from console_api import conf
from console_api.proxy import server
from console_api.tests.functional.proxy import fakes
from console_api.tests.functional import service_env

CONF = conf.CONF
NOVNC_ROOT = '/usr/share/novnc'


def require_web_root(test, path):
    """Skip ``test`` if ``path`` is missing; fail instead in CI."""
    if os.path.isdir(path):
        return
    reason = '%s is missing (Debian package novnc)' % path
    if os.environ.get('CI', '').lower() not in ('', '0', 'false'):
        test.fail(reason + ' and CI is set')
    service_env.unavailable(test, reason)


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
        if web_root is not None:
            require_web_root(self, web_root)
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
