"""Domain exceptions: messages and HTTP codes."""

import testtools

from console_api import exception


class ExceptionTest(testtools.TestCase):

    def test_message_from_template(self):
        error = exception.InstanceNotFound(instance_id='abc')
        self.assertEqual('Instance abc could not be found.',
                         error.format_message())
        self.assertEqual(404, error.code)

    def test_explicit_message_wins(self):
        self.assertEqual('custom', exception.Invalid('custom')
                         .format_message())

    def test_bad_template_arguments_keep_template(self):
        error = exception.InstanceNotFound(wrong='x')
        self.assertIn('%(instance_id)s', error.format_message())

    def test_codes_of_the_contract(self):
        for cls, code in ((exception.ConsoleTypeInvalid, 400),
                          (exception.ConsoleTypeUnavailable, 400),
                          (exception.PolicyNotAuthorized, 403),
                          (exception.ConsoleTypeNotAccessible, 401),
                          (exception.InvalidToken, 404),
                          (exception.InstanceNotReady, 409),
                          (exception.InstanceInvalidState, 409),
                          (exception.InstanceNotRunning, 409),
                          (exception.ComputeHostDown, 409),
                          (exception.ConsoleNotSupported, 501),
                          (exception.ComputeAgentTimeout, 503)):
            self.assertEqual(code, cls.code, cls.__name__)

    def test_invalid_token_never_names_the_token(self):
        self.assertEqual('Token not found',
                         exception.InvalidToken().format_message())
