"""The console-compute-agent command as a process: start, stop, failures."""

import os
import signal
import subprocess
import sys

import fixtures
import testtools

from console_api.tests.unit.db import database

INVENTORY = """
servers:
  - uuid: 6f9a3b8e-2c4d-4e5f-8a9b-0c1d2e3f4a5b
    name: one
    power_state: running
    consoles:
      vnc: {host: 127.0.0.1, port: 5901}
"""


class AgentCommandTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.tmp = self.useFixture(fixtures.TempDir()).path
        self.inventory = os.path.join(self.tmp, 'inventory.yaml')
        self.db_path = os.path.join(self.tmp, 'console.sqlite')

    def write_config(self, transport_url='fake://'):
        path = os.path.join(self.tmp, 'agent.conf')
        with open(path, 'w') as handle:
            handle.write('[DEFAULT]\nhost = cmdtest\ncompute_driver = fake\n'
                         'transport_url = %s\nstate_path = %s\n'
                         '[database]\nconnection = sqlite:///%s\n'
                         '[fake_driver]\ninventory_file = %s\n'
                         % (transport_url, self.tmp, self.db_path,
                            self.inventory))
        return path

    def migrate(self):
        db = self.useFixture(database.Database('sqlite:///' + self.db_path,
                                               migrate=True))
        # Close our connections so the agent process can write.
        db.database.dispose()

    def spawn(self, config, stderr=subprocess.PIPE):
        # Warnings off: libraries' import-time deprecation notices are not
        # what these tests look at.
        return subprocess.Popen(
            [sys.executable, '-m', 'console_api.cmd.compute_agent',
             '--config-file', config],
            stdout=subprocess.PIPE, stderr=stderr, text=True,
            env=dict(os.environ, PYTHONWARNINGS='ignore'))

    def run_failing(self, config):
        proc = self.spawn(config)
        out, err = proc.communicate(timeout=60)
        self.assertEqual(1, proc.returncode, out + err)
        self.assertNotIn('Traceback', out + err)
        lines = [line for line in err.splitlines() if line.strip()]
        self.assertEqual(1, len(lines), err)
        self.assertTrue(lines[0].startswith('console-compute-agent: error:'),
                        err)
        return lines[0]

    def test_missing_inventory(self):
        self.migrate()
        line = self.run_failing(self.write_config())
        self.assertIn(self.inventory, line)

    def test_schema_not_migrated(self):
        with open(self.inventory, 'w') as handle:
            handle.write(INVENTORY)
        line = self.run_failing(self.write_config())
        self.assertIn('db sync', line)

    def test_bad_transport_url(self):
        self.migrate()
        with open(self.inventory, 'w') as handle:
            handle.write(INVENTORY)
        line = self.run_failing(self.write_config('no-scheme'))
        self.assertIn('InvalidTransportURL', line)

    def test_runs_until_sigterm(self):
        self.migrate()
        with open(self.inventory, 'w') as handle:
            handle.write(INVENTORY)
        # oslo.log writes to stdout unless told otherwise.
        proc = self.spawn(self.write_config(), stderr=subprocess.STDOUT)
        self.addCleanup(proc.kill)
        seen = []
        for line in proc.stdout:
            seen.append(line)
            if 'console-compute-agent ready' in line:
                break
        else:
            self.fail('agent did not start: %s' % ''.join(seen))
        proc.send_signal(signal.SIGTERM)
        rest = proc.stdout.read()
        self.assertEqual(0, proc.wait(timeout=30), rest)
        self.assertIn('stopped', rest)
