"""Domain errors: services raise them, views turn them into field errors or a message,
the API into a JSON error body."""

from collections.abc import Callable
from typing import Any, TypeVar

from flask import g, has_app_context

T = TypeVar("T")


class DomainError(Exception):
    """A rule of the domain was not met. `field` names the form field it belongs to, if any."""

    code = "invalid"
    status = 422  # the JSON answer's status (core/json_errors.py)

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if has_app_context():
            g.refused = True  # the request's unit of work commits nothing (core/unit_of_work.py)

    @property
    def errors(self) -> dict[str, str]:
        """{field: message}; a message that belongs to no field is under "_"."""
        return {self.field or "_": str(self.message)}


class ValidationFailed(DomainError):
    """Several fields are wrong at once; each gets its own message."""

    def __init__(self, errors: dict[str, str]):
        first_field, first_message = next(iter(errors.items()))
        super().__init__(first_message, field=first_field)
        self._errors = errors

    @property
    def errors(self) -> dict[str, str]:
        return {field: str(message) for field, message in self._errors.items()}


def reporting_also(errors: dict[str, Any], change: Callable[[], T]) -> T:
    """Makes the change, but fails with `errors` too, so a client learns every error at once
    (what the change flushed is rolled back with the request)."""
    try:
        result = change()
    except ValidationFailed as e:
        raise ValidationFailed({**errors, **e.errors}) from None
    if errors:
        raise ValidationFailed(errors)
    return result


class NotFound(DomainError):
    code = "not_found"
    status = 404


class Conflict(DomainError):
    """The thing exists already (duplicate e-mail, slug …) or the state forbids the change."""

    code = "conflict"
    status = 409


class Forbidden(DomainError):
    """The caller may see the thing but not do this to it."""

    code = "forbidden"
    status = 403
