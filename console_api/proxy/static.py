"""Static files of the browser clients (noVNC, spice-html5) from a web root.

Only regular files under the web root are served: the request path is
normalised, ``..`` is refused, symbolic links must resolve inside the root,
directories are never listed (only their index file is served), and a raw
path starting with ``//`` is refused so that no redirect can point off-site.
"""

import http
import mimetypes
import os
import urllib.parse

from websockets import datastructures
from websockets import http11

INDEX_FILES = ('index.html', 'index.htm')

# Browsers refuse ES modules (noVNC) served with a wrong type, and the
# system's mimetypes table differs between distributions.
_CONTENT_TYPES = {
    '.html': 'text/html; charset=utf-8',
    '.htm': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.mjs': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.json': 'application/json',
    '.svg': 'image/svg+xml',
    '.png': 'image/png',
    '.ico': 'image/x-icon',
    '.oga': 'audio/ogg',
    '.mp3': 'audio/mpeg',
    '.wasm': 'application/wasm',
}

# Larger files are not client assets; refusing them bounds the memory one
# request can take.
MAX_FILE_SIZE = 8 * 1024 * 1024


class StaticError(Exception):
    """A request the web root cannot answer with a file."""

    def __init__(self, status, headers=()):
        super().__init__(status.phrase)
        self.status = status
        self.headers = list(headers)


def content_type(path):
    """Return the ``Content-Type`` for the file at ``path``."""
    ext = os.path.splitext(path)[1].lower()
    if ext in _CONTENT_TYPES:
        return _CONTENT_TYPES[ext]
    guessed, _encoding = mimetypes.guess_type(path)
    return guessed or 'application/octet-stream'


def resolve(web_root, raw_path):
    """Map a request path to a file under ``web_root``.

    :param raw_path: the request target as sent, query string included
        (and ignored).
    :returns: the real path of the file to serve.
    :raises StaticError: 400 for ``//`` or ``..`` paths, 404 for anything
        missing, outside the root or a directory without index file, 301
        (with ``Location``) for a directory named without trailing slash.
    """
    path = raw_path.split('?', 1)[0].split('#', 1)[0]
    if path.startswith('//') or not path.startswith('/'):
        raise StaticError(http.HTTPStatus.BAD_REQUEST)
    segments = urllib.parse.unquote(path).split('/')
    if any(segment == '..' or '\0' in segment or '\\' in segment
           for segment in segments):
        raise StaticError(http.HTTPStatus.BAD_REQUEST)
    root = os.path.realpath(web_root)
    candidate = os.path.realpath(
        os.path.join(root, *[s for s in segments if s not in ('', '.')]))
    if candidate != root and not candidate.startswith(root + os.sep):
        raise StaticError(http.HTTPStatus.NOT_FOUND)
    if os.path.isdir(candidate):
        if not path.endswith('/'):
            raise StaticError(http.HTTPStatus.MOVED_PERMANENTLY,
                              [('Location', path + '/')])
        for name in INDEX_FILES:
            index = os.path.join(candidate, name)
            if os.path.isfile(index):
                return index
        raise StaticError(http.HTTPStatus.NOT_FOUND)
    if not os.path.isfile(candidate):
        raise StaticError(http.HTTPStatus.NOT_FOUND)
    return candidate


def read_file(path):
    """Return the bytes of ``path``; blocking, run it off the event loop.

    :raises StaticError: 404 if it cannot be read or is too large.
    """
    try:
        with open(path, 'rb') as f:
            data = f.read(MAX_FILE_SIZE + 1)
    except OSError:
        raise StaticError(http.HTTPStatus.NOT_FOUND)
    if len(data) > MAX_FILE_SIZE:
        raise StaticError(http.HTTPStatus.NOT_FOUND)
    return data


def response(status, body=b'', content_type_value=None, headers=()):
    """Build a complete HTTP response that closes the connection."""
    all_headers = datastructures.Headers()
    if content_type_value:
        all_headers['Content-Type'] = content_type_value
    all_headers['Content-Length'] = str(len(body))
    all_headers['Connection'] = 'close'
    for name, value in headers:
        all_headers[name] = value
    return http11.Response(status.value, status.phrase, all_headers, body)


def error_response(status, headers=()):
    """Build a short plain-text error response."""
    body = ('%d %s\n' % (status.value, status.phrase)).encode('ascii')
    return response(status, body, 'text/plain; charset=utf-8', headers)
