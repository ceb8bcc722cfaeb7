"""Reads of cases: visibility, work queues, timelines."""

from django.db.models import F, Prefetch, QuerySet
from django.http import Http404

from insuredesk.casework.models import Case, CaseEvent, Clock
from insuredesk.customers.roles import Role, has_role, is_staff_member


def cases_visible_to(user) -> QuerySet[Case]:
    """Staff see every case; a customer sees the cases they are the customer of."""
    cases = Case.objects.select_related("customer", "assignee")
    if is_staff_member(user):
        return cases
    if getattr(user, "is_authenticated", False):
        return cases.filter(customer__user=user)
    return cases.none()


def get_case_for(user, reference: str) -> Case:
    case = cases_visible_to(user).filter(reference=reference).first()
    if case is None:
        raise Http404("No such case.")
    return case


def can_see_everyones_queue(user) -> bool:
    return has_role(user, Role.SUPERVISOR, Role.ADMINISTRATOR)


def work_queue(
    user,
    *,
    everyone: bool = False,
    kind: str | None = None,
    unassigned: bool = False,
) -> QuerySet[Case]:
    """Open cases ordered by their nearest deadline (none last), oldest first among equals.

    Staff see their own cases plus unassigned ones; supervisors may ask for everyone's.
    """
    cases = Case.objects.filter(closed_at__isnull=True).select_related("customer", "assignee")
    if unassigned:
        cases = cases.filter(assignee__isnull=True)
    elif not (everyone and can_see_everyones_queue(user)):
        cases = cases.filter(assignee=user) | cases.filter(assignee__isnull=True)
    if kind:
        cases = cases.filter(kind=kind)
    open_clocks = Clock.objects.filter(stopped_at__isnull=True).exclude(state="cancelled")
    return cases.prefetch_related(Prefetch("clocks", queryset=open_clocks)).order_by(
        F("next_deadline").asc(nulls_last=True), "opened_at"
    )


def events_of(case: Case, *, for_customer: bool) -> QuerySet[CaseEvent]:
    events = case.events.select_related("actor", "case").order_by("sequence")
    return events.filter(visible_to_customer=True) if for_customer else events


def customer_timeline(customer, *, for_customer: bool, limit: int = 200) -> QuerySet[CaseEvent]:
    """Everything that happened to a customer across cases, newest first."""
    events = CaseEvent.objects.filter(case__customer=customer).select_related("case", "actor")
    if for_customer:
        events = events.filter(visible_to_customer=True)
    return events.order_by("-sequence")[:limit]
