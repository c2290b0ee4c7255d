"""Only the commands change process-wide state, not ``import console_api``.

Checked in a fresh interpreter: this test process has imported
``console_api.cmd`` already (through ``console_api.tests``).
"""

import subprocess
import sys

import testtools

_CHECK = """
import sys
import warnings
from oslo_service import backend
import %s
print(backend._backend_hook is not None,
      any('Eventlet' in str(f[1]) for f in warnings.filters))
"""


def _state_after_importing(module):
    """Whether the backend hook and the warnings filter are installed."""
    output = subprocess.run([sys.executable, '-c', _CHECK % module],
                            capture_output=True, text=True, check=True,
                            timeout=120).stdout
    return output.split()


class PrepareProcessTest(testtools.TestCase):

    def test_host_api_imports_change_nothing(self):
        self.assertEqual(['False', 'False'],
                         _state_after_importing('console_api.api.router'))

    def test_commands_pick_threading_and_quiet_eventlet(self):
        self.assertEqual(['True', 'True'],
                         _state_after_importing('console_api.cmd.api'))
