"""Every write to regular visits: the plan the worker follows, asking for and arranging a visit,
its outcome and the follow-ups it raises, the customer's rating, the day-before reminder.

After-sale service runs on "initiative, quickness, accuracy and reasonableness": the insurer
visits before the customer has to ask. The visit plan is data (rule SVC-03 of each jurisdiction
profile, the insurer's own standard, status U): a welcome visit soon after issue, a review on
each anniversary of a multi-year policy, a visit before the term ends, a care visit after a
claim is closed and one after a complaint is resolved; a customer may also ask for one.

Why a visit is a casework case rather than a row with its own status: it has what a case has.
Its status moves by compare-and-set with an event each time (the customer's timeline shows
them, the audit chain keeps them), it runs a clock (SVC-03: the day it is due), and staff find
it in the work queues by that deadline with due-soon and overdue alerts to its agent, all from
`casework` without a line of that machinery here. What is the visit's own (time, channel,
place, outcome, needs, rating) lives on `Visit`, whose `version` column is compared-and-set in
the same transaction, so a change that leaves the status as it was (a new proposal, a moved
appointment, a rating) cannot be lost to a concurrent one either.

Each function is one business operation, keyword-only, with an explicit `actor` and `now`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from insuredesk.casework import services as casework
from insuredesk.casework.models import Case
from insuredesk.casework.registry import ClockSpec
from insuredesk.customers.models import CustomerProfile
from insuredesk.customers.roles import Role, has_role
from insuredesk.customers.selectors import customer_of
from insuredesk.errors import (
    Conflict,
    InvalidTransition,
    NotFound,
    NotPermitted,
    ValidationFailed,
    clean_text,
)
from insuredesk.policies import wording
from insuredesk.policies.choices import (
    VISIT_CLOSED_STATUSES,
    FollowUpAction,
    PolicyStatus,
    VisitChannel,
    VisitNeed,
    VisitOutcome,
    VisitPurpose,
    VisitStatus,
)
from insuredesk.policies.models import Policy, Visit, VisitFollowUp
from insuredesk.rules.deadlines import compute_deadline
from insuredesk.rules.registry import get_profile, get_rule

KIND = "visit"
VISITING_ROLES = (Role.AGENT, Role.SUPERVISOR, Role.ADMINISTRATOR)
SUPERVISING_ROLES = (Role.SUPERVISOR, Role.ADMINISTRATOR)
JURISDICTIONS = ("CN", "GB", "US-CA")

# When each purpose falls due (rules of SVC-03 in every profile) and what starts its count.
PURPOSE_RULES: dict[str, str] = {
    VisitPurpose.WELCOME: "SVC-03",  # from the issue of the policy
    VisitPurpose.REVIEW: "SVC-03.review",  # from the start, then each anniversary
    VisitPurpose.RENEWAL: "SVC-03.renewal",  # back from the last day of the term
    VisitPurpose.CARE: "SVC-03.care",  # from the claim's closing
    VisitPurpose.AFTER_COMPLAINT: "SVC-03.after_complaint",  # from the complaint's resolution
    VisitPurpose.REQUESTED: "SVC-03.requested",  # from the customer's request
}
NOTICE_RULE = "SVC-03.notice"  # how long before its due day a review or renewal is planned
PLAN_PURPOSES = {VisitPurpose.WELCOME, VisitPurpose.REVIEW, VisitPurpose.RENEWAL}

# The clock of each purpose; none is started by an event: `_open_visit` starts it from the
# moment its rule counts from (the issue, the previous anniversary, the end of the term…), so
# the clock's last day is the visit's due day however late the worker noticed it.
VISIT_CLOCKS: dict[str, ClockSpec] = {
    purpose: ClockSpec(
        "visit",
        f"Make the visit ({VisitPurpose(purpose).label.lower()})",
        rules=dict.fromkeys(JURISDICTIONS, rule),
        starts_on=(),
    )
    for purpose, rule in PURPOSE_RULES.items()
}

MAX_ATTEMPTS = 3  # unreachable this many times: the visit ends as "not reached"
MAX_DAYS_AHEAD = 180  # how far ahead an appointment may be made
MAX_NOTE = 500
MAX_NOTES = 4000
MAX_PLACE = 300
MAX_COMMENT = 1000
TASK_DAYS = 7  # a follow-up task is due a week after the visit unless the agent says otherwise
# The planner does not plan what is already past due when it first sees it: a book of old
# policies would otherwise flood the queues with overdue visits the day visits are switched on
# (on the demo book a week's grace made 45 of them). A day covers a worker down overnight.
PLAN_GRACE = dt.timedelta(days=1)
WELCOME_LOOKBACK = dt.timedelta(days=90)  # a welcome visit is never due later than this
EVENT_LOOKBACK = dt.timedelta(days=30)  # claims closed / complaints resolved within it
REMINDER_HOUR = 9  # day-before reminders go out from 09:00 local time, not at midnight

# What a welcome visit confirms with the customer (CN-02/CN-03: the exemption clauses must have
# been explained; the cooling-off right can only be used while it is open).
WELCOME_CHECKLIST: dict[str, str] = {
    "policy_explained": "The policy was delivered and its cover explained",
    "exemptions_understood": "The customer understood the exemption clauses",
    "cooling_off_explained": "The customer knows the cooling-off right and when it ends",
}


# -- reading the rules -----------------------------------------------------------------------------


def _moment(day: dt.date, jurisdiction: str) -> dt.datetime:
    """Midnight at the start of `day` in the jurisdiction: the trigger of a date-based rule."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=get_profile(jurisdiction).tz)


def _due_day(jurisdiction: str, rule: str, start: dt.date) -> dt.date:
    """The last day of `rule` counted from `start` (memoised: the planner asks the same often).

    Keyed on the loaded profile too, so a reload of the profiles (changed overrides of a U
    rule, `rules.registry.reload()`) is never answered from before it.
    """
    return _due_day_of(id(get_profile(jurisdiction)), jurisdiction, rule, start)


@functools.lru_cache(maxsize=4096)
def _due_day_of(profile_id: int, jurisdiction: str, rule: str, start: dt.date) -> dt.date:
    return compute_deadline(jurisdiction=jurisdiction, rule=rule, start=start).due_date


def _shift(day: dt.date, rule_id: str, jurisdiction: str, times: int) -> dt.date:
    """`day` moved on by `times` periods of the rule (the review cycle)."""
    period = get_rule(jurisdiction, rule_id).period
    assert period is not None
    if period.unit in ("months", "years"):
        months = period.amount * (12 if period.unit == "years" else 1) * times
        index = day.month - 1 + months
        year, month = day.year + index // 12, index % 12 + 1
        for last in (day.day, 30, 29, 28):
            try:
                return dt.date(year, month, min(day.day, last))
            except ValueError:
                continue
    if period.unit in ("days", "weeks"):
        return day + dt.timedelta(days=period.amount * (7 if period.unit == "weeks" else 1) * times)
    raise ValidationFailed(f"{rule_id} must count days, weeks, months or years.", rule=rule_id)


def review_due_days(policy: Policy, *, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """(trigger, due day) of the policy's next review not yet past the grace, or None.

    The n-th review counts SVC-03.review from the (n-1)-th anniversary of the start; only
    reviews due within the policy's term exist.
    """
    rule = PURPOSE_RULES[VisitPurpose.REVIEW]
    for n in range(0, 200):
        trigger = _shift(policy.start_date, rule, policy.jurisdiction, n)
        due = _due_day(policy.jurisdiction, rule, trigger)
        if due > policy.end_date or trigger > policy.end_date:
            return None
        if due >= today - PLAN_GRACE:
            return trigger, due
    return None


def upcoming_plan(policy: Policy, *, today: dt.date) -> list[tuple[str, dt.date]]:
    """The plan's next visits for a live policy, as (purpose, due day): for the portal."""
    if policy.status not in (PolicyStatus.PENDING, PolicyStatus.IN_FORCE):
        return []
    plan = []
    review = review_due_days(policy, today=today)
    if review is not None:
        plan.append((VisitPurpose.REVIEW.value, review[1]))
    renewal = _due_day(policy.jurisdiction, PURPOSE_RULES[VisitPurpose.RENEWAL], policy.end_date)
    if renewal >= today:
        plan.append((VisitPurpose.RENEWAL.value, renewal))
    return sorted(plan, key=lambda item: item[1])


# -- guards and small helpers --------------------------------------------------------------------


def _who(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _must_be_open(visit: Visit) -> None:
    """A visit that has ended takes no new time, outcome or answer: 409, before the input."""
    if visit.case.status in VISIT_CLOSED_STATUSES:
        raise InvalidTransition(
            f"{visit.reference} is {visit.case.status_label.lower()}.",
            reference=visit.reference,
            status=visit.case.status,
        )


def _must_be_the_customer(actor, visit: Visit) -> CustomerProfile:
    customer = customer_of(actor)
    if customer is None or customer.pk != visit.customer_id:
        raise NotFound("No such visit.")
    return customer


def _must_handle(actor, visit: Visit) -> None:
    """Agents work their own visits and the unassigned ones; supervisors every visit."""
    if not has_role(actor, *VISITING_ROLES):
        raise NotPermitted("Only agents and supervisors arrange and record visits.")
    assignee = visit.case.assignee_id
    if assignee not in (None, actor.pk) and not has_role(actor, *SUPERVISING_ROLES):
        raise NotPermitted(
            f"{visit.reference} is another agent's visit; a supervisor can reassign it.",
            reference=visit.reference,
        )


def _is_active_agent(user, cache: dict[int, bool] | None = None) -> bool:
    if user is None or not user.is_active:
        return False
    if cache is None:
        return has_role(user, Role.AGENT)
    if user.pk not in cache:
        cache[user.pk] = has_role(user, Role.AGENT)
    return cache[user.pk]


def _open_key(purpose: str, *, policy: Policy | None, customer: CustomerProfile) -> str:
    return f"{purpose}:{policy.number}" if policy is not None else f"{purpose}:{customer.number}"


def _local(moment: dt.datetime | None, visit: Visit) -> str:
    if moment is None:
        return "no time given"
    tz = get_profile(visit.case.jurisdiction).tz
    return timezone.localtime(moment, tz).strftime("%Y-%m-%d %H:%M")


def _bump(visit: Visit, **fields: Any) -> None:
    """Write the visit's own fields by compare-and-set on its version."""
    moved = Visit.objects.filter(pk=visit.pk, version=visit.version).update(
        version=F("version") + 1, **fields
    )
    if not moved:
        raise Conflict(
            f"{visit.reference} was changed by someone else; reload it and try again.",
            reference=visit.reference,
        )
    for name, value in fields.items():
        setattr(visit, name, value)
    visit.version += 1


def _move(
    visit: Visit,
    *,
    to: str,
    actor,
    now: dt.datetime,
    event: str | None = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
    visible_to_customer: bool = True,
    **fields: Any,
) -> None:
    """Compare-and-set the case's status (with its event) and the visit's fields together.

    An ending clears `open_key`, so the plan may make the next visit of this purpose.
    """
    if to in VISIT_CLOSED_STATUSES:
        fields["open_key"] = None
    casework.transition(
        visit.case,
        to=to,
        actor=_who(actor),
        now=now,
        event=event,
        reason=reason,
        data=data,
        visible_to_customer=visible_to_customer,
    )
    _bump(visit, **fields)


def _reads_chinese(visit: Visit) -> bool:
    """Messages in Chinese for a CN customer who reads Chinese, as for premiums and letters."""
    return visit.case.jurisdiction == "CN" and visit.customer.language == "zh"


def _day(day: dt.date, chinese: bool) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if chinese else f"{day:%d %B %Y}"


def _arrangement(visit: Visit, chinese: bool, *, agent=None) -> dict[str, str]:
    """The {channel}, {with_whom}, {when} and {place} of a message about an appointment."""
    language = "zh" if chinese else "en"
    name = (agent.get_full_name() or agent.get_username()) if agent is not None else ""
    channel = VisitChannel(visit.channel)
    return {
        "channel": wording.VISIT_CHANNELS_ZH[channel] if chinese else channel.label,
        "with_whom": wording.VISIT_WITH[language].format(name=name) if name else "",
        "when": _local(visit.scheduled_at, visit),
        "place": wording.VISIT_PLACE[language].format(place=visit.place) if visit.place else "",
    }


def _tell_customer(visit: Visit, kind: str, *, key: str, now: dt.datetime, **fields: Any) -> None:
    """A visit message (`wording.VISIT_MESSAGES[kind]`) in the customer's language to their
    portal inbox, and by e-mail when we have an address; `key` makes it once only."""
    from insuredesk.notifications.services import notify_customer

    subject, body = wording.visit_message(kind, chinese=_reads_chinese(visit), **fields)
    notify_customer(
        visit.customer,
        subject=f"{visit.reference}: {subject}"[:200],
        body=body,
        dedupe_key=f"visit-{key}:{visit.reference}",
        case=visit.case,
        now=now,
    )


def _tell_agent(visit: Visit, *, subject: str, body: str, key: str, now: dt.datetime) -> None:
    """A note in the assigned agent's console inbox (nobody's when the visit is unassigned:
    the agents' queue shows it)."""
    from insuredesk.notifications.services import notify

    agent = visit.case.assignee
    if agent is None:
        return
    notify(
        recipient=agent,
        channel="portal",
        subject=f"{visit.reference}: {subject}"[:200],
        body=body,
        dedupe_key=f"visit-agent-{key}:{visit.reference}"[:200],
        case=visit.case,
        now=now,
    )


def _appointment(
    visit_or_customer: Visit | CustomerProfile,
    *,
    scheduled_at: dt.datetime | None,
    channel: str,
    place: str,
    now: dt.datetime,
) -> dict[str, Any]:
    """A checked time, channel and place: in the future, within reach, somewhere to be.

    A naive time is read in the jurisdiction's local time. In person needs an address (the
    customer's on file unless another is given); a phone call goes to the number on file.
    """
    if isinstance(visit_or_customer, Visit):
        customer, jurisdiction = visit_or_customer.customer, visit_or_customer.case.jurisdiction
    else:
        customer, jurisdiction = visit_or_customer, visit_or_customer.jurisdiction
    if channel not in VisitChannel.values:
        raise ValidationFailed(
            f"channel must be one of: {', '.join(VisitChannel.values)}.", field="channel"
        )
    if not isinstance(scheduled_at, dt.datetime):
        raise ValidationFailed("Give the date and time of the visit.", field="scheduled_at")
    if timezone.is_naive(scheduled_at):
        scheduled_at = scheduled_at.replace(tzinfo=get_profile(jurisdiction).tz)
    if scheduled_at <= now:
        raise ValidationFailed("The visit must be in the future.", field="scheduled_at")
    if scheduled_at > now + dt.timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationFailed(
            f"A visit can be arranged at most {MAX_DAYS_AHEAD} days ahead.", field="scheduled_at"
        )
    place = clean_text(place, field="place", max_length=MAX_PLACE, required=False)
    if not place:
        place = {
            VisitChannel.IN_PERSON: customer.address,
            VisitChannel.PHONE: customer.phone,
        }.get(VisitChannel(channel), "")[:MAX_PLACE]
    if channel == VisitChannel.IN_PERSON and not place:
        raise ValidationFailed("Say where the visit takes place.", field="place")
    return {"scheduled_at": scheduled_at, "channel": channel, "place": place}


# -- opening a visit -----------------------------------------------------------------------------


def _open_visit(
    *,
    purpose: str,
    customer: CustomerProfile,
    policy: Policy | None,
    trigger: dt.datetime,
    actor,
    now: dt.datetime,
    assignee=None,
    plan_key: str | None = None,
    source_case: Case | None = None,
    customer_note: str = "",
) -> Visit:
    """Open the visit's case (event "planned"), start its clock, write the visit.

    Runs inside the caller's transaction. Two planners racing for one occurrence, or a second
    open visit of one purpose, meet the unique `plan_key` / `open_key`: Conflict, and the
    caller's transaction (the case with it) is rolled back.
    """
    jurisdiction = policy.jurisdiction if policy is not None else customer.jurisdiction
    rule = PURPOSE_RULES[purpose]
    spec = VISIT_CLOCKS[purpose]
    label = VisitPurpose(purpose).label
    about = policy.number if policy is not None else customer.full_name
    open_key = _open_key(purpose, policy=policy, customer=customer)
    already = Visit.objects.filter(open_key=open_key).select_related("case").first()
    if already is not None:
        raise Conflict(
            f"{already.reference} ({label.lower()}) is already open for {about}.",
            reference=already.reference,
        )
    case = casework.open_case(
        kind=KIND,
        title=f"{label}: {about}",
        actor=_who(actor),
        now=now,
        customer=customer,
        jurisdiction=jurisdiction,
        assignee=assignee,
        event="planned",
        data={
            "purpose": purpose,
            "policy": policy.number if policy is not None else None,
            "source": source_case.reference if source_case is not None else None,
        },
    )
    clock = casework.start_clock(case, spec, at=trigger)
    casework.refresh_next_deadline(case)
    due_on = clock.due_date if clock is not None else _due_day(jurisdiction, rule, trigger.date())
    try:
        with transaction.atomic():
            return Visit.objects.create(
                case=case,
                customer=customer,
                policy=policy,
                purpose=purpose,
                source_case=source_case,
                plan_key=plan_key,
                open_key=open_key,
                due_on=due_on,
                rule=rule,
                customer_note=customer_note,
                created_at=now,
            )
    except IntegrityError:
        raise Conflict(
            f"A {label.lower()} visit for {about} was planned meanwhile.", field="purpose"
        ) from None


def _tell_planned(visit: Visit, *, now: dt.datetime) -> None:
    chinese = _reads_chinese(visit)
    policy = visit.policy
    _tell_customer(
        visit,
        f"planned_{visit.purpose}",
        key="planned",
        now=now,
        policy=policy.number if policy else "",
        end=_day(policy.end_date, chinese) if policy else "",
        due=_day(visit.due_on, chinese),
        source=visit.source_case.reference if visit.source_case is not None else "",
    )


# -- the plan (the worker) ------------------------------------------------------------------------


def plan_visits(*, now: dt.datetime) -> dict[str, int]:
    """The worker's job: plan every visit that has fallen due, once; cancel those no longer
    needed. Returns counts. Safe to run at any moment and in several workers at once.

    1. Welcome: each policy pending or in force issued within `WELCOME_LOOKBACK`, due SVC-03
       (10 days) after its issue.
    2. Review: each multi-year policy in force, due SVC-03.review after its start or last
       anniversary, planned SVC-03.notice (30 days) ahead.
    3. Before renewal: each policy in force, due SVC-03.renewal (30 days) before its end,
       planned SVC-03.notice ahead.
    4. Care: each claim closed (not withdrawn) within `EVENT_LOOKBACK`, due SVC-03.care after.
    5. After a complaint: each complaint resolved within `EVENT_LOOKBACK`, SVC-03.after_complaint.
    6. A welcome, review or renewal visit still open on a policy that has ended is cancelled.
    Nothing past its due day by more than `PLAN_GRACE` is planned. Each occurrence has a
    `plan_key`, so it is planned once; one open visit per purpose and policy at a time (a
    review still open covers the next anniversary). Visits go to the policy's agent, or to the
    agents' queue when it has none.
    """
    counts = {"planned": 0, "cancelled": 0}
    agents: dict[int, bool] = {}
    wanted: list[dict[str, Any]] = []
    live = Policy.objects.filter(status__in=[PolicyStatus.PENDING, PolicyStatus.IN_FORCE])
    live = live.select_related("policyholder", "agent").only(
        "number",
        "status",
        "start_date",
        "end_date",
        "jurisdiction",
        "issued_at",
        "policyholder",
        "agent",
    )
    for policy in live.iterator(chunk_size=2000):
        today = get_profile(policy.jurisdiction).today(now)
        wanted += _policy_occurrences(policy, today=today, now=now)
    wanted += _event_occurrences(now=now)
    taken = set(
        Visit.objects.filter(plan_key__in=[w["plan_key"] for w in wanted]).values_list(
            "plan_key", flat=True
        )
    )
    busy = set(Visit.objects.filter(open_key__isnull=False).values_list("open_key", flat=True))
    for item in wanted:
        key = _open_key(item["purpose"], policy=item["policy"], customer=item["customer"])
        if item["plan_key"] in taken or key in busy:
            continue
        policy = item["policy"]
        agent = policy.agent if policy is not None else None
        try:
            with transaction.atomic(durable=True):
                visit = _open_visit(
                    **item,
                    actor=None,
                    now=now,
                    assignee=agent if _is_active_agent(agent, agents) else None,
                )
                _tell_planned(visit, now=now)
        except Conflict:
            continue  # another worker planned it first
        busy.add(key)
        counts["planned"] += 1
    counts["cancelled"] = _cancel_unneeded(now=now)
    return counts


def _policy_occurrences(policy: Policy, *, today: dt.date, now: dt.datetime) -> list[dict]:
    """Steps 1-3 of `plan_visits` for one live policy: the visits due or soon due."""
    found: list[dict[str, Any]] = []
    common = {"customer": policy.policyholder, "policy": policy}
    jurisdiction = policy.jurisdiction

    def noticed(due: dt.date) -> bool:
        return _due_day(jurisdiction, NOTICE_RULE, due) <= today and due >= today - PLAN_GRACE

    if policy.issued_at >= now - WELCOME_LOOKBACK:
        issued_on = get_profile(jurisdiction).today(policy.issued_at)
        if _due_day(jurisdiction, PURPOSE_RULES[VisitPurpose.WELCOME], issued_on) >= today:
            found.append(
                {
                    **common,
                    "purpose": VisitPurpose.WELCOME,
                    "trigger": policy.issued_at,
                    "plan_key": f"welcome:{policy.number}",
                }
            )
    if policy.status == PolicyStatus.IN_FORCE:
        review = review_due_days(policy, today=today)
        if review is not None and noticed(review[1]):
            found.append(
                {
                    **common,
                    "purpose": VisitPurpose.REVIEW,
                    "trigger": _moment(review[0], jurisdiction),
                    "plan_key": f"review:{policy.number}:{review[1].isoformat()}",
                }
            )
        renewal_rule = PURPOSE_RULES[VisitPurpose.RENEWAL]
        if noticed(_due_day(jurisdiction, renewal_rule, policy.end_date)):
            found.append(
                {
                    **common,
                    "purpose": VisitPurpose.RENEWAL,
                    "trigger": _moment(policy.end_date, jurisdiction),
                    "plan_key": f"renewal:{policy.number}:{policy.end_date.isoformat()}",
                }
            )
    return found


def _event_occurrences(*, now: dt.datetime) -> list[dict]:
    """Steps 4-5 of `plan_visits`: claims closed and complaints resolved lately.

    Read through the case's reverse relations (`claim`, `complaint`), so policies need not
    import those apps.
    """
    found: list[dict[str, Any]] = []
    since = now - EVENT_LOOKBACK
    claims = Case.objects.filter(
        kind="claim", status="closed", closed_at__gte=since
    ).select_related("claim__policy__policyholder", "claim__policy__agent")
    complaints = (
        Case.objects.filter(kind="complaint", status="resolved", closed_at__gte=since)
        .exclude(customer__isnull=True)
        .select_related("customer", "complaint__policy__agent")
    )
    for purpose, cases in ((VisitPurpose.CARE, claims), (VisitPurpose.AFTER_COMPLAINT, complaints)):
        for case in cases:
            assert case.closed_at is not None
            policy: Policy | None
            if purpose == VisitPurpose.CARE:
                policy = case.claim.policy
                customer = case.claim.policy.policyholder
            else:
                policy = case.complaint.policy
                assert case.customer is not None  # excluded above
                customer = case.customer
            jurisdiction = policy.jurisdiction if policy is not None else customer.jurisdiction
            closed_on = get_profile(jurisdiction).today(case.closed_at)
            if _due_day(jurisdiction, PURPOSE_RULES[purpose], closed_on) < (
                get_profile(jurisdiction).today(now)
            ):
                continue
            found.append(
                {
                    "customer": customer,
                    "policy": policy,
                    "purpose": purpose,
                    "trigger": case.closed_at,
                    "plan_key": f"{purpose}:{case.reference}",
                    "source_case": case,
                }
            )
    return found


def _cancel_unneeded(*, now: dt.datetime) -> int:
    """Step 6 of `plan_visits`: the policy ended (cancelled, lapsed, expired…), so its welcome,
    review and renewal visits are no longer needed; a customer with an appointment is told."""
    stale = (
        Visit.objects.filter(open_key__isnull=False, purpose__in=PLAN_PURPOSES)
        .exclude(policy__status__in=[PolicyStatus.PENDING, PolicyStatus.IN_FORCE])
        .select_related("case", "customer", "policy")
    )
    cancelled = 0
    for visit in stale:
        assert visit.policy is not None
        try:
            with transaction.atomic(durable=True):
                had_appointment = visit.case.status == VisitStatus.SCHEDULED
                _move(
                    visit,
                    to=VisitStatus.CANCELLED,
                    actor=None,
                    now=now,
                    event="cancelled",
                    reason=f"Policy {visit.policy.number} is "
                    f"{visit.policy.get_status_display().lower()}.",
                )
                if had_appointment:
                    _tell_customer(
                        visit,
                        "cancelled",
                        key="cancelled",
                        now=now,
                        policy=visit.policy.number,
                        when=_local(visit.scheduled_at, visit),
                    )
        except (Conflict, InvalidTransition):
            continue  # moved meanwhile; the next pass looks again
        cancelled += 1
    return cancelled


# -- the customer ---------------------------------------------------------------------------------


def request_visit(
    *,
    actor,
    now: dt.datetime,
    customer: CustomerProfile | None = None,
    policy: Policy | None = None,
    channel: str = "",
    scheduled_at: dt.datetime | None = None,
    place: str = "",
    note: str = "",
) -> Visit:
    """A customer asks for a visit (or staff record that they asked, by phone or in a branch).

    1. A customer asks for themselves; agents and supervisors name the customer. A policy, if
       named, is the customer's (another's is not found).
    2. One open requested visit per policy (or per customer without one): a second is 409.
    3. With a time: the customer's is a proposal for the agent to confirm; staff's is agreed.
    4. Due SVC-03.requested (5 business days); it goes to the policy's agent, or to the agent
       who recorded it, or to the agents' queue; the customer and the agent are told.
    """
    own = customer_of(actor)
    if own is not None:
        if customer is not None and customer.pk != own.pk:
            raise NotFound("No such customer.", field="customer")
        customer = own
    elif not has_role(actor, *VISITING_ROLES):
        raise NotPermitted("Sign in as a customer, or as an agent for a customer.")
    if customer is None:
        raise ValidationFailed("Name the customer to visit.", field="customer")
    if policy is not None and policy.policyholder_id != customer.pk:
        raise NotFound("No such policy.", field="policy")
    note = clean_text(note, field="note", max_length=MAX_NOTE, required=False)
    appointment = None
    if scheduled_at is not None or channel:
        appointment = _appointment(
            customer, scheduled_at=scheduled_at, channel=channel, place=place, now=now
        )
    agent = None
    if policy is not None and _is_active_agent(policy.agent):
        agent = policy.agent
    elif own is None and has_role(actor, Role.AGENT):
        agent = actor
    with transaction.atomic(durable=True):
        visit = _open_visit(
            purpose=VisitPurpose.REQUESTED,
            customer=customer,
            policy=policy,
            trigger=now,
            actor=actor,
            now=now,
            assignee=agent,
            customer_note=note,
        )
        if appointment is not None:
            to = VisitStatus.PROPOSED if own is not None else VisitStatus.SCHEDULED
            _move(visit, to=to, actor=actor, now=now, data=_event_data(appointment), **appointment)
        if own is not None:
            _tell_planned(visit, now=now)
            _tell_agent(
                visit,
                subject=f"{customer.full_name} asks for a visit",
                body=note or "No message.",
                key="requested",
                now=now,
            )
        elif appointment is not None:
            _tell_scheduled(visit, now=now)
    return visit


def _event_data(appointment: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "scheduled_at": appointment["scheduled_at"].isoformat(),
        "channel": appointment["channel"],
        "place": appointment["place"],
    }


def propose_visit_time(
    *,
    actor,
    visit: Visit,
    scheduled_at: dt.datetime | None,
    channel: str,
    now: dt.datetime,
    place: str = "",
    note: str = "",
) -> Visit:
    """The customer proposes when and how (or asks to move the agreed time): the visit waits
    for the agent to confirm ("proposed"), and the agent is told."""
    _must_be_the_customer(actor, visit)
    _must_be_open(visit)
    appointment = _appointment(
        visit, scheduled_at=scheduled_at, channel=channel, place=place, now=now
    )
    note = clean_text(note, field="note", max_length=MAX_NOTE, required=False)
    moving = visit.case.status == VisitStatus.SCHEDULED
    with transaction.atomic(durable=True):
        _move(
            visit,
            to=VisitStatus.PROPOSED,
            actor=actor,
            now=now,
            event="reschedule_asked" if moving else "proposed",
            reason=note,
            data=_event_data(appointment),
            customer_note=note or visit.customer_note,
            **appointment,
        )
        _tell_agent(
            visit,
            subject=f"{visit.customer.full_name} proposes {_local(visit.scheduled_at, visit)}",
            body=f"{VisitChannel(visit.channel).label}, {visit.place or 'no place given'}. "
            f"{note}".strip(),
            key=f"proposed:{visit.version}",
            now=now,
        )
    return visit


def decline_visit(*, actor, visit: Visit, now: dt.datetime, reason: str = "") -> Visit:
    """The customer does not want the visit (or staff record that they said so): it ends."""
    if customer_of(actor) is not None:
        _must_be_the_customer(actor, visit)
    else:
        _must_handle(actor, visit)
    _must_be_open(visit)
    reason = clean_text(reason, field="reason", max_length=MAX_NOTE, required=False)
    with transaction.atomic(durable=True):
        _move(
            visit,
            to=VisitStatus.DECLINED,
            actor=actor,
            now=now,
            event="declined",
            reason=reason,
            outcome=VisitOutcome.DECLINED,
        )
        if customer_of(actor) is not None:
            _tell_agent(
                visit,
                subject=f"{visit.customer.full_name} declined the visit",
                body=reason or "No reason given.",
                key="declined",
                now=now,
            )
    return visit


def rate_visit(*, actor, visit: Visit, rating: int, now: dt.datetime, comment: str = "") -> Visit:
    """The customer rates a completed visit from 1 to 5, once; a low mark (1 or 2) is sent to
    the agent at once, so someone calls back."""
    _must_be_the_customer(actor, visit)
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationFailed("Rate the visit from 1 to 5.", field="rating")
    comment = clean_text(comment, field="comment", max_length=MAX_COMMENT, required=False)
    if visit.case.status != VisitStatus.COMPLETED:
        raise InvalidTransition(
            "Only a completed visit can be rated.", status=visit.case.status, field="rating"
        )
    with transaction.atomic(durable=True):
        rated = Visit.objects.filter(pk=visit.pk, rating__isnull=True).update(
            rating=rating, rating_comment=comment, rated_at=now, version=F("version") + 1
        )
        if not rated:
            raise Conflict("You have already rated this visit.", field="rating")
        visit.rating, visit.rating_comment, visit.rated_at = rating, comment, now
        visit.version += 1
        casework.record_event(
            visit.case,
            kind="rated",
            actor=actor,
            now=now,
            reason=comment,
            data={"rating": rating},
        )
        if rating <= 2:
            _tell_agent(
                visit,
                subject=f"{visit.customer.full_name} rated the visit {rating}/5",
                body=comment or "No comment. Call the customer to find out why.",
                key="low-rating",
                now=now,
            )
    return visit


# -- the agent ------------------------------------------------------------------------------------


def _tell_scheduled(visit: Visit, *, now: dt.datetime, moved: bool = False) -> None:
    assert visit.scheduled_at is not None
    _tell_customer(
        visit,
        "moved" if moved else "scheduled",
        key=f"scheduled:{visit.scheduled_at:%Y%m%d%H%M}",
        now=now,
        **_arrangement(visit, _reads_chinese(visit), agent=visit.case.assignee),
    )


def schedule_visit(
    *,
    actor,
    visit: Visit,
    scheduled_at: dt.datetime | None,
    channel: str,
    now: dt.datetime,
    place: str = "",
    reason: str = "",
) -> Visit:
    """Agree the time, channel and place (confirming the customer's proposal or fixing
    another), or move an agreed appointment. An unassigned visit becomes the agent's own. The
    customer is told."""
    _must_handle(actor, visit)
    _must_be_open(visit)
    appointment = _appointment(
        visit, scheduled_at=scheduled_at, channel=channel, place=place, now=now
    )
    reason = clean_text(reason, field="reason", max_length=MAX_NOTE, required=False)
    moved = visit.case.status == VisitStatus.SCHEDULED
    with transaction.atomic(durable=True):
        if visit.case.assignee_id is None and has_role(actor, Role.AGENT):
            casework.assign(visit.case, assignee=actor, actor=actor, now=now, reason="took it")
        _move(
            visit,
            to=VisitStatus.SCHEDULED,
            actor=actor,
            now=now,
            event="rescheduled" if moved else "scheduled",
            reason=reason,
            data=_event_data(appointment),
            **appointment,
        )
        _tell_scheduled(visit, now=now, moved=moved)
    return visit


def reschedule_visit(
    *,
    actor,
    visit: Visit,
    scheduled_at: dt.datetime | None,
    channel: str,
    now: dt.datetime,
    place: str = "",
    reason: str = "",
) -> Visit:
    """Move an arranged visit: the customer proposes the new time (the agent confirms it),
    an agent moves it at once. Nothing arranged yet is 409: propose or schedule instead."""
    if visit.case.status not in (VisitStatus.SCHEDULED, VisitStatus.PROPOSED):
        raise InvalidTransition(
            "No time is arranged yet: propose one (customers) or schedule it (agents).",
            status=visit.case.status,
        )
    if customer_of(actor) is not None:
        return propose_visit_time(
            actor=actor,
            visit=visit,
            scheduled_at=scheduled_at,
            channel=channel,
            place=place,
            note=reason,
            now=now,
        )
    return schedule_visit(
        actor=actor,
        visit=visit,
        scheduled_at=scheduled_at,
        channel=channel,
        place=place,
        reason=reason,
        now=now,
    )


def _clean_needs(needs: Iterable[str]) -> list[str]:
    cleaned: list[str] = []
    for index, need in enumerate(needs):
        if need not in VisitNeed.values:
            raise ValidationFailed(
                f"needs must be among: {', '.join(VisitNeed.values)}.", field=f"needs.{index}"
            )
        if need not in cleaned:
            cleaned.append(need)
    return cleaned


def _clean_checklist(visit: Visit, checklist: Mapping[str, Any] | None) -> dict[str, bool]:
    """A welcome visit answers each point of `WELCOME_CHECKLIST` yes or no; others, none."""
    if visit.purpose != VisitPurpose.WELCOME:
        if checklist:
            raise ValidationFailed("Only a welcome visit has a checklist.", field="checklist")
        return {}
    checklist = dict(checklist or {})
    unknown = sorted(set(checklist) - set(WELCOME_CHECKLIST))
    if unknown:
        raise ValidationFailed(
            f"{unknown[0]} is not a point of the welcome visit.", field=f"checklist.{unknown[0]}"
        )
    for key, words in WELCOME_CHECKLIST.items():
        if not isinstance(checklist.get(key), bool):
            raise ValidationFailed(f"Answer yes or no: {words}.", field=f"checklist.{key}")
    return {key: checklist[key] for key in WELCOME_CHECKLIST}


def record_visit_outcome(
    *,
    actor,
    visit: Visit,
    outcome: str,
    now: dt.datetime,
    visited_at: dt.datetime | None = None,
    notes: str = "",
    needs: Iterable[str] = (),
    checklist: Mapping[str, Any] | None = None,
    scheduled_at: dt.datetime | None = None,
    channel: str = "",
    place: str = "",
) -> Visit:
    """What happened: the visit took place, the customer could not be reached, declined, or
    asked to come another time.

    - completed: when it took place (not in the future, not before it was planned), the notes,
      the needs found; a welcome visit answers its checklist, and any "no" adds the need to
      explain again. The customer is thanked and asked to rate it.
    - unreachable: one more attempt; the visit goes back to "planned" to be arranged again,
      and after `MAX_ATTEMPTS` it ends as "not reached". The customer is asked to get in touch.
    - declined: it ends.
    - rescheduled: the new time, channel and place, as `schedule_visit`.
    """
    _must_handle(actor, visit)
    _must_be_open(visit)
    if outcome not in VisitOutcome.values:
        raise ValidationFailed(
            f"outcome must be one of: {', '.join(VisitOutcome.values)}.", field="outcome"
        )
    notes = clean_text(notes, field="notes", max_length=MAX_NOTES, required=False)
    if outcome == VisitOutcome.RESCHEDULED:
        return schedule_visit(
            actor=actor,
            visit=visit,
            scheduled_at=scheduled_at,
            channel=channel or visit.channel,
            place=place,
            reason=notes,
            now=now,
        )
    if outcome == VisitOutcome.DECLINED:
        return decline_visit(actor=actor, visit=visit, now=now, reason=notes)
    if outcome == VisitOutcome.UNREACHABLE:
        return _unreachable(actor=actor, visit=visit, notes=notes, now=now)
    visited_at = visited_at or now
    if not isinstance(visited_at, dt.datetime) or timezone.is_naive(visited_at):
        raise ValidationFailed(
            "visited_at must be a date and time with its zone.", field="visited_at"
        )
    if visited_at > now:
        raise ValidationFailed(
            "The visit cannot have taken place in the future.", field="visited_at"
        )
    if visited_at < visit.case.opened_at:
        raise ValidationFailed(
            "The visit cannot have taken place before it was planned.", field="visited_at"
        )
    found = _clean_needs(needs)
    answers = _clean_checklist(visit, checklist)
    if answers and not all(answers.values()) and VisitNeed.EXPLAIN_AGAIN not in found:
        found.append(VisitNeed.EXPLAIN_AGAIN)
    with transaction.atomic(durable=True):
        _move(
            visit,
            to=VisitStatus.COMPLETED,
            actor=actor,
            now=now,
            event="completed",
            data={"visited_at": visited_at.isoformat(), "needs": found, "checklist": answers},
            outcome=VisitOutcome.COMPLETED,
            visited_at=visited_at,
            notes=notes,
            needs=found,
            checklist=answers,
        )
        _tell_customer(visit, "completed", key="completed", now=now)
    return visit


def _unreachable(*, actor, visit: Visit, notes: str, now: dt.datetime) -> Visit:
    attempts = visit.attempts + 1
    with transaction.atomic(durable=True):
        if attempts >= MAX_ATTEMPTS:
            _move(
                visit,
                to=VisitStatus.NOT_REACHED,
                actor=actor,
                now=now,
                event="not_reached",
                reason=notes,
                data={"attempts": attempts},
                attempts=attempts,
                outcome=VisitOutcome.UNREACHABLE,
            )
            return visit
        if visit.case.status == VisitStatus.PLANNED:
            casework.record_event(
                visit.case,
                kind="unreachable",
                actor=actor,
                now=now,
                reason=notes,
                data={"attempts": attempts},
            )
            _bump(visit, attempts=attempts, outcome=VisitOutcome.UNREACHABLE)
        else:
            _move(
                visit,
                to=VisitStatus.PLANNED,
                actor=actor,
                now=now,
                event="unreachable",
                reason=notes,
                data={"attempts": attempts},
                attempts=attempts,
                outcome=VisitOutcome.UNREACHABLE,
            )
        _tell_customer(visit, "unreachable", key=f"unreachable:{attempts}", now=now)
    return visit


def assign_visit(*, actor, visit: Visit, assignee, now: dt.datetime, reason: str = "") -> Visit:
    """An agent takes an unassigned visit for themselves; a supervisor gives any open visit to
    an agent (or back to the agents' queue with None)."""
    supervisor = has_role(actor, *SUPERVISING_ROLES)
    if not supervisor:
        if not has_role(actor, Role.AGENT):
            raise NotPermitted("Only agents and supervisors take visits.")
        if assignee is None or assignee.pk != actor.pk or visit.case.assignee_id is not None:
            raise NotPermitted("An agent takes unassigned visits for themselves only.")
    if assignee is not None and not _is_active_agent(assignee):
        raise ValidationFailed("Visits go to active agents.", field="assignee")
    reason = clean_text(reason, field="reason", max_length=MAX_NOTE, required=False)
    with transaction.atomic(durable=True):
        casework.assign(visit.case, assignee=assignee, actor=actor, now=now, reason=reason)
        _bump(visit)
    return visit


# -- follow-ups -----------------------------------------------------------------------------------


def raise_follow_up(
    *,
    actor,
    visit: Visit,
    need: str,
    action: str,
    note: str,
    now: dt.datetime,
    due_on: dt.date | None = None,
    desired_outcome: str = "",
) -> VisitFollowUp:
    """Act on a need found at a completed visit, through the service that owns it.

    - consultation: the customer's question goes to the agents as a consultation on the
      policy (`consultation.open_follow_up_task`, origin "visit"), given to the agent who
      raised it; the customer follows it in their portal.
    - complaint: recorded for the complaint handlers (`complaints.submit_complaint`, channel
      "visit", related to this visit's case), with its acknowledgement and statutory clocks.
    - task: an internal to-do for the agent, due `due_on` (a week by default).
    One follow-up per need; the visit's timeline records it.
    """
    _must_handle(actor, visit)
    if visit.case.status != VisitStatus.COMPLETED:
        raise InvalidTransition(
            "Follow-ups are raised from a completed visit.", status=visit.case.status
        )
    if need not in visit.needs:
        raise ValidationFailed("Record the need with the visit's outcome first.", field="need")
    if action not in FollowUpAction.values:
        raise ValidationFailed(
            f"action must be one of: {', '.join(FollowUpAction.values)}.", field="action"
        )
    note = clean_text(note, field="note", max_length=MAX_NOTES)
    if VisitFollowUp.objects.filter(visit=visit, need=need).exists():
        raise Conflict(f"A follow-up for this need is already raised on {visit.reference}.")
    today = get_profile(visit.case.jurisdiction).today(now)
    if action == FollowUpAction.TASK:
        due_on = due_on or today + dt.timedelta(days=TASK_DAYS)
        if not isinstance(due_on, dt.date) or due_on < today:
            raise ValidationFailed("A task is due today or later.", field="due_on")
    complaint = None
    if action == FollowUpAction.COMPLAINT:
        complaint = _record_complaint(
            actor=actor, visit=visit, note=note, desired_outcome=desired_outcome, now=now
        )
    with transaction.atomic(durable=True):
        consultation = None
        if action == FollowUpAction.CONSULTATION:
            consultation = _open_consultation(
                actor=actor, visit=visit, need=need, note=note, now=now
            )
        follow_up = VisitFollowUp.objects.create(
            visit=visit,
            need=need,
            action=action,
            note=note,
            consultation=consultation,
            complaint=complaint,
            assignee=actor if action == FollowUpAction.TASK else None,
            due_on=due_on if action == FollowUpAction.TASK else None,
            raised_by=actor,
            raised_at=now,
        )
        linked = consultation.case.reference if consultation else None
        linked = linked or (complaint.case.reference if complaint else None)
        casework.record_event(
            visit.case,
            kind="follow_up_raised",
            actor=actor,
            now=now,
            reason=VisitNeed(need).label,
            data={"need": need, "action": action, "reference": linked},
            # An internal task is the agent's business; a consultation or a complaint is the
            # customer's, and they see it in their portal anyway.
            visible_to_customer=action != FollowUpAction.TASK,
        )
    return follow_up


def _open_consultation(*, actor, visit: Visit, need: str, note: str, now: dt.datetime):
    from insuredesk.consultation.choices import Origin
    from insuredesk.consultation.services import open_follow_up_task

    consultation = open_follow_up_task(
        customer=visit.customer,
        subject=f"{VisitNeed(need).label} (asked at visit {visit.reference})"[:200],
        body=note,
        now=now,
        language=visit.customer.language,
        policy=visit.policy,
        origin=Origin.VISIT,
    )
    if has_role(actor, Role.AGENT):
        # The agent heard the question and knows the customer: the answer is theirs to give.
        casework.assign(
            consultation.case, assignee=actor, actor=actor, now=now, reason="raised at a visit"
        )
    return consultation


def _record_complaint(*, actor, visit: Visit, note: str, desired_outcome: str, now: dt.datetime):
    """Record the complaint through the complaints app, in its own transaction.

    `submit_complaint` is a top-level (durable) operation, so it commits before the follow-up
    row is written. The complaint names this visit's case as its related case, so the link is
    not lost even if writing the row then failed; the check below stops a second complaint.
    """
    from insuredesk.complaints.choices import Channel
    from insuredesk.complaints.models import Complaint
    from insuredesk.complaints.services import submit_complaint

    desired_outcome = clean_text(desired_outcome, field="desired_outcome", max_length=2000)
    if Complaint.objects.filter(related_case=visit.case).exists():
        raise Conflict(f"A complaint from {visit.reference} is already recorded.", field="need")
    return submit_complaint(
        customer=visit.customer,
        actor=actor,
        now=now,
        channel=Channel.VISIT,
        description=note,
        desired_outcome=desired_outcome,
        policy=visit.policy,
        related_case=visit.case,
    )


def complete_follow_up_task(*, actor, follow_up: VisitFollowUp, now: dt.datetime) -> VisitFollowUp:
    """The agent marks a follow-up task done (once)."""
    _must_handle(actor, follow_up.visit)
    if follow_up.action != FollowUpAction.TASK:
        raise InvalidTransition("Only a task is marked done; the others have their own case.")
    with transaction.atomic(durable=True):
        done = VisitFollowUp.objects.filter(pk=follow_up.pk, done_at__isnull=True).update(
            done_at=now
        )
        if not done:
            raise Conflict("This task is already done.")
        follow_up.done_at = now
        casework.record_event(
            follow_up.visit.case,
            kind="follow_up_done",
            actor=actor,
            now=now,
            reason=VisitNeed(follow_up.need).label,
            data={"need": follow_up.need},
            visible_to_customer=False,
        )
    return follow_up


# -- reminders (the worker) -----------------------------------------------------------------------


def send_visit_reminders(*, now: dt.datetime) -> dict[str, int]:
    """The worker's job: remind each customer the day before a scheduled visit (from 09:00
    local time), once per appointment, in the portal, by e-mail and by SMS where we have them.

    `reminded_for` holds the appointment reminded of; it is set by compare-and-set, so two
    workers do not both send, and a moved appointment is reminded of again.
    """
    from insuredesk.notifications.services import notify

    sent = 0
    soon = (
        Visit.objects.filter(
            case__status=VisitStatus.SCHEDULED,
            scheduled_at__gt=now,
            scheduled_at__lte=now + dt.timedelta(days=2),
        )
        .exclude(reminded_for=F("scheduled_at"))
        .select_related("case", "customer")
    )
    for visit in soon:
        assert visit.scheduled_at is not None
        profile = get_profile(visit.case.jurisdiction)
        local_now = timezone.localtime(now, profile.tz)
        visit_day = timezone.localtime(visit.scheduled_at, profile.tz).date()
        if visit_day != local_now.date() + dt.timedelta(days=1) or local_now.hour < REMINDER_HOUR:
            continue
        with transaction.atomic(durable=True):
            claimed = (
                Visit.objects.filter(pk=visit.pk, scheduled_at=visit.scheduled_at)
                .exclude(reminded_for=visit.scheduled_at)
                .update(reminded_for=visit.scheduled_at)
            )
            if not claimed:
                continue
            arrangement = _arrangement(visit, _reads_chinese(visit))
            key = f"reminder:{visit.scheduled_at:%Y%m%d%H%M}"
            _tell_customer(visit, "reminder", key=key, now=now, **arrangement)
            if visit.customer.phone:
                subject, body = wording.visit_message(
                    "reminder", chinese=_reads_chinese(visit), **arrangement
                )
                notify(
                    recipient=visit.customer,
                    channel="sms",
                    subject=f"{visit.reference}: {subject}",
                    body=f"{visit.reference}: {subject}: {body}",
                    dedupe_key=f"visit-{key}:{visit.reference}:sms",
                    case=visit.case,
                    now=now,
                )
        sent += 1
    return {"reminded": sent}
