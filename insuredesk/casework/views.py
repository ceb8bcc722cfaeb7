"""Work queues, the generic case page and customer timelines."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from insuredesk.casework import selectors, services
from insuredesk.casework.forms import AssignForm
from insuredesk.casework.registry import get_kind, kinds
from insuredesk.customers.selectors import get_customer_for
from insuredesk.errors import DomainError
from insuredesk.web.access import CustomerRequest, customer_required, staff_required


def case_url(case, *, portal: bool = False) -> str:
    """Where a case is worked on: its kind's own page, else the generic case page."""
    kind = get_kind(case.kind)
    name = kind.portal_url if portal else kind.console_url
    if name:
        return reverse(name, args=[case.reference])
    return reverse("portal:case-timeline" if portal else "console:case", args=[case.reference])


@staff_required()
def queue(request: HttpRequest) -> HttpResponse:
    everyone = request.GET.get("everyone") == "1" and selectors.can_see_everyones_queue(
        request.user
    )
    kind = request.GET.get("kind") or None
    cases = list(selectors.work_queue(request.user, everyone=everyone, kind=kind)[:200])
    now = timezone.now()
    lead = services.due_soon_lead()
    rows = []
    for case in cases:
        clocks = sorted(case.clocks.all(), key=lambda c: c.deadline)
        nearest = clocks[0] if clocks else None
        rows.append(
            {
                "case": case,
                "url": case_url(case),
                "kind": get_kind(case.kind),
                "clock": nearest,
                "clock_state": nearest.display_state(now, lead) if nearest else "",
            }
        )
    return render(
        request,
        "casework/queue.html",
        {
            "rows": rows,
            "everyone": everyone,
            "kind": kind,
            "kinds": kinds(),
            "can_reassign": selectors.can_see_everyones_queue(request.user),
            "assign_form": AssignForm(),
        },
    )


@staff_required()
@require_POST
def assign(request: HttpRequest, reference: str) -> HttpResponse:
    if not selectors.can_see_everyones_queue(request.user):
        raise PermissionDenied("Only supervisors reassign cases.")
    case = selectors.get_case_for(request.user, reference)
    form = AssignForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic(durable=True):
                services.assign(
                    case,
                    assignee=form.cleaned_data["assignee"],
                    actor=request.user,
                    now=timezone.now(),
                    reason=form.cleaned_data["reason"],
                )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"{case.reference} reassigned.")
    else:
        messages.error(request, "Choose a member of staff.")
    return redirect(request.POST.get("next") or reverse("console:queue"))


@staff_required()
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.get_case_for(request.user, reference)
    services.log_access(case, user=request.user, now=timezone.now(), what="case page")
    now = timezone.now()
    return render(
        request,
        "casework/case.html",
        {
            "case": case,
            "kind": get_kind(case.kind),
            "events": selectors.events_of(case, for_customer=False),
            "clocks": [
                (c, c.display_state(now, services.due_soon_lead())) for c in case.clocks.all()
            ],
        },
    )


@staff_required()
def customer_timeline(request: HttpRequest, number: str) -> HttpResponse:
    customer = get_customer_for(request.user, number)
    events = selectors.customer_timeline(customer, for_customer=False)
    return render(
        request,
        "casework/timeline.html",
        {"customer": customer, "events": events, "base": "console/base.html"},
    )


@customer_required
def portal_timeline(request: CustomerRequest) -> HttpResponse:
    events = selectors.customer_timeline(request.customer, for_customer=True)
    return render(
        request,
        "casework/timeline.html",
        {
            "customer": request.customer,
            "events": events,
            "base": "portal/base.html",
            "portal": True,
        },
    )


@customer_required
def portal_case(request: CustomerRequest, reference: str) -> HttpResponse:
    case = selectors.get_case_for(request.user, reference)
    return render(
        request,
        "casework/portal_case.html",
        {
            "case": case,
            "kind": get_kind(case.kind),
            "events": selectors.events_of(case, for_customer=True),
        },
    )
