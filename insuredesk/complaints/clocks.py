"""The complaint's statutory response clock: 15 days, 30 if complex, +30 with approval, 60 at most.

One clock named "decide" runs from receipt of the complaint (CN-28); this module names the rule
that governs it at each step and lets casework re-time it:

1. marked complex: rule CN-28.complex;
2. extension approved: rule CN-28.extended, a further period of the approved days counted from
   the end of the CN-28.complex period, moved off a holiday, never past the CN-28.max day;
3. external appraisal: the clock pauses and, on resumption, the paused days are added whichever
   rule governs (casework keeps the pauses and recomputes).
"""

from datetime import datetime

from insuredesk.casework.choices import ClockState
from insuredesk.casework.models import Case, Clock
from insuredesk.casework.services import open_clock, pause_clock, resume_clock, retime_clock
from insuredesk.rules.deadlines import Deadline, Pause, compute_deadline

DECIDE = "decide"
FINAL_RESPONSE = "final_response"
BASE, COMPLEX, EXTENDED, MAXIMUM = "CN-28", "CN-28.complex", "CN-28.extended", "CN-28.max"


def main_clock(case: Case) -> Clock | None:
    """The statutory response clock of the complaint (CN decide, GB final response), any state."""
    return case.clocks.filter(name__in=[DECIDE, FINAL_RESPONSE]).order_by("-started_at").first()


def _pauses(clock: Clock) -> list[Pause]:
    return [Pause(start=a, end=b) for a, b in clock.pauses]


def maximum_due(case: Case) -> Deadline:
    """The CN-28.max day for this complaint, appraisal pauses included."""
    clock = main_clock(case)
    assert clock is not None
    return compute_deadline(
        jurisdiction=case.jurisdiction, rule=MAXIMUM, start=clock.started_at, pauses=_pauses(clock)
    )


def retime(clock: Clock, *, rule: str, extension_days: int = 0) -> Clock:
    """Put the decide clock under `rule` (CN-28, CN-28.complex or CN-28.extended)."""
    if rule == EXTENDED:
        return retime_clock(
            clock, rule=EXTENDED, extends_rule=COMPLEX, extra_days=extension_days, cap_rule=MAXIMUM
        )
    return retime_clock(clock, rule=rule)


def pause(case: Case, *, at: datetime) -> Clock | None:
    clock = open_clock(case, DECIDE)
    if clock is not None:
        pause_clock(clock, at=at)
    return clock


def resume(case: Case, *, at: datetime) -> Clock | None:
    """Resume after an appraisal; casework adds the paused days under the governing rule."""
    clock = open_clock(case, DECIDE)
    if clock is None or clock.state != ClockState.PAUSED:
        return clock
    return resume_clock(clock, at=at)


__all__ = ["open_clock"]  # complaints' services read clocks through this module
