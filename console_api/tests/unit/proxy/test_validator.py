"""The proxy's validator: the console-auth rule, off the event loop."""

import asyncio

from oslo_db import exception as db_exc
import testtools

from console_api.console import auth
from console_api.console import tokens
from console_api.proxy import validator

TOKEN = '0c9e4f4c-5a0e-4d8b-9a57-5b0a39a2f0f1'


class FakeConsoleAuth(object):
    """Answers or raises what it is told; records the tokens it saw."""

    def __init__(self, answer=None, error=None):
        self.answer = answer
        self.error = error
        self.seen = []

    def validate(self, context, token):
        self.seen.append(token)
        if self.error is not None:
            raise self.error
        return self.answer


class ValidatorTest(testtools.TestCase):

    def make(self, console_auth):
        v = validator.TokenValidator(console_auth, max_workers=1)
        self.addCleanup(v.close)
        return v

    def test_answer_of_console_auth(self):
        console_auth = FakeConsoleAuth(answer='info')
        self.assertEqual('info',
                         asyncio.run(self.make(console_auth).validate(TOKEN)))
        self.assertEqual([TOKEN], console_auth.seen)

    def test_rejection_passes_through(self):
        v = self.make(FakeConsoleAuth(error=auth.TokenRejected('expired')))
        error = self.assertRaises(auth.TokenRejected, asyncio.run,
                                  v.validate(TOKEN))
        self.assertEqual('expired', str(error))

    def test_database_error_hides_hash(self):
        token_hash = tokens.hash_token(TOKEN)
        v = self.make(FakeConsoleAuth(error=db_exc.DBError(
            'SELECT ... [parameters: (%r,)]' % token_hash)))
        error = self.assertRaises(validator.ValidatorUnavailable,
                                  asyncio.run, v.validate(TOKEN))
        self.assertNotIn(token_hash[8:], str(error))
        self.assertEqual('database error DBError', str(error))
