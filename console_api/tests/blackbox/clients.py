"""Small HTTP clients for the compute console API, one per resource.

They speak HTTP only (``requests``), know nothing of console-api's code and
return every response, successful or not, as a ``Response``; the tests
decide what is expected.
"""

import json
import urllib.parse

import requests

DEFAULT_TIMEOUT = 30


class Response(object):
    """One HTTP answer.

    ``status``, ``headers`` (case-insensitive), ``body`` (decoded JSON, or
    ``None`` when the body is empty or not JSON) and ``text``.
    """

    def __init__(self, raw):
        self.raw = raw
        self.status = raw.status_code
        self.headers = raw.headers
        self.text = raw.text
        try:
            self.body = json.loads(raw.text) if raw.text else None
        except ValueError:
            self.body = None

    def __repr__(self):
        return '<Response %s %s>' % (self.status, self.text[:200])


class NoAuth2Token(object):
    """``X-Auth-Token: user:project`` for a ``noauth2`` pipeline."""

    def __init__(self, user, project=None):
        self.user = user
        self.project = project or user

    def token(self):
        return '%s:%s' % (self.user, self.project)


class KeystoneToken(object):
    """A Keystone v3 password token, renewed by keystoneauth when needed."""

    def __init__(self, auth_url, username, password, project_name,
                 user_domain_name='Default', project_domain_name='Default',
                 verify=True):
        from keystoneauth1.identity import v3
        from keystoneauth1 import session
        auth = v3.Password(auth_url=auth_url, username=username,
                           password=password, project_name=project_name,
                           user_domain_name=user_domain_name,
                           project_domain_name=project_domain_name)
        self._session = session.Session(auth=auth, verify=verify)

    def token(self):
        return self._session.get_token()

    @property
    def project_id(self):
        return self._session.get_project_id()


class RestClient(object):
    """Sends requests below ``endpoint`` with a token and a microversion.

    :param endpoint: API root URL, e.g. ``http://127.0.0.1:8774``.
    :param credentials: an object with ``token()`` (``NoAuth2Token`` or
        ``KeystoneToken``), or ``None`` for unauthenticated requests.
    """

    def __init__(self, endpoint, credentials=None, verify=True,
                 timeout=DEFAULT_TIMEOUT):
        self.endpoint = endpoint.rstrip('/')
        self.credentials = credentials
        self.verify = verify
        self.timeout = timeout
        self._http = requests.Session()

    def request(self, method, path, body=None, version=None, headers=None,
                auth=True, raw_body=None, params=None,
                legacy_version_header=False):
        """Send one request; return a ``Response`` whatever its status.

        :param path: path below the endpoint, starting with ``/``.
        :param version: microversion sent in ``OpenStack-API-Version`` (or
            in ``X-OpenStack-Nova-API-Version`` when
            ``legacy_version_header``); ``None`` sends none.
        :param auth: send ``X-Auth-Token`` from the credentials.
        """
        send = {'Accept': 'application/json'}
        if auth and self.credentials is not None:
            send['X-Auth-Token'] = self.credentials.token()
        if version is not None:
            if legacy_version_header:
                send['X-OpenStack-Nova-API-Version'] = version
            else:
                send['OpenStack-API-Version'] = 'compute %s' % version
        data = raw_body
        if body is not None:
            data = json.dumps(body)
        if data is not None:
            send['Content-Type'] = 'application/json'
        send.update(headers or {})
        raw = self._http.request(method, self.endpoint + path, data=data,
                                 headers=send, params=params,
                                 verify=self.verify, timeout=self.timeout,
                                 allow_redirects=False)
        return Response(raw)

    def close(self):
        self._http.close()


class VersionsClient(RestClient):
    """``GET /`` and ``GET /v2.1/``."""

    def list_versions(self):
        return self.request('GET', '/', auth=False)

    def show_version(self, path='/v2.1/'):
        return self.request('GET', path, auth=False)


class ServersClient(RestClient):
    """Read-only servers and their consoles."""

    def list_servers(self, detail=False, version=None, **params):
        path = '/v2.1/servers/detail' if detail else '/v2.1/servers'
        return self.request('GET', path, version=version, params=params)

    def show_server(self, server_id, version=None):
        return self.request('GET', '/v2.1/servers/%s' % _quote(server_id),
                            version=version)

    def get_remote_console(self, server_id, protocol, console_type,
                           version='2.6', **kwargs):
        """``POST /servers/{id}/remote-consoles`` (2.6 and later)."""
        body = {'remote_console': {'protocol': protocol,
                                   'type': console_type}}
        return self.request(
            'POST', '/v2.1/servers/%s/remote-consoles' % _quote(server_id),
            body=body, version=version, **kwargs)

    def server_action(self, server_id, action, console_type, version=None,
                      **kwargs):
        """A legacy console action, e.g. ``os-getVNCConsole`` (2.1-2.5)."""
        return self.request(
            'POST', '/v2.1/servers/%s/action' % _quote(server_id),
            body={action: {'type': console_type}}, version=version,
            **kwargs)


class ConsoleAuthTokensClient(RestClient):
    """``GET /os-console-auth-tokens/{token}``."""

    def show_console_auth_token(self, token, version='2.31', params=None):
        return self.request(
            'GET', '/v2.1/os-console-auth-tokens/%s' % _quote(token),
            version=version, params=params)


class ConsoleSessionsClient(RestClient):
    """console-api's ``/os-console-sessions`` extension."""

    def list_console_sessions(self, version=None, params=None):
        """``GET /os-console-sessions``; ``params`` may hold lists."""
        return self.request('GET', '/v2.1/os-console-sessions',
                            version=version, params=params)

    def show_console_session(self, session_id, version=None):
        return self.request(
            'GET', '/v2.1/os-console-sessions/%s' % _quote(session_id),
            version=version)

    def delete_console_session(self, session_id, version=None):
        return self.request(
            'DELETE', '/v2.1/os-console-sessions/%s' % _quote(session_id),
            version=version)

    def delete_server_console_sessions(self, server_id, version=None):
        return self.request(
            'DELETE', '/v2.1/servers/%s/os-console-sessions'
            % _quote(server_id), version=version)


def _quote(value):
    return urllib.parse.quote(str(value), safe='')


def token_from_url(url):
    """The console token inside an access URL.

    noVNC URLs carry it inside the ``path`` query parameter
    (``?path=%3Ftoken%3D...``); the others as ``?token=...``.

    :raises ValueError: the URL holds no token.
    """
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    if 'token' in query:
        return query['token'][0]
    if 'path' in query:
        inner = urllib.parse.urlsplit(query['path'][0]).query
        found = urllib.parse.parse_qs(inner).get('token')
        if found:
            return found[0]
    raise ValueError('no console token in %s' % url)
