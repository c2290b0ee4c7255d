"""JSON-schema validation of request bodies and query strings.

Messages follow Nova's wording, so clients and tests that match on them keep
working: ``Invalid input for field/attribute <field>. Value: <value>.
<reason>`` for a nested field (its innermost name), the bare reason at the
top level.
"""

import jsonschema

from console_api import exception


def _validator(schema):
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def query_lists(req):
    """The query string as ``{name: [values]}``.

    :raises ValidationError: it is not UTF-8 (webob cannot decode it).
    """
    try:
        return req.GET.dict_of_lists()
    except UnicodeDecodeError:
        raise exception.ValidationError(
            detail='The query string is not valid UTF-8.')


class Validator(object):
    """A compiled schema that raises ``ValidationError`` on bad input."""

    def __init__(self, schema):
        self._validator = _validator(schema)

    def validate(self, instance):
        """Validate ``instance``; return it unchanged when valid."""
        error = jsonschema.exceptions.best_match(
            self._validator.iter_errors(instance))
        if error is None:
            return instance
        if error.path:
            # Nova names only the innermost field (``protocol``, not
            # ``remote_console/protocol``); clients match on that text. An
            # item of a list (a repeated query parameter) is named by its
            # list, not by its index.
            field = next((part for part in reversed(error.path)
                          if isinstance(part, str)), error.path[-1])
            detail = ('Invalid input for field/attribute %(field)s. Value: '
                      '%(value)s. %(reason)s' % {
                          'field': field, 'value': error.instance,
                          'reason': error.message})
        else:
            detail = error.message
        raise exception.ValidationError(detail=detail)


class VersionedValidators(object):
    """Pick the schema for a request's microversion.

    ``ranges`` is a list of ``(min_version, max_version_or_None, schema)``;
    each schema is compiled once.
    """

    def __init__(self, ranges):
        self._ranges = [(low, high, Validator(schema))
                        for low, high, schema in ranges]

    def validate(self, version, instance):
        for low, high, validator in self._ranges:
            if version >= low and (high is None or version <= high):
                return validator.validate(instance)
        raise LookupError('no schema covers version %s' % (version,))
