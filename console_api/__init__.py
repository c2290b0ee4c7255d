"""console-api: remote consoles for OpenStack-style clouds."""

# oslo.messaging imports oslo.service, whose default backend is eventlet.
# console-api runs on native threads only, so pick oslo.service's threading
# backend before anything asks for one.
from oslo_service import backend as _oslo_service_backend

_oslo_service_backend.register_backend_default_hook(
    lambda: _oslo_service_backend.BackendType.THREADING)
