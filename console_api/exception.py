"""Domain exceptions of console-api.

Every error that can reach a user is one of these. Each carries the HTTP
status the API maps it to (``code``) and a message template (``msg_fmt``)
filled from keyword arguments. The API turns them into Nova's fault format in
exactly one place (``console_api.api.faults``); the RPC layer lets them cross
the wire because this module is on the allowed-exception list, so an error
raised on purpose by a compute agent arrives at the API as the same type.
"""

from console_api.i18n import _


class ConsoleApiException(Exception):
    """Base class: a message template plus the HTTP code it stands for."""

    msg_fmt = _("An unknown exception occurred.")
    code = 500
    # Whether the message may be shown to a user in a 500 fault.
    safe = False

    def __init__(self, message=None, **kwargs):
        self.kwargs = kwargs
        if 'code' not in self.kwargs:
            self.kwargs['code'] = self.code
        if not message:
            try:
                message = self.msg_fmt % kwargs
            except (KeyError, TypeError, ValueError):
                # A template and its arguments disagree: keep the template
                # rather than raise a second exception while reporting one.
                message = self.msg_fmt
        self.message = message
        super().__init__(message)

    def format_message(self):
        """Return the user-facing message."""
        return self.args[0] if self.args else self.message


class Invalid(ConsoleApiException):
    msg_fmt = _("Bad request: %(reason)s")
    code = 400


class ValidationError(Invalid):
    msg_fmt = "%(detail)s"


class MalformedRequestBody(Invalid):
    msg_fmt = _("Malformed request body: %(reason)s")


class InvalidAPIVersionString(Invalid):
    msg_fmt = _("API Version String %(version)s is of invalid format. Must "
                "be of format MajorNum.MinorNum.")


class ConsoleTypeInvalid(Invalid):
    msg_fmt = _("Invalid console type %(console_type)s")


class ConsoleTypeUnavailable(Invalid):
    msg_fmt = _("Unavailable console type %(console_type)s.")


class MarkerNotFound(Invalid):
    msg_fmt = _("Marker %(marker)s could not be found.")


class ProjectIdMismatch(Invalid):
    msg_fmt = _("Malformed request URL: URL's project_id '%(url_project)s' "
                "doesn't match Context's project_id '%(context_project)s'")


class NotAuthorized(ConsoleApiException):
    msg_fmt = _("Not authorized.")
    code = 403


class PolicyNotAuthorized(NotAuthorized):
    msg_fmt = _("Policy doesn't allow %(action)s to be performed.")


class Unauthorized(ConsoleApiException):
    """401: the credentials are missing or do not allow this detail."""

    msg_fmt = _("Authentication required")
    code = 401


class ConsoleTypeNotAccessible(Unauthorized):
    msg_fmt = _("The requested console type details are not accessible")


class NotFound(ConsoleApiException):
    msg_fmt = _("Resource could not be found.")
    code = 404


class InstanceNotFound(NotFound):
    msg_fmt = _("Instance %(instance_id)s could not be found.")


class ConsoleSessionNotFound(NotFound):
    msg_fmt = _("Console session %(session_id)s could not be found.")


class InvalidToken(NotFound):
    """The token is unknown, expired or revoked; never echo the token."""

    msg_fmt = _("Token not found")


class Conflict(ConsoleApiException):
    msg_fmt = _("Conflict: %(reason)s")
    code = 409


class InstanceNotReady(Conflict):
    msg_fmt = _("Instance %(instance_id)s is not ready")


class InstanceInvalidState(Conflict):
    msg_fmt = _("Cannot '%(method)s' instance %(instance_uuid)s while it is "
                "in %(attr)s %(state)s")


class InstanceNotRunning(Conflict):
    msg_fmt = _("Instance %(instance_id)s is not running (power state "
                "%(power_state)s); its console cannot be opened.")


class ComputeHostDown(Conflict):
    msg_fmt = _("The compute agent on host %(host)s is down: no heartbeat "
                "for more than %(down_time)s seconds.")


class ConsoleSessionEnded(Conflict):
    msg_fmt = _("Console session %(session_id)s has already ended "
                "(%(status)s).")


class TokenInUse(ConsoleApiException):
    msg_fmt = _("The generated token is already in use; try again.")
    code = 409


class ConsoleNotSupported(ConsoleApiException):
    """501: the hypervisor driver cannot provide this kind of console."""

    msg_fmt = _("The requested functionality is not supported.")
    code = 501


class ServiceUnavailable(ConsoleApiException):
    msg_fmt = _("The service is unavailable: %(reason)s")
    code = 503
    safe = True


class ComputeAgentTimeout(ServiceUnavailable):
    msg_fmt = _("The compute agent on host %(host)s did not answer within "
                "%(timeout)s seconds.")


class HypervisorUnavailable(ConsoleApiException):
    msg_fmt = _("Connection to the hypervisor %(uri)s failed: %(reason)s")
    code = 503


class InventoryError(ConsoleApiException):
    """The fake driver's inventory file is missing or malformed."""

    msg_fmt = _("Inventory %(path)s is unusable: %(reason)s")


class ConfigurationError(ConsoleApiException):
    msg_fmt = _("Configuration error: %(reason)s")


class PasteAppNotFound(ConfigurationError):
    msg_fmt = _("Could not load paste app '%(name)s' from %(path)s: "
                "%(reason)s")


class DBNotAtHead(ConfigurationError):
    msg_fmt = _("The database schema is at %(current)s, not at %(head)s: "
                "run 'console-api-manage db sync'.")
