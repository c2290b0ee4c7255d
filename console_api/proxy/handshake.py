"""Checks on a websocket upgrade request: where the token is, whose origin.

Pure functions over the request line and headers, so they are tested
without sockets. They follow what noVNC, spice-html5 and serial clients
written for Nova send.
"""

import ipaddress
import urllib.parse

# Origin schemes that fit a console URL's scheme. A browser page has an
# http(s) origin, so a ws:// or wss:// console URL (serial) also accepts the
# http scheme of the same security.
_COMPATIBLE_SCHEMES = {
    'ws': ('ws', 'http'),
    'wss': ('wss', 'https'),
}


class OriginRejected(Exception):
    """The ``Origin`` of an upgrade request is not acceptable."""


def _last_query_value(query, name):
    values = [value for key, value in
              urllib.parse.parse_qsl(query, keep_blank_values=True)
              if key == name]
    return values[-1] if values else ''


def _token_in_path_param(value):
    """Return the token inside a noVNC ``path`` value such as ``?token=x``."""
    _path, _sep, query = value.partition('?')
    return _last_query_value(query, 'token')


def _cookies(header):
    """Parse a ``Cookie`` header leniently: bad parts are skipped."""
    cookies = {}
    for part in (header or '').split(';'):
        name, sep, value = part.strip().partition('=')
        if sep and name:
            cookies[name.strip()] = urllib.parse.unquote(value.strip())
    return cookies


def find_token(path, cookie_header):
    """Return the token a client presents, or ``''``.

    In order: the last ``token`` query parameter of the request URI; a
    ``path`` query parameter carrying ``?token=...`` (the form of noVNC
    console URLs); a ``token`` cookie; a ``path`` cookie carrying
    ``?token=...`` (clients that put the console URL's query in a cookie).
    """
    query = urllib.parse.urlsplit(path).query
    token = _last_query_value(query, 'token')
    if not token:
        token = _token_in_path_param(_last_query_value(query, 'path'))
    if not token:
        cookies = _cookies(cookie_header)
        token = cookies.get('token', '')
        if not token and 'path' in cookies:
            token = _token_in_path_param(cookies['path'])
    return token


def _hostname(host_header):
    if not host_header:
        return None
    return urllib.parse.urlsplit('//' + host_header.strip()).hostname


def check_origin_host(headers, allowed_origins):
    """Refuse an ``Origin`` whose host name is not allowed.

    A request without ``Origin`` comes from a non-browser client and
    passes. Allowed host names are ``allowed_origins`` plus the host name of
    the request's own ``Host`` header.

    :returns: the origin's scheme (after ``X-Forwarded-Proto``), or
        ``None`` when there is no ``Origin``.
    :raises OriginRejected: with the reason.
    """
    origin = headers.get('Origin')
    if origin is None:
        return None
    parts = urllib.parse.urlsplit(origin.strip())
    # Behind a TLS-terminating balancer the browser's scheme is the one the
    # balancer saw, not the one that reached us.
    scheme = headers.get('X-Forwarded-Proto') or parts.scheme
    scheme = scheme.strip().lower()
    hostname = parts.hostname
    if not hostname or not scheme:
        raise OriginRejected('origin header %r has no host or scheme'
                             % origin)
    allowed = {name.strip().lower() for name in allowed_origins}
    own = _hostname(headers.get('Host'))
    if own:
        allowed.add(own.lower())
    if hostname.lower() not in allowed:
        raise OriginRejected('origin host %s is not allowed' % hostname)
    return scheme


def check_origin_scheme(scheme, access_url_base):
    """Refuse an origin scheme that does not fit the console URL's.

    :param scheme: what ``check_origin_host`` returned; ``None`` passes.
    :raises OriginRejected: with the reason; also when the token has no
        console URL base to compare with.
    """
    if scheme is None:
        return
    if not access_url_base:
        raise OriginRejected('token has no console URL to check the origin '
                             'scheme against')
    expected = urllib.parse.urlsplit(access_url_base).scheme.lower()
    if scheme not in _COMPATIBLE_SCHEMES.get(expected, (expected,)):
        raise OriginRejected('origin scheme %s does not match the console '
                             'URL scheme %s' % (scheme, expected))


def trusted_networks(entries):
    """Parse ``[console_proxy] trusted_proxies`` into networks.

    :raises ValueError: an entry is neither an address nor a CIDR.
    """
    return [ipaddress.ip_network(entry.strip(), strict=False)
            for entry in entries if entry.strip()]


def _address(text):
    try:
        return ipaddress.ip_address(text.strip().strip('[]'))
    except ValueError:
        return None


def client_address(peer, headers, trusted):
    """The address a connection is recorded and bound under.

    The first ``X-Forwarded-For`` hop when ``peer`` is one of the
    ``trusted`` networks (a reverse proxy of ours), else ``peer``: anyone
    else could claim any address in the header.

    :param peer: the peer's IP address (text).
    :param trusted: what ``trusted_networks`` returned.
    """
    address = _address(peer)
    if address is None or not any(address in net for net in trusted):
        return peer
    forwarded = ','.join(headers.get_all('X-Forwarded-For'))
    first = _address(forwarded.split(',')[0]) if forwarded else None
    return str(first) if first is not None else peer
