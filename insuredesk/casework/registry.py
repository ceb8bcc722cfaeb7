"""Case kinds declare themselves here: statuses, transitions, clocks.

A domain app registers its kind once (in its AppConfig.ready):

    register(CaseKind(
        kind="claim", prefix="CLM", label="Claim",
        initial_status=ClaimStatus.REPORTED, closed_statuses={ClaimStatus.CLOSED, ...},
        transitions=TRANSITIONS,          # {from_status: {to_status, ...}}
        clocks=[ClockSpec(...), ...],     # started, paused, resumed, stopped by event kinds
        console_url="console:claim-detail", portal_url="portal:claim-detail",
    ))

and from then on gets transitions, events, clocks, queue position, letters and notifications
from casework without a line of that machinery of its own.
"""

from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from insuredesk.errors import DomainError


@dataclass(frozen=True)
class ClockSpec:
    """A deadline a case kind runs, and the events that drive it.

    `rules` maps a jurisdiction to the rule id that sets the period there (a jurisdiction absent
    from it runs no such clock: GB fixes no claim decision period, for instance). Starting an
    already open clock restarts it from the new event (CA-08: a delay letter every 30 days).
    """

    name: str
    label: str
    rules: Mapping[str, str]
    starts_on: frozenset[str]
    stops_on: frozenset[str] = frozenset()
    pauses_on: frozenset[str] = frozenset()
    resumes_on: frozenset[str] = frozenset()

    def __init__(
        self,
        name: str,
        label: str,
        rules: Mapping[str, str],
        starts_on: Iterable[str],
        stops_on: Iterable[str] = (),
        pauses_on: Iterable[str] = (),
        resumes_on: Iterable[str] = (),
    ) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "rules", dict(rules))
        object.__setattr__(self, "starts_on", frozenset(starts_on))
        object.__setattr__(self, "stops_on", frozenset(stops_on))
        object.__setattr__(self, "pauses_on", frozenset(pauses_on))
        object.__setattr__(self, "resumes_on", frozenset(resumes_on))


@dataclass(frozen=True)
class CaseKind:
    kind: str
    prefix: str
    label: str
    initial_status: str
    # Keys are statuses: plain strings or TextChoices members (a str subclass, but Mapping keys
    # are invariant, so `Mapping[str, ...]` would refuse a dict keyed by the choices).
    transitions: Mapping[Any, AbstractSet[str]]
    closed_statuses: AbstractSet[str] = frozenset()
    clocks: tuple[ClockSpec, ...] | list[ClockSpec] = ()
    status_labels: Mapping[str, str] = field(default_factory=dict)
    console_url: str = ""
    portal_url: str = ""

    def allows(self, from_status: str, to_status: str) -> bool:
        return to_status in self.transitions.get(from_status, ())

    def status_label(self, status: str) -> str:
        return self.status_labels.get(status, status.replace("_", " ").capitalize())


_KINDS: dict[str, CaseKind] = {}


def register(case_kind: CaseKind) -> CaseKind:
    _KINDS[case_kind.kind] = case_kind
    return case_kind


def get_kind(kind: str) -> CaseKind:
    try:
        return _KINDS[kind]
    except KeyError:
        raise DomainError(f"Unknown case kind {kind!r}.", code="unknown_case_kind") from None


def kinds() -> list[CaseKind]:
    return sorted(_KINDS.values(), key=lambda k: k.label)


def status_label(kind: str, status: str) -> str:
    """A status in words as its kind names it; an unregistered kind gets the code humanised."""
    case_kind = _KINDS.get(kind)
    if case_kind is None:
        return status.replace("_", " ").capitalize()
    return case_kind.status_label(status)
