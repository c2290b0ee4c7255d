"""Shared checks for the API functional tests: tempest schemas, tokens."""

import re
import threading
import urllib.parse

import jsonschema
from oslo_serialization import jsonutils
import sqlalchemy as sa
from tempest.lib.api_schema.response.compute.v2_1 import servers as v2_1
from tempest.lib.api_schema.response.compute.v2_6 import servers as v2_6
from tempest.lib.api_schema.response.compute.v2_8 import servers as v2_8
from tempest.lib.api_schema.response.compute.v2_99 import servers as v2_99
from tempest.lib.common import jsonschema_validator

from console_api.api import microversion

UUID_RE = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}'
REQUEST_ID_RE = re.compile(r'^req-%s$' % UUID_RE)

LEGACY_CONSOLE = v2_1.get_vnc_console
CONSOLE_AUTH_TOKEN_V299 = v2_99.console_auth_tokens


def validate(testcase, schema, response):
    """Check a webob response the way tempest's rest client does."""
    testcase.assertIn(response.status_int, schema['status_code'],
                      response.body)
    body = jsonutils.loads(response.body)
    jsonschema.validate(
        body, schema['response_body'],
        cls=jsonschema_validator.JSONSCHEMA_VALIDATOR,
        format_checker=jsonschema_validator.FORMAT_CHECKER)
    return body


def remote_console_schema(version):
    """Tempest's ``get_remote_consoles`` schema for ``version`` (X.Y)."""
    version = microversion.parse(version)
    if version >= microversion.SPICE_DIRECT:
        return v2_99.get_remote_consoles
    if version >= microversion.MKS_CONSOLE:
        return v2_8.get_remote_consoles
    return v2_6.get_remote_consoles


def token_from_url(url):
    """The token of an access URL, in either of its two forms."""
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
    if 'token' in query:
        return query['token']
    inner = urllib.parse.urlsplit(query['path']).query
    return dict(urllib.parse.parse_qsl(inner))['token']


def sql_statements(testcase):
    """A list that collects the SQL this thread sends from now on.

    Only the calling thread's statements: the agent's heartbeats and syncs
    run in threads of their own.
    """
    statements = []
    thread = threading.get_ident()

    def record(_connection, _cursor, statement, *_args):
        if threading.get_ident() == thread:
            statements.append(statement)

    sa.event.listen(sa.engine.Engine, 'before_cursor_execute', record)
    testcase.addCleanup(sa.event.remove, sa.engine.Engine,
                        'before_cursor_execute', record)
    return statements
