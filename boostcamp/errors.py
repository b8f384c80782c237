"""Domain errors: services raise them, views turn them into a field error or a message."""


class DomainError(Exception):
    """A rule of the domain was not met. `field` names the form field it belongs to, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    pass


class Conflict(DomainError):
    """The thing exists already (duplicate e-mail, slug …)."""
