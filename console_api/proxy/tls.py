"""TLS towards console clients: the server context from the proxy options."""

import os
import ssl

from console_api import exception

_MINIMUM_VERSIONS = {
    'tlsv1_1': ssl.TLSVersion.TLSv1_1,
    'tlsv1_2': ssl.TLSVersion.TLSv1_2,
    'tlsv1_3': ssl.TLSVersion.TLSv1_3,
}


def wants_tls(conf):
    """Tell whether the proxies serve TLS.

    With ``ssl_only`` always; otherwise when the certificate file exists,
    as websockify-based proxies do (they also accept plain connections on
    the same port then; these proxies serve TLS only).
    """
    return bool(conf.ssl_only or (conf.cert and os.path.isfile(conf.cert)))


def server_context(conf):
    """Return an ``ssl.SSLContext`` for the proxies' listeners.

    Uses ``[DEFAULT] cert`` and ``key`` (``key`` unset: the key is in the
    certificate file), ``[console] ssl_minimum_version`` and
    ``ssl_ciphers``.

    :raises ConfigurationError: the certificate or key is missing or
        unusable, or the cipher string matches no cipher.
    """
    if not conf.cert or not os.path.isfile(conf.cert):
        raise exception.ConfigurationError(
            reason='SSL certificate file %s does not exist' % conf.cert)
    if conf.key and not os.path.isfile(conf.key):
        raise exception.ConfigurationError(
            reason='SSL key file %s does not exist' % conf.key)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        context.load_cert_chain(conf.cert, conf.key or None)
    except (OSError, ssl.SSLError) as exc:
        raise exception.ConfigurationError(
            reason='cannot load SSL certificate %s: %s' % (conf.cert, exc))
    version = conf.console.ssl_minimum_version
    if version in _MINIMUM_VERSIONS:
        context.minimum_version = _MINIMUM_VERSIONS[version]
    if conf.console.ssl_ciphers:
        try:
            context.set_ciphers(conf.console.ssl_ciphers)
        except ssl.SSLError as exc:
            raise exception.ConfigurationError(
                reason='invalid [console] ssl_ciphers: %s' % exc)
    return context
