"""A keystoneauth session stand-in that answers from a table of routes."""

import json
import urllib.parse


class Response(object):
    """The little of a ``requests.Response`` the client reads."""

    def __init__(self, status_code, body=None):
        self.status_code = status_code
        self.content = b'' if body is None else json.dumps(body).encode()
        self.text = self.content.decode()
        self.reason = 'Reason %d' % status_code

    def json(self):
        return json.loads(self.text)


class Session(object):
    """Answers ``request(url, method, ...)`` from ``routes``.

    :param routes: ``{(method, path): Response}``; the path is the URL's
        path. Every request is recorded in ``requests`` as ``(method,
        url, params)``.
    """

    def __init__(self, routes):
        self.routes = routes
        self.requests = []

    def request(self, url, method, params=None, raise_exc=True,
                headers=None):
        assert raise_exc is False
        assert headers == {'Accept': 'application/json'}
        self.requests.append((method, url, params))
        path = urllib.parse.urlsplit(url).path
        return self.routes.get((method, path), Response(
            404, {'itemNotFound': {'code': 404, 'message': 'no route'}}))
