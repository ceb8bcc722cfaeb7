"""The one exception hierarchy of InsureDesk.

Services raise these; the API renders them as `{"error": {"code", "message", "details"}}` with the
status below, and pages show the message next to the field named in `details`. `clean_text`
checks free text the same way everywhere: stripped, present when required, within its length.
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


def clean_text(
    value: str | None, *, field: str, max_length: int, required: bool = True, rule: str = ""
) -> str:
    """Stripped text within its limit; empty or oversized text names the field."""
    cleaned = (value or "").strip()
    extra = {"rule": rule} if rule else {}
    if required and not cleaned:
        raise ValidationFailed(
            f"{field.replace('_', ' ').capitalize()} is required.", field=field, **extra
        )
    if len(cleaned) > max_length:
        raise ValidationFailed(
            f"{field.replace('_', ' ').capitalize()} is longer than {max_length} characters.",
            field=field,
            max_length=max_length,
        )
    return cleaned
