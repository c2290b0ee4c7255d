"""console-api: remote consoles for OpenStack-style clouds."""

import warnings as _warnings

from oslo_service import backend as _oslo_service_backend

# oslo.messaging imports oslo.service, whose default backend is eventlet.
# console-api runs on native threads only, so pick oslo.service's threading
# backend before anything asks for one.
_oslo_service_backend.register_backend_default_hook(
    lambda: _oslo_service_backend.BackendType.THREADING)

# oslo.utils and futurist import eventlet only to find out whether it is in
# use; eventlet then warns on import that it is deprecated. console-api never
# uses it, so that warning would only alarm operators on every command.
_warnings.filterwarnings('ignore', message=r'\s*Eventlet is deprecated')
