"""Every write to cases: open, transition, record, assign, clocks, and the clock sweep.

Domain services call these inside their own `transaction.atomic(durable=True)` block, so the
status change, its event, the clocks it moves and the letters and messages it causes commit
together or not at all.
"""

import logging
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Min, Q

from insuredesk.casework import chain
from insuredesk.casework.choices import ClockState
from insuredesk.casework.models import (
    Case,
    CaseAccess,
    CaseEvent,
    ChainHead,
    Clock,
    ReferenceCounter,
)
from insuredesk.casework.registry import ClockSpec, get_kind
from insuredesk.errors import Conflict, InvalidTransition, ValidationFailed
from insuredesk.rules.calendars import calendar_for, next_working_day
from insuredesk.rules.deadlines import Pause, compute_deadline
from insuredesk.rules.registry import get_profile, get_rule

logger = logging.getLogger(__name__)
SYSTEM = "system"


def due_soon_lead() -> timedelta:
    return timedelta(hours=settings.INSUREDESK["DUE_SOON_HOURS"])


# --- references ------------------------------------------------------------------------------


def next_reference(prefix: str, now: datetime) -> str:
    """The next readable reference, e.g. CLM-2026-000124, unique under concurrency."""
    year = now.year
    with transaction.atomic():
        counter = (
            ReferenceCounter.objects.select_for_update().filter(prefix=prefix, year=year).first()
        )
        if counter is None:
            try:
                with transaction.atomic():
                    counter = ReferenceCounter.objects.create(prefix=prefix, year=year, value=0)
            except IntegrityError:
                counter = ReferenceCounter.objects.select_for_update().get(prefix=prefix, year=year)
        ReferenceCounter.objects.filter(pk=counter.pk).update(value=F("value") + 1)
        counter.refresh_from_db(fields=["value"])
    return f"{prefix}-{year}-{counter.value:06d}"


# --- events ----------------------------------------------------------------------------------


def _actor_label(actor) -> str:
    return actor.get_username() if actor is not None else SYSTEM


def append_event(
    case: Case,
    *,
    kind: str,
    actor,
    now: datetime,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    data: dict[str, Any] | None = None,
    visible_to_customer: bool = True,
) -> CaseEvent:
    """Append one event to the chain. The chain head row is locked until the commit."""
    with transaction.atomic():
        head = ChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = ChainHead.objects.create(pk=1)
        sequence = head.sequence + 1
        clean = chain.canonical_data(data)
        fields = chain.LinkFields(
            sequence=sequence,
            prev_hash=head.hash,
            case_id=case.pk,
            kind=kind,
            actor_id=actor.pk if actor is not None else None,
            actor_label=_actor_label(actor),
            from_status=from_status,
            to_status=to_status,
            reason=reason,
            data=clean,
            visible_to_customer=visible_to_customer,
        )
        digest = chain.event_hash(**fields, created_at=chain.timestamp(now))
        event = CaseEvent.objects.create(**fields, created_at=now, hash=digest)
        ChainHead.objects.filter(pk=1).update(sequence=sequence, hash=digest)
    return event


def open_case(
    *,
    kind: str,
    title: str,
    actor,
    now: datetime,
    customer=None,
    jurisdiction: str = "CN",
    assignee=None,
    reason: str = "",
    data: dict[str, Any] | None = None,
    event: str = "opened",
) -> Case:
    """Create a case in its kind's initial status, write its first event, start its clocks."""
    case_kind = get_kind(kind)
    case = Case.objects.create(
        reference=next_reference(case_kind.prefix, now),
        kind=kind,
        status=case_kind.initial_status,
        title=title[:200],
        jurisdiction=jurisdiction,
        customer=customer,
        assignee=assignee,
        opened_at=now,
        status_changed_at=now,
    )
    append_event(
        case, kind=event, actor=actor, now=now, to_status=case.status, reason=reason, data=data
    )
    _apply_clock_rules(case, event, now)
    return case


def transition(
    case: Case,
    *,
    to: str,
    actor,
    now: datetime,
    reason: str = "",
    data: dict[str, Any] | None = None,
    event: str | None = None,
    visible_to_customer: bool = True,
) -> CaseEvent:
    """Move a case to `to` if its kind allows it from the current status.

    The update is a compare-and-set on the status the caller read: of two handlers acting at
    once exactly one wins; the other gets Conflict (HTTP 409) and must reload.
    """
    case_kind = get_kind(case.kind)
    from_status = case.status
    if not case_kind.allows(from_status, to):
        raise InvalidTransition(
            f"A {case_kind.label.lower()} that is {case_kind.status_label(from_status).lower()} "
            f"cannot become {case_kind.status_label(to).lower()}.",
            from_status=from_status,
            to_status=to,
            reference=case.reference,
        )
    updates: dict[str, Any] = {"status": to, "status_changed_at": now}
    closing = to in case_kind.closed_statuses
    if closing:
        updates["closed_at"] = now
    elif case.closed_at is not None:
        updates["closed_at"] = None  # reopened
    with transaction.atomic():
        moved = Case.objects.filter(pk=case.pk, status=from_status).update(**updates)
        if not moved:
            raise Conflict(
                f"{case.reference} was changed by someone else; reload it and try again.",
                reference=case.reference,
                expected_status=from_status,
            )
        for name, value in updates.items():
            setattr(case, name, value)
        kind = event or to
        recorded = append_event(
            case,
            kind=kind,
            actor=actor,
            now=now,
            from_status=from_status,
            to_status=to,
            reason=reason,
            data=data,
            visible_to_customer=visible_to_customer,
        )
        _apply_clock_rules(case, kind, now)
        if closing:
            for clock in case.clocks.filter(stopped_at__isnull=True).exclude(
                state=ClockState.CANCELLED
            ):
                _stop(clock, now)
            refresh_next_deadline(case)
    return recorded


def record_event(
    case: Case,
    *,
    kind: str,
    actor,
    now: datetime,
    reason: str = "",
    data: dict[str, Any] | None = None,
    visible_to_customer: bool = True,
) -> CaseEvent:
    """Record something that happened on a case without changing its status; moves clocks."""
    with transaction.atomic():
        recorded = append_event(
            case,
            kind=kind,
            actor=actor,
            now=now,
            reason=reason,
            data=data,
            visible_to_customer=visible_to_customer,
        )
        _apply_clock_rules(case, kind, now)
    return recorded


def assign(case: Case, *, assignee, actor, now: datetime, reason: str = "") -> CaseEvent:
    """Give the case to a member of staff (or take it back to the pool with None)."""
    if not case.is_open:
        raise InvalidTransition(
            f"{case.reference} is closed.", reference=case.reference, from_status=case.status
        )
    with transaction.atomic():
        previous = case.assignee
        Case.objects.filter(pk=case.pk).update(assignee=assignee)
        case.assignee = assignee
        return append_event(
            case,
            kind="assigned",
            actor=actor,
            now=now,
            reason=reason,
            visible_to_customer=False,
            data={
                "from": previous.get_username() if previous else None,
                "to": assignee.get_username() if assignee else None,
            },
        )


def log_access(case: Case, *, user, now: datetime, what: str = "") -> None:
    """Staff opened the case (DESIGN: every staff access to a case is logged)."""
    CaseAccess.objects.create(case=case, user=user, at=now, what=what[:100])


# --- clocks ----------------------------------------------------------------------------------


def _deadline_fields(clock: Clock, jurisdiction: str) -> dict[str, Any]:
    """Deadline, due date and source of a clock, as the law counts them.

    1. The period of `rule` from the start, with the paused days added (CN-20).
    2. A further period (`extends_rule` set): `rule`'s days, or the `extra_days` granted, counted
       from the last day of `extends_rule`'s period, moved off a holiday where the profile rolls.
    3. A cap (`cap_rule`): never later than the last day of that rule's period (CN-28.max).
    """
    pauses = [Pause(start=start, end=end) for start, end in clock.pauses]

    def period(rule: str):
        return compute_deadline(
            jurisdiction=jurisdiction, rule=rule, start=clock.started_at, pauses=pauses
        )

    due = period(clock.extends_rule or clock.rule)
    last, source = due.due_date, get_rule(jurisdiction, clock.rule).source
    if clock.extends_rule:
        days = clock.extra_days
        if days is None:
            days = get_rule(jurisdiction, clock.rule).length_in("days")
        last = last + timedelta(days=days)
        profile = get_profile(jurisdiction)
        if profile.roll_to_working_day:
            last = next_working_day(calendar_for(profile), last)
    if clock.cap_rule:
        last = min(last, period(clock.cap_rule).due_date)
    if last == due.due_date:
        return {"deadline": due.deadline, "due_date": last, "source": source}
    tz = get_profile(jurisdiction).tz
    deadline = datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz)
    return {"deadline": deadline, "due_date": last, "source": source}


def retime_clock(
    clock: Clock,
    *,
    rule: str,
    extends_rule: str = "",
    extra_days: int | None = None,
    cap_rule: str = "",
) -> Clock:
    """Put an open clock under another rule of its profile, keeping its start and pauses.

    E.g. a complaint found complex (CN-28 → CN-28.complex), or an approved extension (rule
    CN-28.extended running on from CN-28.complex by the approved days, capped by CN-28.max).
    A new deadline earns new alerts.
    """
    clock.rule, clock.extends_rule, clock.extra_days, clock.cap_rule = (
        rule,
        extends_rule,
        extra_days,
        cap_rule,
    )
    for name, value in _deadline_fields(clock, clock.case.jurisdiction).items():
        setattr(clock, name, value)
    clock.due_soon_alerted_at = None
    clock.save()
    refresh_next_deadline(clock.case)
    return clock


def start_clock(case: Case, spec: ClockSpec, *, at: datetime) -> Clock | None:
    """Start (or restart) the clock of `spec` from `at`; None where the jurisdiction has no rule."""
    rule = spec.rules.get(case.jurisdiction)
    if rule is None:
        return None
    for running in case.clocks.filter(name=spec.name, stopped_at__isnull=True).exclude(
        state=ClockState.CANCELLED
    ):
        running.state, running.stopped_at = ClockState.CANCELLED, at
        running.save(update_fields=["state", "stopped_at"])
    clock = Clock(
        case=case,
        name=spec.name,
        label=spec.label,
        rule=rule,
        started_at=at,
        state=ClockState.RUNNING,
    )
    for name, value in _deadline_fields(clock, case.jurisdiction).items():
        setattr(clock, name, value)
    clock.save()
    return clock


def pause_clock(clock: Clock, *, at: datetime) -> Clock:
    """Stop a running clock until it is resumed (CN-20: waiting for missing documents)."""
    if clock.state != ClockState.RUNNING:
        return clock
    clock.state, clock.paused_since = ClockState.PAUSED, at
    clock.save(update_fields=["state", "paused_since"])
    refresh_next_deadline(clock.case)
    return clock


def resume_clock(clock: Clock, *, at: datetime) -> Clock:
    """Resume a paused clock; the paused days are added to its period (CN-20, JI-II Art. 15)."""
    if clock.state != ClockState.PAUSED or clock.paused_since is None:
        return clock
    if at < clock.paused_since:
        raise ValidationFailed("A clock cannot resume before it paused.", field="at")
    clock.pauses = [*clock.pauses, [clock.paused_since.isoformat(), at.isoformat()]]
    clock.state, clock.paused_since = ClockState.RUNNING, None
    for name, value in _deadline_fields(clock, clock.case.jurisdiction).items():
        setattr(clock, name, value)
    clock.save()
    refresh_next_deadline(clock.case)
    return clock


def _stop(clock: Clock, at: datetime) -> Clock:
    if clock.state == ClockState.PAUSED and clock.paused_since is not None:
        clock = resume_clock(clock, at=at)
    clock.stopped_at = at
    if clock.state != ClockState.BREACHED:
        clock.state = ClockState.MET if at < clock.deadline else ClockState.BREACHED
    clock.save(update_fields=["stopped_at", "state", "pauses", "deadline", "due_date"])
    return clock


def open_clock(case: Case, name: str) -> Clock | None:
    """The case's latest clock of that name that is still counting (running, paused or late)."""
    return (
        case.clocks.filter(name=name, stopped_at__isnull=True)
        .exclude(state=ClockState.CANCELLED)
        .order_by("-started_at")
        .first()
    )


def _apply_clock_rules(case: Case, event_kind: str, at: datetime) -> None:
    """Move the case's clocks as its kind declares: stop, pause, resume, then start.

    Most events move no clock: those cost no query. The rest read the case's open clocks once.
    """
    specs = [
        spec
        for spec in get_kind(case.kind).clocks
        if event_kind in spec.starts_on | spec.stops_on | spec.pauses_on | spec.resumes_on
    ]
    if not specs:
        return
    open_clocks: dict[str, Clock] = {}
    for clock in (
        case.clocks.filter(name__in=[spec.name for spec in specs], stopped_at__isnull=True)
        .exclude(state=ClockState.CANCELLED)
        .order_by("started_at")
    ):
        clock.case = case  # the caller's instance: no query to reach it again
        open_clocks[clock.name] = clock  # the latest started wins
    touched = False
    for spec in specs:
        current = open_clocks.get(spec.name)
        if current is not None and event_kind in spec.stops_on:
            _stop(current, at)
            current, touched = None, True
        if current is not None and event_kind in spec.pauses_on:
            pause_clock(current, at=at)
            touched = True
        if current is not None and event_kind in spec.resumes_on:
            resume_clock(current, at=at)
            touched = True
        if event_kind in spec.starts_on:
            touched = start_clock(case, spec, at=at) is not None or touched
    if touched:
        refresh_next_deadline(case)


def refresh_next_deadline(case: Case) -> None:
    """The queue orders by the nearest deadline of clocks still counting (or already late)."""
    nearest = case.clocks.filter(
        stopped_at__isnull=True, state__in=[ClockState.RUNNING, ClockState.BREACHED]
    ).aggregate(nearest=Min("deadline"))["nearest"]
    Case.objects.filter(pk=case.pk).update(next_deadline=nearest)
    case.next_deadline = nearest


def sweep_clocks(*, now: datetime) -> dict[str, int]:
    """Raise due-soon and breach alerts once per clock; mark passed deadlines breached.

    Run by the worker every minute. Each alert is an event on the case (staff-only) and a
    message to the assignee, both written in one transaction per clock, so a crash mid-sweep
    neither loses nor repeats an alert.
    """
    lead = due_soon_lead()
    counts = {"due_soon": 0, "breached": 0}
    due_soon = Clock.objects.filter(
        state=ClockState.RUNNING,
        stopped_at__isnull=True,
        due_soon_alerted_at__isnull=True,
        deadline__gt=now,
        deadline__lte=now + lead,
    ).values_list("pk", flat=True)
    for pk in list(due_soon):
        if _alert(pk, now=now, breach=False):
            counts["due_soon"] += 1
    breached = Clock.objects.filter(
        Q(state=ClockState.RUNNING) | Q(state=ClockState.BREACHED),
        stopped_at__isnull=True,
        breach_alerted_at__isnull=True,
        deadline__lte=now,
    ).values_list("pk", flat=True)
    for pk in list(breached):
        if _alert(pk, now=now, breach=True):
            counts["breached"] += 1
    return counts


def _alert(clock_pk: int, *, now: datetime, breach: bool) -> bool:
    with transaction.atomic():
        stamp = "breach_alerted_at" if breach else "due_soon_alerted_at"
        updates: dict[str, Any] = {stamp: now}
        if breach:
            updates["state"] = ClockState.BREACHED
        claimed = Clock.objects.filter(pk=clock_pk, **{f"{stamp}__isnull": True}).update(**updates)
        if not claimed:
            return False  # another sweeper got there first
        clock = Clock.objects.select_related("case__assignee").get(pk=clock_pk)
        case = clock.case
        what = "breached" if breach else "due_soon"
        append_event(
            case,
            kind=f"clock_{what}",
            actor=None,
            now=now,
            visible_to_customer=False,
            data={"clock": clock.name, "rule": clock.rule, "deadline": clock.deadline.isoformat()},
        )
        _notify_staff(case, clock, breach=breach, now=now)
    return True


def _notify_staff(case: Case, clock: Clock, *, breach: bool, now: datetime) -> None:
    try:
        from insuredesk.notifications.services import notify
    except ImportError:  # notifications not installed in this build
        return
    recipient = case.assignee
    if recipient is None:
        return
    when = "has passed" if breach else f"is {clock.due_date:%Y-%m-%d}"
    notify(
        recipient=recipient,
        channel="portal",
        now=now,
        case=case,
        subject=f"{case.reference}: {clock.label} {'breached' if breach else 'due soon'}",
        body=f"The deadline '{clock.label}' ({clock.rule}) on {case.reference} {when}.",
        dedupe_key=f"clock:{clock.pk}:{'breach' if breach else 'soon'}",
    )
