"""The errors services raise. The state layer turns them into messages beside a field."""


class ServiceError(Exception):
    """A request the service refuses, with a message fit to show the user."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(ServiceError):
    """Arguments failed validation. ``errors`` maps each form field to its message."""

    def __init__(self, message: str, field: str = "",
                 errors: dict[str, str] | None = None) -> None:
        super().__init__(message, field)
        self.errors = errors if errors is not None else {field: message}


class NotFound(ServiceError):
    """The record does not exist or belongs to someone else (the two read the same)."""


class AuthError(ServiceError):
    """Sign-in refused: wrong credentials, a deactivated account or an ended session."""


class Throttled(ServiceError):
    """Too many attempts from one client address: refused before any work is done. The
    message says how long to wait; it shows beside the form."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "form")
