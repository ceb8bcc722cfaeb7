"""Visit pages: the customer's visits in the portal (ask for one, propose or move a time,
decline, rate); the agents' queue, the visit page and the customer page's section in the
console.

Views stay short: select what the user may see, read the form, call one service, redirect
with a message. When the form or the service says no, nothing was written and the page comes
back with that form filled in as it was sent and the reason beside the field it names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from insuredesk.casework.selectors import events_of
from insuredesk.casework.services import due_soon_lead, log_access
from insuredesk.customers.selectors import get_customer_for, staff_users
from insuredesk.customers.views import customer_page
from insuredesk.errors import DomainError, ValidationFailed
from insuredesk.policies import visit_forms as forms
from insuredesk.policies import visiting
from insuredesk.policies.choices import VisitChannel, VisitNeed, VisitPurpose, VisitStatus
from insuredesk.policies.selectors import policies_visible_to
from insuredesk.policies.visit_charts import weekly_columns
from insuredesk.policies.visit_selectors import (
    SCOPES,
    can_see_everyones_visits,
    follow_ups_of,
    get_follow_up_for,
    get_visit_for,
    open_tasks_of,
    visit_queue,
    visits_of_customer,
    weekly_figures,
)
from insuredesk.policies.visit_selectors import portal_visits as customer_visits
from insuredesk.rules.registry import get_profile
from insuredesk.web.access import CustomerRequest, customer_required, staff_required

AGENT_ROLES = (visiting.Role.AGENT,)
SECTION_TEMPLATE = "policies/visits/customer_section.html"


def _act(request: HttpRequest, form, call: Callable[[dict[str, Any]], Any], done: str) -> bool:
    """Run one service with the form's input. Done: the outcome as a message, True. Refused:
    the reasons on the form, beside the field they name, for the caller to show it again."""
    if not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
    except DomainError as exc:
        form.refuse(exc)
        return False
    messages.success(request, done)
    return True


def _today(visit) -> Any:
    return get_profile(visit.case.jurisdiction).today(timezone.now())


# --- portal ----------------------------------------------------------------------------------


@customer_required
def portal_visits(request: CustomerRequest) -> HttpResponse:
    return _portal_list(request)


def _portal_list(request: CustomerRequest, form: forms.RequestForm | None = None) -> HttpResponse:
    """The customer's visits; after a refused request, that form again."""
    upcoming, past = customer_visits(request.user)
    policies = list(policies_visible_to(request.user).order_by("-start_date"))
    today = get_profile(request.customer.jurisdiction).today(timezone.now())
    plan = [
        (policy, VisitPurpose(purpose).label, due)
        for policy in policies
        for purpose, due in visiting.upcoming_plan(policy, today=today)
    ]
    context = {
        "upcoming": upcoming,
        "past": past,
        "plan": sorted(plan, key=lambda row: row[2])[:6],
        "today": today,
        "form": form or forms.RequestForm(policies=policies),
    }
    return render(request, "policies/visits/portal_list.html", context)


@customer_required
@require_POST
def portal_request(request: CustomerRequest) -> HttpResponse:
    policies = policies_visible_to(request.user)
    form = forms.RequestForm(request.POST, policies=policies)
    created: list = []

    def call(data: dict[str, Any]) -> None:
        policy = policies.filter(number=data["policy"]).first() if data["policy"] else None
        created.append(
            visiting.request_visit(
                actor=request.user,
                policy=policy,
                channel=data["channel"],
                scheduled_at=forms.local(data["scheduled_at"]),
                place=data["place"],
                note=data["note"],
                now=timezone.now(),
            )
        )

    if _act(request, form, call, "Thank you: we have your request and will confirm a time."):
        return redirect("portal:visit", created[0].reference)
    return _portal_list(request, form)


@customer_required
def portal_visit(request: CustomerRequest, reference: str) -> HttpResponse:
    return _portal_page(request, get_visit_for(request.user, reference))


def _portal_page(request: HttpRequest, visit, **failed) -> HttpResponse:
    """The customer's visit page; after a refused proposal, decline or rating, that form again."""
    context = {
        "visit": visit,
        "today": _today(visit),
        "time_form": failed.get("time")
        or forms.TimeForm(
            initial={
                "channel": visit.channel or VisitChannel.IN_PERSON,
                "scheduled_at": visit.scheduled_at,
            }
        ),
        "decline_form": failed.get("decline") or forms.DeclineForm(),
        "rating_form": failed.get("rating") or forms.RatingForm(),
        "follow_ups": follow_ups_of(visit),
        "events": events_of(visit.case, for_customer=True),
        "is_open": visit.case.closed_at is None,
    }
    return render(request, "policies/visits/portal_visit.html", context)


@customer_required
@require_POST
def portal_propose(request: HttpRequest, reference: str) -> HttpResponse:
    visit = get_visit_for(request.user, reference)
    form = forms.TimeForm(request.POST)
    if _act(
        request,
        form,
        lambda data: visiting.propose_visit_time(
            actor=request.user,
            visit=visit,
            scheduled_at=forms.local(data["scheduled_at"]),
            channel=data["channel"],
            place=data["place"],
            note=data["note"],
            now=timezone.now(),
        ),
        "Thank you: your agent will confirm the time.",
    ):
        return redirect("portal:visit", reference)
    return _portal_page(request, visit, time=form)


@customer_required
@require_POST
def portal_decline(request: HttpRequest, reference: str) -> HttpResponse:
    visit = get_visit_for(request.user, reference)
    form = forms.DeclineForm(request.POST)
    if _act(
        request,
        form,
        lambda data: visiting.decline_visit(
            actor=request.user, visit=visit, reason=data["reason"], now=timezone.now()
        ),
        "The visit is off. You can ask for one whenever you like.",
    ):
        return redirect("portal:visit", reference)
    return _portal_page(request, visit, decline=form)


@customer_required
@require_POST
def portal_rate(request: HttpRequest, reference: str) -> HttpResponse:
    visit = get_visit_for(request.user, reference)
    form = forms.RatingForm(request.POST)
    if _act(
        request,
        form,
        lambda data: visiting.rate_visit(
            actor=request.user,
            visit=visit,
            rating=data["rating"],
            comment=data["comment"],
            now=timezone.now(),
        ),
        "Thank you for rating the visit.",
    ):
        return redirect("portal:visit", reference)
    return _portal_page(request, visit, rating=form)


# --- console ---------------------------------------------------------------------------------


@staff_required()
def console_visits(request: HttpRequest) -> HttpResponse:
    """The agents' queue: open visits by due day, the overdue first; the weekly chart."""
    scope = request.GET.get("scope", "mine")
    if scope not in SCOPES or (scope == "everyone" and not can_see_everyones_visits(request.user)):
        scope = "mine"
    purpose = request.GET.get("purpose", "")
    purpose = purpose if purpose in VisitPurpose.values else ""
    now = timezone.now()
    today = get_profile().today(now)
    rows = list(visit_queue(request.user, scope=scope, purpose=purpose)[:200])
    weeks = weekly_figures(request.user, scope=scope, today=today, now=now)
    context = {
        "rows": [(v, v.due_on < get_profile(v.case.jurisdiction).today(now)) for v in rows],
        "overdue": sum(1 for v in rows if v.due_on < get_profile(v.case.jurisdiction).today(now)),
        "scope": scope,
        "purpose": purpose,
        "purposes": VisitPurpose.choices,
        "can_see_everyone": can_see_everyones_visits(request.user),
        "tasks": list(open_tasks_of(request.user)[:50]),
        "today": today,
        "chart": weekly_columns(weeks, title="Visits completed and gone overdue, by week"),
    }
    return render(request, "policies/visits/console_queue.html", context)


@staff_required()
def console_visit(request: HttpRequest, reference: str) -> HttpResponse:
    return _console_page(request, get_visit_for(request.user, reference))


def _console_page(request: HttpRequest, visit, **failed) -> HttpResponse:
    """The staff visit page; after a refused time, outcome or follow-up, that form again."""
    now = timezone.now()
    log_access(visit.case, user=request.user, now=now, what="visit")
    policy = visit.policy
    cooling_off = None
    exemptions: list = []
    if visit.purpose == VisitPurpose.WELCOME and policy is not None:
        from insuredesk.policies.services import open_cooling_off

        cooling_off = open_cooling_off(policy, now=now)
        exemptions = list(policy.product_version.clauses.filter(kind="exemption"))
    follow_ups = follow_ups_of(visit)
    raised = {f.need for f in follow_ups}
    open_needs = [need for need in visit.needs if need not in raised]
    _unshown_refusal(request, failed.get("follow_up"), open_needs)
    context = {
        "visit": visit,
        "today": _today(visit),
        "time_form": failed.get("time")
        or forms.TimeForm(
            initial={
                "channel": visit.channel or VisitChannel.PHONE,
                "scheduled_at": visit.scheduled_at,
            }
        ),
        "outcome_form": failed.get("outcome")
        or forms.OutcomeForm(welcome=visit.purpose == VisitPurpose.WELCOME),
        "open_needs": [
            (need, VisitNeed(need).label, _follow_up_form(need, failed.get("follow_up")))
            for need in open_needs
        ],
        "follow_ups": follow_ups,
        "cooling_off": cooling_off,
        "exemptions": exemptions,
        "checklist": [
            (words, visit.checklist.get(key)) for key, words in visiting.WELCOME_CHECKLIST.items()
        ],
        "events": events_of(visit.case, for_customer=False),
        "clocks": [
            (c, c.display_state(now, due_soon_lead()))
            for c in visit.case.clocks.exclude(state="cancelled")
        ],
        "is_open": visit.case.closed_at is None,
        "can_reassign": can_see_everyones_visits(request.user),
        "agents": staff_users("agent") if can_see_everyones_visits(request.user) else [],
    }
    return render(request, "policies/visits/console_visit.html", context)


def _follow_up_form(need: str, failed: forms.FollowUpForm | None) -> forms.FollowUpForm:
    """The form for one need found: the refused one again if it was for this need."""
    if failed is not None and failed.data.get("need") == need:
        return failed
    return forms.FollowUpForm(initial={"need": need})


def _unshown_refusal(request: HttpRequest, failed: forms.FollowUpForm | None, needs) -> None:
    """A refused follow-up whose need has no form on the page (unknown, or raised meanwhile):
    its reasons as a message, so that none is lost."""
    if failed is None or failed.data.get("need") in needs:
        return
    for field, errors in failed.errors.items():
        label = failed.fields[field].label if field in failed.fields else ""
        messages.error(request, f"{label or field}: {errors[0]}")


@staff_required(*AGENT_ROLES)
@require_POST
def console_schedule(request: HttpRequest, reference: str) -> HttpResponse:
    visit = get_visit_for(request.user, reference)
    form = forms.TimeForm(request.POST)
    if _act(
        request,
        form,
        lambda data: visiting.schedule_visit(
            actor=request.user,
            visit=visit,
            scheduled_at=forms.local(data["scheduled_at"]),
            channel=data["channel"],
            place=data["place"],
            reason=data["note"],
            now=timezone.now(),
        ),
        f"{reference} is arranged; the customer is told.",
    ):
        return redirect("console:visit", reference)
    return _console_page(request, visit, time=form)


@staff_required(*AGENT_ROLES)
@require_POST
def console_outcome(request: HttpRequest, reference: str) -> HttpResponse:
    visit = get_visit_for(request.user, reference)
    form = forms.OutcomeForm(request.POST, welcome=visit.purpose == VisitPurpose.WELCOME)
    if _act(
        request,
        form,
        lambda data: visiting.record_visit_outcome(
            actor=request.user,
            visit=visit,
            outcome=data["outcome"],
            visited_at=data["visited_at"],
            notes=data["notes"],
            needs=data["needs"],
            checklist=form.checklist(),
            scheduled_at=forms.local(data["scheduled_at"]),
            channel=data["channel"],
            now=timezone.now(),
        ),
        f"The outcome of {reference} is recorded.",
    ):
        return redirect("console:visit", reference)
    return _console_page(request, visit, outcome=form)


@staff_required(*AGENT_ROLES)
@require_POST
def console_follow_up(request: HttpRequest, reference: str) -> HttpResponse:
    visit = get_visit_for(request.user, reference)
    form = forms.FollowUpForm(request.POST)
    if _act(
        request,
        form,
        lambda data: visiting.raise_follow_up(
            actor=request.user, visit=visit, now=timezone.now(), **data
        ),
        "The follow-up is raised.",
    ):
        return redirect("console:visit", reference)
    return _console_page(request, visit, follow_up=form)


@staff_required(*AGENT_ROLES)
@require_POST
def console_task_done(request: HttpRequest, reference: str, follow_up_id) -> HttpResponse:
    visit = get_visit_for(request.user, reference)
    follow_up = get_follow_up_for(request.user, visit, follow_up_id)
    try:
        visiting.complete_follow_up_task(
            actor=request.user, follow_up=follow_up, now=timezone.now()
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Task done.")
    return redirect("console:visit", reference)


@staff_required(*AGENT_ROLES)
@require_POST
def console_assign(request: HttpRequest, reference: str) -> HttpResponse:
    """Take the visit (an agent), or give it to an agent or back to the pool (a supervisor)."""
    visit = get_visit_for(request.user, reference)
    username = request.POST.get("assignee", "")
    assignee = staff_users().filter(username=username).first() if username else None
    try:
        if username and assignee is None:
            raise ValidationFailed("No such member of staff.", field="assignee")
        visiting.assign_visit(
            actor=request.user, visit=visit, assignee=assignee, now=timezone.now()
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        who = f"assigned to {username}" if username else "back in the agents' queue"
        messages.success(request, f"{reference} is {who}.")
    return redirect("console:visit", reference)


@staff_required(*AGENT_ROLES)
@require_POST
def console_request(request: HttpRequest, number: str) -> HttpResponse:
    """The customer asked (by phone, in a branch) for a visit: plan it from their page."""
    customer = get_customer_for(request.user, number)
    policies = policies_visible_to(request.user).filter(policyholder=customer)
    form = forms.RequestForm(request.POST, policies=policies)

    def call(data: dict[str, Any]) -> None:
        visiting.request_visit(
            actor=request.user,
            customer=customer,
            policy=policies.filter(number=data["policy"]).first() if data["policy"] else None,
            channel=data["channel"],
            scheduled_at=forms.local(data["scheduled_at"]),
            place=data["place"],
            note=data["note"],
            now=timezone.now(),
        )

    if _act(request, form, call, "The visit is planned."):
        return redirect("console:customer", number)
    return customer_page(request, number, failed={"visits": form})


def customer_section(customer) -> dict:
    """For the console customer page's `customer_sections`: the customer's visits."""
    visits = list(visits_of_customer(customer)[:20])
    policies = list(customer.policies.select_related("product_version__product"))
    return {
        "template": SECTION_TEMPLATE,
        "visits": visits,
        "customer": customer,
        "form": forms.RequestForm(policies=policies),
        "statuses": VisitStatus,
    }
