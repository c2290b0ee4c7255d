"""Command-line entry points of console-api.

Importing this package prepares the process for a command: that has to
happen before oslo.messaging is imported, so before the entry points' own
imports. A host API mounting the console routes never imports it.
"""

import warnings

from oslo_service import backend


def prepare_process():
    """Pick oslo.service's threading backend; quiet eventlet's notice."""
    # oslo.messaging imports oslo.service, whose default is eventlet;
    # console-api runs on native threads only.
    backend.register_backend_default_hook(
        lambda: backend.BackendType.THREADING)
    # oslo.utils and futurist import eventlet only to see whether it is in
    # use; its deprecation notice would only alarm operators.
    warnings.filterwarnings('ignore', message=r'\s*Eventlet is deprecated')


prepare_process()
