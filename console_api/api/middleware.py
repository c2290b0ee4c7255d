"""Base class of console-api's WSGI filters.

A filter wraps the next application and is built by Paste through the
``factory`` class method, so ``api-paste.ini`` can name it directly with
``paste.filter_factory = module:Class.factory``.
"""


class Middleware(object):
    """A WSGI filter around ``application``; subclasses define __call__."""

    def __init__(self, application):
        self.application = application

    @classmethod
    def factory(cls, global_config, **local_config):
        """Paste filter factory: the class itself wraps the next app."""
        return cls
