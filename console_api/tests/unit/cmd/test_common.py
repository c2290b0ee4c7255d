"""Unit tests of what every command shares: the one-line error."""

import fixtures
import testtools

from console_api.cmd import common
from console_api import exception


class RunTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.stderr = self.useFixture(fixtures.StringStream('stderr')).stream
        self.useFixture(fixtures.MonkeyPatch('sys.stderr', self.stderr))

    def run_body(self, error):
        def body():
            raise error
        status = common.run('console-test', body)
        self.stderr.seek(0)
        return status, self.stderr.read()

    def test_error_is_one_line_naming_a_library_error(self):
        self.assertEqual(
            (1, 'console-test: error: OSError: [Errno 98] in use\n'),
            self.run_body(OSError(98, 'in use')))

    def test_console_api_error_is_its_message(self):
        self.assertEqual(
            (1, 'console-test: error: Configuration error: no proxy\n'),
            self.run_body(exception.ConfigurationError(reason='no proxy')))

    def test_interrupt_is_a_clean_exit(self):
        self.assertEqual((0, ''), self.run_body(KeyboardInterrupt()))

    def test_body_status_is_returned(self):
        self.assertEqual(3, common.run('console-test', lambda: 3))


class DescribeTest(testtools.TestCase):

    def test_first_line_only(self):
        self.assertEqual('RuntimeError: one',
                         common.describe(RuntimeError('one\ntwo')))

    def test_url_passwords_hidden(self):
        self.assertEqual(
            'ValueError: rabbit://guest:***@h:5672/ and '
            'mysql+pymysql://u:***@db/x',
            common.describe(ValueError(
                'rabbit://guest:s3cr/t@h:5672/ and '
                'mysql+pymysql://u:pw@db/x')))
