"""A small client of console-api's console-session routes.

It sends requests with the keystoneauth session of openstackclient's client
manager to the compute endpoint, so it authenticates however the CLI does
(a Keystone token, or ``admin_token``). Errors come back in the compute
API's fault body and are raised as osc-lib exceptions with its message.
"""

import re
import urllib.parse

from osc_lib import exceptions

SERVICE_TYPE = 'compute'
# An endpoint that names no API version is the service's root: the
# session routes live below /v2.1 (or /v2.1/{project_id}).
_VERSIONED = re.compile(r'/v2(\.\d+)?(/|$)')


def versioned(endpoint):
    """The compute endpoint with ``/v2.1`` appended when it has none."""
    endpoint = endpoint.rstrip('/')
    if _VERSIONED.search(urllib.parse.urlsplit(endpoint).path):
        return endpoint
    return endpoint + '/v2.1'


def _message(response):
    try:
        body = response.json()
        fault = next(iter(body.values()))
        return fault['message']
    except (ValueError, AttributeError, StopIteration, KeyError, TypeError):
        return response.text or response.reason


class ConsoleClient(object):
    """Console sessions of one compute endpoint.

    :param session: a ``keystoneauth1.session.Session``.
    :param endpoint: the compute endpoint URL (with or without ``/v2.1``).
    """

    def __init__(self, session, endpoint):
        if not endpoint:
            raise exceptions.CommandError(
                'No compute endpoint: the catalog has none, and no '
                '--os-endpoint or --os-compute-endpoint-override was given')
        self.session = session
        self.endpoint = versioned(endpoint)

    def _request(self, method, path, params=None):
        response = self.session.request(
            self.endpoint + path, method, params=params, raise_exc=False,
            headers={'Accept': 'application/json'})
        if response.status_code == 404:
            raise exceptions.NotFound(404, _message(response))
        if response.status_code >= 400:
            raise exceptions.CommandError(
                '%s (HTTP %s)' % (_message(response), response.status_code))
        return response.json() if response.content else None

    def list_sessions(self, **filters):
        """``GET /os-console-sessions``; ``status`` may be a list.

        :returns: the session dicts, newest first.
        """
        params = [(key, value) for key, values in sorted(filters.items())
                  if values is not None
                  for value in (values if isinstance(values, list)
                                else [values])]
        return self._request('GET', '/os-console-sessions',
                             params=params)['console_sessions']

    def get_session(self, session_id):
        return self._request(
            'GET', '/os-console-sessions/%s' % _quote(session_id))[
            'console_session']

    def delete_session(self, session_id):
        self._request('DELETE',
                      '/os-console-sessions/%s' % _quote(session_id))

    def delete_server_sessions(self, server_id):
        self._request('DELETE', '/servers/%s/os-console-sessions'
                      % _quote(server_id))

    def find_server(self, name_or_id, all_projects=False):
        """Return the id of the server with this id or (unique) name.

        :raises osc_lib.exceptions.CommandError: none, or several.
        """
        try:
            return self._request('GET', '/servers/%s'
                                 % _quote(name_or_id))['server']['id']
        except exceptions.NotFound:
            pass
        params = {'all_tenants': '1'} if all_projects else None
        servers = self._request('GET', '/servers', params=params)['servers']
        found = [s['id'] for s in servers if s['name'] == name_or_id]
        if not found:
            raise exceptions.CommandError(
                "No server with a name or ID of '%s' exists." % name_or_id)
        if len(found) > 1:
            raise exceptions.CommandError(
                "More than one server exists with the name '%s'."
                % name_or_id)
        return found[0]


def _quote(value):
    return urllib.parse.quote(str(value), safe='')
