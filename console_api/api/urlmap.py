"""Paste composite that maps URL prefixes to applications.

Keys follow Nova's api-paste.ini: ``/`` matches only the root, ``/v2.1``
matches ``/v2.1`` and ``/v2.1/``, and ``/v2.1/+`` matches anything below
``/v2.1/``. The longest matching prefix wins; the matched prefix moves from
``PATH_INFO`` to ``SCRIPT_NAME``. Any other path goes to the app mapped at
``/``, which answers 300 with the version choices.
"""

from console_api import exception


class URLMap(object):
    """A WSGI app dispatching on path prefixes."""

    def __init__(self, mapping):
        # (prefix, needs_more, app): longest prefix first.
        self._entries = []
        for key, app in mapping.items():
            needs_more = key.endswith('/+')
            prefix = key[:-2] if needs_more else key.rstrip('/')
            self._entries.append((prefix, needs_more, app))
        self._entries.sort(key=lambda entry: (len(entry[0]), entry[1]),
                           reverse=True)
        self._root = mapping.get('/')

    def _find(self, path):
        for prefix, needs_more, app in self._entries:
            if needs_more:
                if path.startswith(prefix + '/') and len(path) > len(
                        prefix) + 1:
                    return prefix, app
            elif path in (prefix, prefix + '/') or (not prefix and
                                                    path in ('', '/')):
                return prefix, app
        return None, None

    def __call__(self, environ, start_response):
        path = environ.get('PATH_INFO', '')
        prefix, app = self._find(path)
        if app is None:
            # Unknown paths get the version choices, as in Nova.
            environ['console_api.unmatched'] = True
            return self._root(environ, start_response)
        environ['SCRIPT_NAME'] = environ.get('SCRIPT_NAME', '') + prefix
        environ['PATH_INFO'] = path[len(prefix):]
        return app(environ, start_response)


def urlmap_factory(loader, global_conf, **local_conf):
    """Paste composite factory."""
    mapping = {}
    for key, app_name in local_conf.items():
        if not key.startswith('/'):
            raise exception.ConfigurationError(
                reason='urlmap key %r must start with "/"' % key)
        mapping[key] = loader.get_app(app_name, global_conf=global_conf)
    if '/' not in mapping:
        raise exception.ConfigurationError(
            reason='urlmap needs an app mapped at "/"')
    return URLMap(mapping)
