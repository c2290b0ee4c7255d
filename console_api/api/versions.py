"""Version discovery documents at ``/`` and ``/v2.1``.

Links are built from the request URL (which ``http_proxy_to_wsgi`` corrects
for ``X-Forwarded-Proto``) or from ``[api] compute_link_prefix``.
"""

import urllib.parse

from oslo_serialization import jsonutils
import webob
import webob.dec

from console_api.api import faults
from console_api.api import microversion
from console_api import conf

CONF = conf.CONF

V21 = {
    'id': 'v2.1',
    'status': 'CURRENT',
    'version': str(microversion.MAX_VERSION),
    'min_version': str(microversion.MIN_VERSION),
    'updated': '2013-07-23T11:33:21Z',
    'path': 'v2.1/',
    'media-types': [{
        'base': 'application/json',
        'type': 'application/vnd.openstack.compute+json;version=2.1'}],
}
V20 = {
    'id': 'v2.0',
    'status': 'DEPRECATED',
    'version': '',
    'min_version': '',
    'updated': '2025-07-04T12:00:00Z',
    'path': 'v2/',
    'media-types': [{
        'base': 'application/json',
        'type': 'application/vnd.openstack.compute+json;version=2'}],
}
VERSIONS = [V20, V21]


def link_root(base):
    """Root URL for links: ``base`` (from the request), or the prefix."""
    prefix = CONF.api.compute_link_prefix
    if not prefix:
        return base.rstrip('/') + '/'
    wanted = urllib.parse.urlsplit(prefix)
    actual = urllib.parse.urlsplit(base)
    path = wanted.path.rstrip('/') + actual.path
    return urllib.parse.urlunsplit(
        (wanted.scheme, wanted.netloc, path.rstrip('/') + '/', '', ''))


def _summary(version, root):
    return {
        'id': version['id'],
        'status': version['status'],
        'version': version['version'],
        'min_version': version['min_version'],
        'updated': version['updated'],
        'links': [{'rel': 'self', 'href': root + version['path']}],
    }


def _json(body, status=200):
    response = webob.Response(status=status)
    response.content_type = faults.JSON_CONTENT_TYPE
    response.body = jsonutils.dump_as_bytes(body)
    return response


class Versions(object):
    """``GET /``: every API version; 300 with choices for other paths."""

    @classmethod
    def factory(cls, global_config, **local_config):
        return cls()

    @webob.dec.wsgify
    def __call__(self, req):
        root = link_root(req.host_url + req.script_name)
        if req.environ.get('console_api.unmatched') or req.path_info not in (
                '', '/'):
            return self._choices(req, root)
        if req.method not in ('GET', 'HEAD'):
            return faults.fault_response(
                405, 'The method is not allowed for this resource.',
                {'Allow': 'GET, HEAD'})
        return _json({'versions': [_summary(v, root) for v in VERSIONS]})

    @staticmethod
    def _choices(req, root):
        path = req.path_info.lstrip('/')
        choices = []
        for version in VERSIONS:
            # Nova's choices carry no version numbers or dates; tempest's
            # schema for the 300 rejects them.
            choices.append({
                'id': version['id'],
                'status': version['status'],
                'links': [{'rel': 'self',
                           'href': root + version['path'] + path}],
                'media-types': version['media-types'],
            })
        return _json({'choices': choices}, status=300)


class VersionV21(object):
    """``GET /v2.1``: the document of the v2.1 API."""

    @classmethod
    def factory(cls, global_config, **local_config):
        return cls()

    @webob.dec.wsgify
    def __call__(self, req):
        if req.method not in ('GET', 'HEAD'):
            return faults.fault_response(
                405, 'The method is not allowed for this resource.',
                {'Allow': 'GET, HEAD'})
        # The urlmap mounted this app at .../v2.1: the root is its parent.
        parent = req.script_name.rstrip('/').rsplit('/', 1)[0]
        self_href = link_root(req.host_url + parent) + V21['path']
        doc = _summary(V21, '')
        doc['links'] = [
            {'rel': 'self', 'href': self_href},
            {'rel': 'describedby', 'type': 'text/html',
             'href': 'http://docs.openstack.org/'},
        ]
        doc['media-types'] = V21['media-types']
        return _json({'version': doc})
