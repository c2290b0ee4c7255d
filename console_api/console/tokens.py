"""Console tokens: how they are made, hashed and put into access URLs.

A token is a random UUID4 handed to the user once; only its SHA-256 is ever
stored, so a database dump opens no console. The hash is also what logs may
show.
"""

import hashlib
import urllib.parse
import uuid

from console_api.console import types as console_types

# The longest token the API and proxies will even hash: a UUID string.
MAX_TOKEN_LENGTH = 36
# Hex digits of a token's hash that logs may show: enough to correlate
# with the database row, useless for opening a console.
LOG_HASH_LENGTH = 8


def generate():
    """Return a new random token (lower-case UUID4 with hyphens)."""
    return str(uuid.uuid4())


def hash_token(token):
    """Return the hex SHA-256 of ``token``, the only form ever stored."""
    return hashlib.sha256(token.encode('utf-8')).hexdigest()


def log_form(token_hash):
    """Return the only form of a token a log line may show."""
    return 'sha256:%s' % token_hash[:LOG_HASH_LENGTH]


def log_id(token):
    """Return ``log_form`` of a presented token (``<none>`` when absent)."""
    return log_form(hash_token(token)) if token else '<none>'


def looks_valid(token):
    """Tell whether ``token`` has the shape of a token this service issues.

    Cheap input check before any hashing or database work: anything longer
    than a UUID string, or not one in canonical lower-case form, cannot be
    one of ours.
    """
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return False
    try:
        return str(uuid.UUID(token)) == token
    except ValueError:
        return False


def access_url(console_type, base_url, token):
    """Build the URL a user opens for ``console_type``.

    noVNC 1.1 and later read the websocket path from the ``path`` query
    parameter, so for ``novnc`` the token goes inside ``path`` (keeping any
    path the operator configured and every other parameter). Every other type
    gets ``?token=<token>`` appended to the base as it is.
    """
    if not console_types.get(console_type).novnc_path:
        return '%s?token=%s' % (base_url, token)
    parts = urllib.parse.urlsplit(base_url)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    if not any(key == 'path' for key, _value in query):
        query.append(('path', ''))
    # The token joins the configured path where that parameter stands.
    query = [(key, '%s?token=%s' % (value, token) if key == 'path' else value)
             for key, value in query]
    return urllib.parse.urlunsplit(
        parts._replace(query=urllib.parse.urlencode(query)))


def from_url(url):
    """Return the token inside an access URL made by ``access_url``.

    :returns: the token, or ``None`` when the URL holds none.
    """
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
    if 'token' not in query and 'path' in query:
        query = dict(urllib.parse.parse_qsl(
            urllib.parse.urlsplit(query['path']).query))
    return query.get('token')
