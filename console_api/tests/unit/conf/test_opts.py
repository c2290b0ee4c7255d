"""The option listing that oslo-config-generator reads."""

import subprocess
import sys

import testtools

from console_api.conf import opts


class ListOptsTest(testtools.TestCase):

    def _by_group(self):
        return {str(getattr(group, 'name', group)): {o.name: o for o in items}
                for group, items in opts.list_opts()}

    def test_every_group_is_listed(self):
        self.assertEqual(
            {'DEFAULT', 'api', 'console', 'console_proxy', 'consoleauth',
             'fake_driver', 'libvirt', 'mks', 'rdp', 'serial_console',
             'spice', 'upgrade_levels', 'vnc', 'wsgi'},
            set(self._by_group()))

    def test_nova_names_and_defaults(self):
        groups = self._by_group()
        expected = {
            ('DEFAULT', 'osapi_compute_listen_port'): 8774,
            ('DEFAULT', 'compute_driver'): 'libvirt',
            ('DEFAULT', 'service_down_time'): 60,
            ('DEFAULT', 'report_interval'): 10,
            ('consoleauth', 'purge_interval'): 300,
            ('DEFAULT', 'web'): '/usr/share/novnc',
            ('api', 'auth_strategy'): 'keystone',
            ('consoleauth', 'token_ttl'): 600,
            ('consoleauth', 'enforce_session_timeout'): False,
            ('console_proxy', 'trusted_proxies'): [],
            ('vnc', 'enabled'): True,
            ('vnc', 'novncproxy_base_url'):
                'http://127.0.0.1:6080/vnc_auto.html',
            ('vnc', 'novncproxy_port'): 6080,
            ('spice', 'enabled'): False,
            ('spice', 'html5proxy_port'): 6082,
            ('spice', 'spice_direct_proxy_base_url'):
                'http://127.0.0.1:13002/nova',
            ('serial_console', 'base_url'): 'ws://127.0.0.1:6083/',
            ('serial_console', 'serialproxy_port'): 6083,
            ('mks', 'mksproxy_base_url'): 'http://127.0.0.1:6090/',
            ('rdp', 'html5_proxy_base_url'): 'http://127.0.0.1:6083/',
            ('libvirt', 'connection_uri'): 'qemu:///system',
        }
        for (group, name), default in expected.items():
            self.assertEqual(default, groups[group][name].default,
                             '%s.%s' % (group, name))

    def test_every_option_has_help(self):
        for group, items in opts.list_opts():
            for opt in items:
                self.assertTrue(opt.help and opt.help.strip(),
                                '%s.%s has no help' % (group, opt.name))

    def test_generator_prints_the_options(self):
        output = subprocess.run(
            [sys.executable, '-m', 'oslo_config.generator',
             '--namespace', 'console_api'],
            capture_output=True, text=True, check=True).stdout
        for marker in ('[vnc]', '#novncproxy_base_url = ',
                       '[consoleauth]', '#token_ttl = 600'):
            self.assertIn(marker, output)
