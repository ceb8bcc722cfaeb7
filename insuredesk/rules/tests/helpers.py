"""Shared test shorthand: `due("CN", "CN-22", "2026-03-10")` -> the Deadline."""

from __future__ import annotations

from datetime import date

from insuredesk.rules.deadlines import Deadline, compute_deadline


def due(jurisdiction: str, rule: str, start: object, pauses: object = ()) -> Deadline:
    return compute_deadline(jurisdiction=jurisdiction, rule=rule, start=start, pauses=pauses)  # type: ignore[arg-type]


def d(text: str) -> date:
    return date.fromisoformat(text)
