"""Surrender pages: the panel of both policy pages (today's value, the notice, the case), the
policyholder's notice in the portal, staff taking it in the console and recording the refund.

A refused form comes back on the policy page with the reason beside its field; the surrender
case's own URL leads to that panel, as an arrears case's does.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from insuredesk.casework.selectors import events_of
from insuredesk.customers.roles import has_role
from insuredesk.errors import DomainError
from insuredesk.policies import forms, services
from insuredesk.policies.choices import SurrenderStatus
from insuredesk.policies.models import Policy, Surrender
from insuredesk.policies.selectors import (
    get_policy_for,
    get_surrender_for,
    policy_number_of_case,
)
from insuredesk.policies.services.surrender import amount_text
from insuredesk.rules.registry import get_profile
from insuredesk.web.access import customer_required, staff_required

TAKEN = (
    "Policy {number} is surrendered. {amount} will be paid by {refund_by}; the confirmation "
    "is in your letters."
)
TAKEN_FOR_CUSTOMER = "The surrender of {number} is recorded as {reference}; the letter is sent."
REFUNDED = "The refund of {amount} is recorded; the policyholder is told the amount."


def panel(request: HttpRequest, policy: Policy, *, staff: bool, failed=None) -> dict:
    """What the surrender panel of either policy page shows."""
    now = timezone.now()
    surrender = getattr(policy, "surrender", None)
    context: dict = {"surrender": surrender}
    if surrender is not None:
        context["surrender_events"] = events_of(surrender.case, for_customer=not staff)
        if staff and surrender.case.status == SurrenderStatus.REFUND_DUE:
            context["can_refund"] = has_role(request.user, *services.REFUND_ROLES)
            context["refund_form"] = (
                failed
                if isinstance(failed, forms.SurrenderRefundForm)
                else forms.SurrenderRefundForm()
            )
        return context
    if policy.status not in services.SURRENDERABLE:
        return context
    instalments = list(policy.instalments.order_by("due_date"))  # read once for both
    context["cash_values"] = services.cash_values(policy, instalments=instalments)
    context["surrender_refusal"] = services.why_not_surrender(policy, now=now)
    context["surrender_quote"] = services.surrender_quote(
        policy, on=get_profile(policy.jurisdiction).today(now), instalments=instalments
    )
    if staff:
        context["can_take_surrender"] = has_role(request.user, *services.ISSUING_ROLES)
    form_class = forms.StaffSurrenderForm if staff else forms.SurrenderForm
    context["surrender_form"] = failed if isinstance(failed, form_class) else form_class()
    return context


def _amount(surrender: Surrender) -> str:
    return amount_text(surrender.amount, surrender.currency) or "The surrender value"


def _take(
    request: HttpRequest, number: str, form_class
) -> tuple[Policy, Surrender | forms.ServiceForm]:
    """Take the posted notice: (policy, the surrender) when taken, else (policy, the form)."""
    policy = get_policy_for(request.user, number)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            return policy, services.request_surrender(
                actor=request.user,
                policy=policy,
                now=timezone.now(),
                refund_account=form.cleaned_data["refund_account"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            form.refuse(exc)
    return policy, form


@customer_required
@require_POST
def portal_surrender(request: HttpRequest, number: str) -> HttpResponse:
    from insuredesk.policies.views import portal_page

    policy, outcome = _take(request, number, forms.SurrenderForm)
    if isinstance(outcome, forms.ServiceForm):
        return portal_page(request, policy, surrender=outcome)
    refund_by = outcome.refund_by.strftime("%-d %B %Y") if outcome.refund_by else "the due date"
    messages.success(
        request, TAKEN.format(number=policy.number, amount=_amount(outcome), refund_by=refund_by)
    )
    return redirect(f"{reverse('portal:policy', args=[number])}#surrender")


@staff_required(*services.ISSUING_ROLES)
@require_POST
def console_surrender(request: HttpRequest, number: str) -> HttpResponse:
    from insuredesk.policies.views import console_page

    policy, outcome = _take(request, number, forms.StaffSurrenderForm)
    if isinstance(outcome, forms.ServiceForm):
        return console_page(request, policy, surrender=outcome)
    messages.success(
        request, TAKEN_FOR_CUSTOMER.format(number=policy.number, reference=outcome.case.reference)
    )
    return redirect(f"{reverse('console:policy', args=[number])}#surrender")


@staff_required(*services.REFUND_ROLES)
@require_POST
def console_refund(request: HttpRequest, number: str) -> HttpResponse:
    from insuredesk.policies.views import console_page

    surrender = get_surrender_for(request.user, number)
    form = forms.SurrenderRefundForm(request.POST)
    if form.is_valid():
        try:
            surrender = services.record_surrender_refund(
                actor=request.user,
                surrender=surrender,
                now=timezone.now(),
                reference=form.cleaned_data["reference"],
                amount=form.cleaned_data["amount"],
            )
        except DomainError as exc:
            form.refuse(exc)
        else:
            messages.success(request, REFUNDED.format(amount=_amount(surrender)))
            return redirect(f"{reverse('console:policy', args=[number])}#surrender")
    return console_page(request, surrender.policy, surrender=form)


@customer_required
def portal_case(request: HttpRequest, reference: str) -> HttpResponse:
    """A surrender case is shown on its policy's page (the timeline links here)."""
    number = policy_number_of_case(request.user, reference, Surrender)
    return redirect(f"{reverse('portal:policy', args=[number])}#surrender")


@staff_required()
def console_case(request: HttpRequest, reference: str) -> HttpResponse:
    """A surrender case is worked on its policy's page (the work queue links here)."""
    number = policy_number_of_case(request.user, reference, Surrender)
    return redirect(f"{reverse('console:policy', args=[number])}#surrender")
