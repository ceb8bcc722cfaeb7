"""The CN complaint decision clock: 15 days, 30 if complex, +30 with approval, 60 at most.

Why this module exists: the casework engine computes a clock's deadline from (rule, start,
pauses). CN-28's later periods do not all fit that shape: the extension runs "a further 30
days after the complex-case period" (CN-28.extended) and is capped by the 60-day maximum
(CN-28.max), and all of them count from the receipt of the complaint with the appraisal time
left out. So one clock named "decide" runs from receipt, and this module

1. re-times it when the complaint is marked complex (rule CN-28.complex) or its extension is
   approved (rule CN-28.extended: the complex period's last day + the approved days, moved off a
   holiday, never past the CN-28.max day);
2. pauses and resumes it around an external appraisal, re-timing it on resumption so the
   paused days are added whichever rule governs.

It writes only the clock's timing fields and the case's `next_deadline`, the same fields
casework itself writes; the status and event log still go through casework.
"""

from datetime import datetime, time, timedelta

from insuredesk.casework.choices import ClockState
from insuredesk.casework.models import Case, Clock
from insuredesk.casework.services import pause_clock, resume_clock
from insuredesk.rules.calendars import calendar_for, next_working_day
from insuredesk.rules.deadlines import Deadline, Pause, compute_deadline
from insuredesk.rules.registry import get_profile

DECIDE = "decide"
FINAL_RESPONSE = "final_response"
BASE, COMPLEX, EXTENDED, MAXIMUM = "CN-28", "CN-28.complex", "CN-28.extended", "CN-28.max"


def open_clock(case: Case, name: str) -> Clock | None:
    return (
        case.clocks.filter(name=name, stopped_at__isnull=True)
        .exclude(state=ClockState.CANCELLED)
        .order_by("-started_at")
        .first()
    )


def main_clock(case: Case) -> Clock | None:
    """The statutory response clock of the complaint (CN decide, GB final response), any state."""
    return case.clocks.filter(name__in=[DECIDE, FINAL_RESPONSE]).order_by("-started_at").first()


def _pauses(clock: Clock) -> list[Pause]:
    return [Pause(start=a, end=b) for a, b in clock.pauses]


def period_end(
    jurisdiction: str, rule: str, start: datetime, pauses: list[Pause], extension_days: int = 0
) -> tuple[datetime, "object", str]:
    """(deadline, due_date, source) of the decision period under `rule`, pauses included."""
    if rule != EXTENDED:
        due: Deadline = compute_deadline(
            jurisdiction=jurisdiction, rule=rule, start=start, pauses=pauses
        )
        return due.deadline, due.due_date, due.source
    profile = get_profile(jurisdiction)
    complex_due = compute_deadline(
        jurisdiction=jurisdiction, rule=COMPLEX, start=start, pauses=pauses
    )
    longest = compute_deadline(jurisdiction=jurisdiction, rule=MAXIMUM, start=start, pauses=pauses)
    last = complex_due.due_date + timedelta(days=extension_days)
    if profile.roll_to_working_day:
        last = next_working_day(calendar_for(profile), last)
    last = min(last, longest.due_date)
    deadline = datetime.combine(last + timedelta(days=1), time.min, tzinfo=profile.tz)
    return deadline, last, complex_due.source


def maximum_due(case: Case) -> Deadline:
    """The CN-28.max day for this complaint, appraisal pauses included."""
    clock = main_clock(case)
    assert clock is not None
    return compute_deadline(
        jurisdiction=case.jurisdiction, rule=MAXIMUM, start=clock.started_at, pauses=_pauses(clock)
    )


def retime(case: Case, clock: Clock, *, rule: str, extension_days: int = 0) -> Clock:
    """Set the governing rule of the decide clock and recompute its deadline."""
    deadline, due_date, source = period_end(
        case.jurisdiction, rule, clock.started_at, _pauses(clock), extension_days
    )
    clock.rule, clock.deadline, clock.due_date, clock.source = rule, deadline, due_date, source
    # A new deadline earns new alerts.
    clock.due_soon_alerted_at = None
    clock.save(update_fields=["rule", "deadline", "due_date", "source", "due_soon_alerted_at"])
    refresh_next_deadline(case)
    return clock


def pause(case: Case, *, at: datetime) -> Clock | None:
    clock = open_clock(case, DECIDE)
    if clock is not None:
        pause_clock(clock, at=at)
        refresh_next_deadline(case)
    return clock


def resume(case: Case, *, at: datetime, extension_days: int = 0) -> Clock | None:
    clock = open_clock(case, DECIDE)
    if clock is None or clock.state != ClockState.PAUSED:
        return clock
    rule = clock.rule
    clock = resume_clock(clock, at=at)
    return retime(case, clock, rule=rule, extension_days=extension_days)


def refresh_next_deadline(case: Case) -> None:
    """The queue orders by the nearest deadline of clocks still counting (as casework does)."""
    nearest = (
        case.clocks.filter(
            stopped_at__isnull=True, state__in=[ClockState.RUNNING, ClockState.BREACHED]
        )
        .order_by("deadline")
        .values_list("deadline", flat=True)
        .first()
    )
    Case.objects.filter(pk=case.pk).update(next_deadline=nearest)
    case.next_deadline = nearest
