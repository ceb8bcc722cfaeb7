"""Errors raised by the rules app.

All are `ValidationFailed` (HTTP 422) with a stable `code` and `details["field"]` naming the
input at fault, so the API renders them as `{"error": {"code", "message", "details"}}`.
"""

from __future__ import annotations

from insuredesk.errors import ValidationFailed


class RulesError(ValidationFailed):
    """Bad input to the rules app: an unknown jurisdiction or rule, a bad date or pause."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message, field=field)
        self.field = field


class UnknownJurisdiction(RulesError):
    code = "unknown_jurisdiction"

    def __init__(self, jurisdiction: str, *, field: str = "jurisdiction") -> None:
        super().__init__(f"Unknown jurisdiction {jurisdiction!r}.", field=field)
        self.jurisdiction = jurisdiction


class UnknownRule(RulesError):
    code = "unknown_rule"

    def __init__(self, jurisdiction: str, rule_id: str, *, field: str = "rule") -> None:
        super().__init__(f"Jurisdiction {jurisdiction} has no rule {rule_id!r}.", field=field)
        self.jurisdiction = jurisdiction
        self.rule_id = rule_id


class RuleHasNoPeriod(RulesError):
    code = "rule_has_no_period"

    def __init__(self, rule_id: str, *, unit: str = "", field: str = "rule") -> None:
        if unit:
            message = f"Rule {rule_id} sets no period in {unit.replace('_', ' ')}."
        else:
            message = f"Rule {rule_id} sets no period, so it has no deadline."
        super().__init__(message, field=field)
        self.rule_id = rule_id


class InvalidDate(RulesError):
    code = "invalid_date"


class InvalidPause(RulesError):
    code = "invalid_pause"


class ProfileError(Exception):
    """A profile file is malformed: a packaging bug, raised when the profiles are loaded."""
