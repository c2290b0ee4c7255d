"""Tempest plugin: lets ``tempest run`` find the black-box suite.

The suite reads its own settings (``CONSOLE_API_BLACKBOX_*`` or the file
named by ``CONSOLE_API_BLACKBOX_CONFIG``), not tempest.conf, so the plugin
only tells tempest where the tests are.
"""

import os

from tempest.test_discover import plugins


class ConsoleApiTempestPlugin(plugins.TempestPlugin):
    """Entry point ``tempest.test_plugins: console_api_blackbox``."""

    def load_tests(self):
        here = os.path.dirname(os.path.abspath(__file__))
        top_level = os.path.abspath(os.path.join(here, '..', '..', '..'))
        return here, top_level

    def register_opts(self, conf):
        pass

    def get_opt_lists(self):
        return []
