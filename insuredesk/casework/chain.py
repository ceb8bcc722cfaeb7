"""The hash chain of case events: how a link is computed and how the chain is checked."""

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypedDict

GENESIS = "0" * 64


def canonical_data(data: dict[str, Any] | None) -> dict[str, Any]:
    """Data as it will read back from the JSON column: Decimals, dates and UUIDs as strings."""
    return json.loads(json.dumps(data or {}, default=str, sort_keys=True))


class LinkFields(TypedDict):
    """The fields of an event its hash covers, but for the timestamp (see `event_hash`)."""

    sequence: int
    prev_hash: str
    case_id: int
    kind: str
    actor_id: int | None
    actor_label: str
    from_status: str
    to_status: str
    reason: str
    data: dict[str, Any]
    visible_to_customer: bool


def event_hash(
    *,
    sequence: int,
    prev_hash: str,
    case_id: int,
    kind: str,
    actor_id: int | None,
    actor_label: str,
    from_status: str,
    to_status: str,
    reason: str,
    data: dict[str, Any],
    visible_to_customer: bool,
    created_at: str,
) -> str:
    payload = json.dumps(
        [
            sequence,
            prev_hash,
            case_id,
            kind,
            actor_id,
            actor_label,
            from_status,
            to_status,
            reason,
            data,
            visible_to_customer,
            created_at,
        ],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def hash_of(event) -> str:
    """Recompute an event row's hash from its stored fields."""
    return event_hash(
        sequence=event.sequence,
        prev_hash=event.prev_hash,
        case_id=event.case_id,
        kind=event.kind,
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        from_status=event.from_status,
        to_status=event.to_status,
        reason=event.reason,
        data=canonical_data(event.data),
        visible_to_customer=event.visible_to_customer,
        created_at=timestamp(event.created_at),
    )


def timestamp(moment) -> str:
    """UTC, microseconds: the same string whatever database stored the value."""
    from datetime import UTC

    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class Finding:
    sequence: int
    problem: str

    def __str__(self) -> str:
        return f"event #{self.sequence}: {self.problem}"


def verify(events: Iterator, head_sequence: int, head_hash: str) -> tuple[int, Finding | None]:
    """Walk events in sequence order; return how many were checked and the first problem.

    1. Sequences must run 1, 2, 3… with no gap (a gap is a removed event).
    2. Each event's prev_hash must equal the previous event's hash (an insertion breaks it).
    3. Each event's stored hash must equal the hash recomputed from its fields (an edit).
    4. The last event must be the chain head (events removed from the end).
    """
    expected_sequence, previous = 1, GENESIS
    checked = 0
    for event in events:
        if event.sequence != expected_sequence:
            return checked, Finding(
                expected_sequence, f"missing (the sequence jumps to #{event.sequence})"
            )
        if event.prev_hash != previous:
            return checked, Finding(event.sequence, "does not link to the event before it")
        if hash_of(event) != event.hash:
            return checked, Finding(event.sequence, "altered: its content does not match its hash")
        previous, expected_sequence = event.hash, expected_sequence + 1
        checked += 1
    if checked != head_sequence or previous != (head_hash if head_sequence else GENESIS):
        return checked, Finding(checked + 1, f"missing: the chain head says #{head_sequence}")
    return checked, None
