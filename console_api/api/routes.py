"""Every URL of the API below ``/v2.1``: paths, methods and their handlers.

Each path maps HTTP methods to a ``Method``: the controller function and the
microversion range in which it exists. The router also serves each path
under a ``/{project_id}`` prefix.
"""

import collections

from console_api.api.controllers import console_auth_tokens
from console_api.api.controllers import console_sessions
from console_api.api.controllers import remote_consoles
from console_api.api.controllers import server_actions
from console_api.api.controllers import servers
from console_api.api import microversion


class Method(collections.namedtuple(
        'Method', 'handler min_version max_version')):
    """A handler and the microversions (inclusive) it answers at."""

    def available_at(self, version):
        if self.min_version is not None and version < self.min_version:
            return False
        return self.max_version is None or version <= self.max_version


def method(handler, min_version=None, max_version=None):
    return Method(handler, min_version, max_version)


ROUTES = [
    ('/servers', {'GET': method(servers.index)}),
    ('/servers/detail', {'GET': method(servers.detail)}),
    ('/servers/{server_id}', {'GET': method(servers.show)}),
    ('/servers/{server_id}/action', {'POST': method(server_actions.action)}),
    ('/servers/{server_id}/remote-consoles', {
        'POST': method(remote_consoles.create,
                       min_version=microversion.REMOTE_CONSOLES)}),
    ('/servers/{server_id}/os-console-sessions', {
        'DELETE': method(console_sessions.delete_for_server)}),
    ('/os-console-auth-tokens/{console_token}', {
        'GET': method(console_auth_tokens.show)}),
    # console-api's extension: outside Nova's microversion sequence, so at
    # every version.
    ('/os-console-sessions', {'GET': method(console_sessions.index)}),
    ('/os-console-sessions/{session_id}', {
        'GET': method(console_sessions.show),
        'DELETE': method(console_sessions.delete)}),
]
