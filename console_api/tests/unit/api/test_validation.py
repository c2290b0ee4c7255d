"""Unit tests of ``console_api.api.validation`` messages."""

import testtools

from console_api.api import microversion
from console_api.api.schemas import console_sessions
from console_api.api.schemas import remote_consoles
from console_api.api import validation
from console_api import exception


def message_of(validator, instance, *args):
    error = None
    try:
        validator.validate(*(args + (instance,)))
    except exception.ValidationError as exc:
        error = exc
    if error is None:
        raise AssertionError('%r was accepted' % (instance,))
    assert error.code == 400
    return error.format_message()


class ValidatorTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.validator = validation.Validator(
            remote_consoles.create(microversion.REMOTE_CONSOLES))

    def test_valid_instance_returned(self):
        body = {'remote_console': {'protocol': 'vnc', 'type': 'novnc'}}
        self.assertIs(body, self.validator.validate(body))

    def test_top_level_message_is_bare(self):
        self.assertEqual("'remote_console' is a required property",
                         message_of(self.validator, {}))
        self.assertEqual("None is not of type 'object'",
                         message_of(self.validator, None))

    def test_nested_message_names_innermost_field(self):
        self.assertEqual(
            "Invalid input for field/attribute protocol. Value: ftp. 'ftp' "
            "is not one of ['vnc', 'spice', 'serial', 'rdp']",
            message_of(self.validator, {'remote_console': {
                'protocol': 'ftp', 'type': 'novnc'}}))

    def test_nested_required(self):
        self.assertEqual(
            "Invalid input for field/attribute remote_console. Value: {}. "
            "'protocol' is a required property",
            message_of(self.validator, {'remote_console': {}}))

    def test_additional_properties(self):
        self.assertEqual(
            "Additional properties are not allowed ('x' was unexpected)",
            message_of(self.validator, {
                'remote_console': {'protocol': 'vnc', 'type': 'novnc'},
                'x': 1}))

    def test_legacy_action_schema(self):
        validator = validation.Validator(
            remote_consoles.action('os-getSerialConsole'))
        self.assertEqual(
            "Invalid input for field/attribute type. Value: novnc. 'novnc' "
            "is not one of ['serial']",
            message_of(validator, {'os-getSerialConsole': {'type': 'novnc'}}))


class QueryValidatorTest(testtools.TestCase):
    """Query strings validated as lists of values per parameter."""

    def setUp(self):
        super().setUp()
        self.validator = validation.Validator(console_sessions.index_query)

    def test_repeated_parameters(self):
        query = {'status': ['issued', 'active'], 'limit': ['5', '10'],
                 'changes-since': ['2030-01-01T00:00:00Z']}
        self.assertIs(query, self.validator.validate(query))

    def test_list_item_named_by_its_parameter(self):
        self.assertEqual(
            "Invalid input for field/attribute status. Value: open. 'open' "
            "is not one of ['issued', 'active', 'closed', 'expired', "
            "'revoked']",
            message_of(self.validator, {'status': ['active', 'open']}))
        self.assertIn('field/attribute limit. Value: -1.',
                      message_of(self.validator, {'limit': ['-1']}))

    def test_unknown_parameter(self):
        self.assertEqual(
            "Additional properties are not allowed ('sort_key' was "
            "unexpected)",
            message_of(self.validator, {'sort_key': ['id']}))


class VersionedValidatorsTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        v = microversion.parse
        self.validators = validation.VersionedValidators([
            (v('2.6'), v('2.7'), remote_consoles.create(v('2.6'))),
            (v('2.8'), v('2.98'), remote_consoles.create(v('2.8'))),
            (v('2.99'), None, remote_consoles.create(v('2.99'))),
        ])

    def body(self, protocol, console_type):
        return {'remote_console': {'protocol': protocol,
                                   'type': console_type}}

    def test_schema_per_range(self):
        v = microversion.parse
        mks = self.body('mks', 'webmks')
        direct = self.body('spice', 'spice-direct')
        message_of(self.validators, mks, v('2.7'))
        self.assertIs(mks, self.validators.validate(v('2.8'), mks))
        self.assertIs(mks, self.validators.validate(v('2.104'), mks))
        message_of(self.validators, direct, v('2.98'))
        self.assertIs(direct, self.validators.validate(v('2.99'), direct))

    def test_version_outside_every_range(self):
        self.assertRaises(LookupError, self.validators.validate,
                          microversion.parse('2.5'), self.body('vnc', 'novnc'))
