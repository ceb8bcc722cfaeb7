"""Reads of regular visits: who sees which, the agents' queue, a customer's visits, the weekly
figures of the queue page. A customer sees only their own visits (another's is a 404)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from insuredesk.casework.models import Clock
from insuredesk.customers.roles import Role, has_role, is_staff_member
from insuredesk.policies.choices import (
    VISIT_CLOSED_STATUSES,
    VISIT_OPEN_STATUSES,
    FollowUpAction,
    VisitStatus,
)
from insuredesk.policies.models import Visit, VisitFollowUp

SCOPES = ("mine", "pool", "everyone")


def visits_visible_to(user) -> QuerySet[Visit]:
    """Staff see every visit; a customer the visits made to them; anyone else none."""
    visits = Visit.objects.select_related(
        "case__assignee", "customer", "policy__product_version__product", "source_case"
    )
    if is_staff_member(user):
        return visits
    if getattr(user, "is_authenticated", False):
        return visits.filter(customer__user=user)
    return visits.none()


def get_visit_for(user, reference: str) -> Visit:
    """One visit by its reference (VIS-…), or 404 when it does not exist or is not the caller's."""
    visit = visits_visible_to(user).filter(case__reference=reference).first()
    if visit is None:
        raise Http404("No such visit.")
    return visit


def can_see_everyones_visits(user) -> bool:
    return has_role(user, Role.SUPERVISOR, Role.ADMINISTRATOR)


def visit_queue(
    user, *, scope: str = "mine", purpose: str = "", status: str = ""
) -> QuerySet[Visit]:
    """Open visits (or those of `status`) by the day they are due, so the overdue come first.

    `mine`: assigned to the user; `pool`: nobody's yet (any agent may take one); `everyone`:
    all open visits, for supervisors (others get their own).
    """
    visits = visits_visible_to(user)
    if status:
        visits = visits.filter(case__status=status)
    else:
        visits = visits.filter(case__status__in=VISIT_OPEN_STATUSES)
    if scope == "pool":
        visits = visits.filter(case__assignee__isnull=True)
    elif not (scope == "everyone" and can_see_everyones_visits(user)):
        visits = visits.filter(case__assignee=user)
    if purpose:
        visits = visits.filter(purpose=purpose)
    return visits.order_by("due_on", "case__opened_at", "id")


def visits_of_customer(customer) -> QuerySet[Visit]:
    """A customer's visits for the console customer page: open ones first, by due day."""
    return (
        Visit.objects.filter(customer=customer)
        .select_related("case__assignee", "policy")
        .order_by("case__closed_at", "-due_on")
    )


def visits_of_policy(policy) -> list[Visit]:
    """A policy's visits for its page in the portal or the console: open ones first, soonest
    due first, then ended ones, latest first. The caller has checked that the user may see the
    policy."""
    visits = list(Visit.objects.filter(policy=policy).select_related("case__assignee"))
    ended = [v for v in visits if v.case.status in VISIT_CLOSED_STATUSES]
    still_open = [v for v in visits if v.case.status not in VISIT_CLOSED_STATUSES]
    still_open.sort(key=lambda v: (v.due_on, v.pk))
    ended.sort(key=lambda v: (v.due_on, v.pk), reverse=True)
    return still_open + ended


def portal_visits(user) -> tuple[list[Visit], list[Visit]]:
    """(upcoming, past) visits of the signed-in customer: upcoming by due day, past newest first."""
    visits = list(visits_visible_to(user).order_by("due_on", "id"))
    upcoming = [v for v in visits if v.case.status not in VISIT_CLOSED_STATUSES]
    past = [v for v in visits if v.case.status in VISIT_CLOSED_STATUSES]
    past.sort(key=lambda v: v.case.closed_at or v.case.opened_at, reverse=True)
    return upcoming, past


def follow_ups_of(visit: Visit) -> list[VisitFollowUp]:
    return list(
        visit.follow_ups.select_related(
            "consultation__case", "complaint__case", "assignee", "raised_by"
        )
    )


def get_follow_up_for(user, visit: Visit, public_id) -> VisitFollowUp:
    follow_up = next((f for f in follow_ups_of(visit) if str(f.public_id) == str(public_id)), None)
    if follow_up is None or not is_staff_member(user):
        raise Http404("No such follow-up.")
    follow_up.visit = visit
    return follow_up


def open_tasks_of(user) -> QuerySet[VisitFollowUp]:
    """The agent's follow-up tasks not yet done, soonest due first."""
    return (
        VisitFollowUp.objects.filter(
            assignee=user, action=FollowUpAction.TASK, done_at__isnull=True
        )
        .select_related("visit__case", "visit__customer")
        .order_by("due_on", "id")
    )


@dataclass(frozen=True)
class Week:
    """One week of the queue page's chart: visits made, and visits that went past their day."""

    starts_on: dt.date
    completed: int
    overdue: int


def weekly_figures(
    user, *, scope: str, today: dt.date, now: dt.datetime, weeks: int = 12
) -> list[Week]:
    """Visits completed and visits that became overdue, per week (Monday to Sunday), for the
    last `weeks` weeks up to this one, over the same visits as the queue's scope.

    Overdue in a week: the visit's due day fell in it and the visit was not made by then —
    its clock (SVC-03) was breached, or is still running past its deadline. Two queries.
    """
    first = today - dt.timedelta(days=today.weekday() + 7 * (weeks - 1))
    visits = Visit.objects.all()
    if scope == "pool":
        visits = visits.filter(case__assignee__isnull=True)
    elif not (scope == "everyone" and can_see_everyones_visits(user)):
        visits = visits.filter(case__assignee=user)
    completed = visits.filter(
        case__status=VisitStatus.COMPLETED, visited_at__date__gte=first
    ).values_list("visited_at", flat=True)
    late = Clock.objects.filter(
        case__kind="visit",
        case__visit__in=visits,
        name="visit",
        due_date__gte=first,
        due_date__lte=today,
    ).filter(Q(state="breached") | Q(state="running", deadline__lte=now))
    counts = {first + dt.timedelta(days=7 * i): [0, 0] for i in range(weeks)}

    def monday(day: dt.date) -> dt.date:
        return day - dt.timedelta(days=day.weekday())

    for visited_at in completed:
        week = monday(timezone.localtime(visited_at).date())
        if week in counts:
            counts[week][0] += 1
    for due in late.values_list("due_date", flat=True):
        week = monday(due)
        if week in counts:
            counts[week][1] += 1
    return [Week(day, done, overdue) for day, (done, overdue) in sorted(counts.items())]
