"""Where the black-box suite finds the cloud under test and how it logs in.

Every setting comes from an environment variable
``CONSOLE_API_BLACKBOX_<NAME>`` or, when ``CONSOLE_API_BLACKBOX_CONFIG``
names an ini file, from its ``[blackbox]`` section (``<name>`` in lower
case); the environment wins. Settings:

``endpoint``
    The compute API's root URL, e.g. ``http://127.0.0.1:8774`` (a trailing
    ``/v2.1`` is accepted). Without it the whole suite is skipped.
``auth``
    ``noauth2`` (default) or ``keystone``.
``user``, ``project``, ``admin_user``, ``admin_project``
    noauth2 identities (``X-Auth-Token: user:project``).
``auth_url``, ``username``, ``password``, ``project_name``,
``user_domain_name``, ``project_domain_name``, ``admin_username``,
``admin_password``, ``admin_project_name``, ``verify``
    Keystone (v3 password) credentials of a project member and an admin.
``server_id``
    A running server of the member's project with a VNC console. Required.
``other_server_id``
    A server of another project (optional; ownership tests skip without).
``stopped_server_id``
    A shut-off server of the member's project (optional).
``console_protocols``
    Comma-separated protocols ``server_id`` offers besides ``vnc``
    (``spice``, ``serial``, ``rdp``, ``mks``); default ``vnc``.
"""

import configparser
import os

ENV_PREFIX = 'CONSOLE_API_BLACKBOX_'
FILE_ENV = ENV_PREFIX + 'CONFIG'
SECTION = 'blackbox'

DEFAULTS = {
    'auth': 'noauth2',
    'user': 'demo',
    'admin_user': 'admin',
    'admin_project': 'admin',
    'user_domain_name': 'Default',
    'project_domain_name': 'Default',
    'verify': 'true',
    'console_protocols': 'vnc',
}


class NotConfigured(Exception):
    """The suite lacks a setting it needs; the message names it."""


class Config(object):
    """Settings of one black-box run.

    :param values: mapping of setting name to string; missing names fall
        back to ``DEFAULTS``.
    """

    def __init__(self, values):
        self._values = dict(DEFAULTS)
        self._values.update({k: v for k, v in values.items() if v})

    def get(self, name, default=None):
        return self._values.get(name, default)

    def require(self, *names):
        """Return the settings ``names``; raise ``NotConfigured`` if unset."""
        missing = [n for n in names if not self._values.get(n)]
        if missing:
            raise NotConfigured(
                'black-box suite: set %s (or %s in the [%s] section of the '
                'file named by %s)' % (
                    ', '.join(ENV_PREFIX + n.upper() for n in missing),
                    ', '.join(missing), SECTION, FILE_ENV))
        values = [self._values[n] for n in names]
        return values[0] if len(values) == 1 else values

    @property
    def endpoint(self):
        """The API root URL without a version suffix or trailing slash."""
        url = self.require('endpoint').rstrip('/')
        if url.endswith('/v2.1'):
            url = url[:-len('/v2.1')]
        return url

    @property
    def protocols(self):
        names = {p.strip() for p in self.get('console_protocols').split(',')}
        return sorted(p for p in names | {'vnc'} if p)

    @property
    def verify(self):
        value = self.get('verify')
        if value.lower() in ('false', '0', 'no'):
            return False
        if value.lower() in ('true', '1', 'yes'):
            return True
        return value  # a CA bundle path


def load(environ=None):
    """Read the settings from ``environ`` (default ``os.environ``)."""
    environ = os.environ if environ is None else environ
    values = {}
    path = environ.get(FILE_ENV)
    if path:
        parser = configparser.ConfigParser()
        if not parser.read(path):
            raise NotConfigured('%s=%s: cannot read that file'
                                % (FILE_ENV, path))
        if parser.has_section(SECTION):
            values.update(parser.items(SECTION))
    for key, value in environ.items():
        if key.startswith(ENV_PREFIX) and key != FILE_ENV:
            values[key[len(ENV_PREFIX):].lower()] = value
    return Config(values)
