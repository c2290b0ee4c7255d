"""The database-backed validator's input checks and log identifiers."""

import asyncio

import fixtures
from oslo_db import exception as db_exc
import testtools

from console_api.console import tokens
from console_api.proxy import validator

TOKEN = '0c9e4f4c-5a0e-4d8b-9a57-5b0a39a2f0f1'


class ValidatorTest(testtools.TestCase):

    def test_malformed_token_never_reaches_database(self):
        lookups = []
        v = validator.TokenValidator(max_workers=1)
        self.addCleanup(v.close)
        self.useFixture(fixtures.MonkeyPatch(
            'console_api.proxy.validator.TokenValidator._lookup',
            lambda self, token_hash: lookups.append(token_hash)))
        for junk in ('', 'bad' + TOKEN, "' or 1=1 --", 'x' * 5000):
            error = self.assertRaises(validator.TokenRejected, asyncio.run,
                                      v.validate(junk))
            self.assertEqual('malformed token', error.reason)
        self.assertEqual([], lookups)
        asyncio.run(v.validate(TOKEN))
        self.assertEqual([tokens.hash_token(TOKEN)], lookups)

    def test_log_id_hides_token(self):
        shown = validator.log_id(TOKEN)
        self.assertNotIn(TOKEN, shown)
        self.assertEqual('sha256:' + tokens.hash_token(TOKEN)[:8], shown)
        self.assertEqual('<none>', validator.log_id(None))

    def test_rejection_is_invalid_token(self):
        error = validator.TokenRejected('expired')
        self.assertIsInstance(error, validator.exception.InvalidToken)
        self.assertEqual('expired', str(error))

    def test_database_error_hides_hash(self):
        def fail(self, token_hash):
            raise db_exc.DBError('SELECT ... [parameters: (%r,)]'
                                 % token_hash)
        v = validator.TokenValidator(max_workers=1)
        self.addCleanup(v.close)
        self.useFixture(fixtures.MonkeyPatch(
            'console_api.proxy.validator.TokenValidator._rows', fail))
        error = self.assertRaises(validator.ValidatorUnavailable,
                                  asyncio.run, v.validate(TOKEN))
        self.assertNotIn(tokens.hash_token(TOKEN)[8:], str(error))
        self.assertEqual('database error DBError', str(error))
