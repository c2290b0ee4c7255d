"""Microversions of the compute API, as features and as a middleware.

The console resources change at four versions, named here so code reads as
features. Every version up to ``MAX_VERSION`` is accepted so that clients
pinned to a current compute version work unchanged.

The middleware reads ``OpenStack-API-Version: compute X.Y`` (or the legacy
``X-OpenStack-Nova-API-Version``), answers 400 for a malformed version and 406
for one out of range, stores the result in the WSGI environ and stamps the
version headers on every response below it.
"""

import re

import microversion_parse
import webob.dec

from console_api.api import faults
from console_api.api import middleware
from console_api.console import types as console_types
from console_api import exception
from console_api.i18n import _

SERVICE_TYPE = 'compute'
LEGACY_HEADER = 'X-OpenStack-Nova-API-Version'
STANDARD_HEADER = 'OpenStack-API-Version'
ENVIRON_KEY = 'console_api.microversion'

Version = microversion_parse.Version

MIN_VERSION = Version(2, 1)
MAX_VERSION = Version(2, 104)

#: The unified ``POST /servers/{id}/remote-consoles``; the legacy actions end.
REMOTE_CONSOLES = Version(2, 6)
#: ``mks`` protocol and ``webmks`` type (2.8, set by its registry row).
MKS_CONSOLE = console_types.get('webmks').min_version
#: ``GET /os-console-auth-tokens`` answers for every console type.
AUTH_TOKENS_ALL_TYPES = Version(2, 31)
#: ``spice-direct`` type (2.99), ``tls_port`` in token details, strict query.
SPICE_DIRECT = console_types.get('spice-direct').min_version

# Nova's format: no leading zeros in the minor, no signs, no spaces.
_VERSION_RE = re.compile(r'^([1-9]\d*)\.([1-9]\d*|0)$')


def parse(version_string):
    """Turn ``'2.6'`` or ``'latest'`` into a ``Version``.

    :raises InvalidAPIVersionString: for anything else.
    """
    if version_string == 'latest':
        return MAX_VERSION
    match = _VERSION_RE.match(version_string or '')
    if not match:
        raise exception.InvalidAPIVersionString(version=version_string)
    return Version(int(match.group(1)), int(match.group(2)))


def requested(req):
    """Return the microversion negotiated for ``req`` (2.1 when unset)."""
    return req.environ.get(ENVIRON_KEY, MIN_VERSION)


def is_supported(req, min_version, max_version=None):
    """Tell whether the request's version lies in the given range."""
    version = requested(req)
    if version < min_version:
        return False
    return max_version is None or version <= max_version


def version_headers(version):
    """Response headers that echo ``version`` (a ``Version``)."""
    text = str(version)
    return [
        (STANDARD_HEADER, '%s %s' % (SERVICE_TYPE, text)),
        (LEGACY_HEADER, text),
        ('Vary', STANDARD_HEADER),
        ('Vary', LEGACY_HEADER),
    ]


class MicroversionMiddleware(middleware.Middleware):
    """Negotiate the microversion of every request below it."""

    @webob.dec.wsgify
    def __call__(self, req):
        raw = microversion_parse.get_version(
            req.headers, SERVICE_TYPE, legacy_headers=[LEGACY_HEADER])
        try:
            version = parse(raw) if raw is not None else MIN_VERSION
        except exception.InvalidAPIVersionString as exc:
            # No version headers: there is no version to echo.
            return faults.fault_response(exc.code, exc.format_message())
        if not MIN_VERSION <= version <= MAX_VERSION:
            response = faults.fault_response(
                406,
                _('Version %(version)s is not supported by the API. Minimum '
                  'is %(min)s and maximum is %(max)s.') % {
                    'version': raw, 'min': MIN_VERSION, 'max': MAX_VERSION})
            self._stamp(response, version)
            return response
        req.environ[ENVIRON_KEY] = version
        response = req.get_response(self.application)
        self._stamp(response, version)
        return response

    @staticmethod
    def _stamp(response, version):
        for name, value in version_headers(version):
            if name == 'Vary':
                response.headerlist.append((name, value))
            else:
                response.headers[name] = value
