"""The one exception hierarchy of InsureDesk.

Services raise these; the API renders them as `{"error": {"code", "message", "details"}}` with the
status below, and pages show the message next to the field named in `details`.
"""

from typing import Any


class DomainError(Exception):
    """A business rule said no. `code` is stable and documented for API clients."""

    code = "domain_error"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}


class ValidationFailed(DomainError):
    """Input that is well-formed but not acceptable; `details["field"]` names the field."""

    code = "validation_failed"
    status = 422


class NotFound(DomainError):
    """Missing, or not the caller's to see: the two are indistinguishable on purpose."""

    code = "not_found"
    status = 404


class NotPermitted(DomainError):
    """The caller may see the record but their role may not perform the operation."""

    code = "not_permitted"
    status = 403


class InvalidTransition(DomainError):
    """The case is not in a status that allows the operation."""

    code = "invalid_transition"
    status = 409


class Conflict(DomainError):
    """Someone else changed the record first, or the same request is already in progress."""

    code = "conflict"
    status = 409
