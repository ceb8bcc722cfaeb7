"""Policy pages: the customer's own policies in the portal, cancelling one in its cooling-off
period, and the staff view; paying premiums, reinstatement and the staff's premium work list.
Surrender has its own views (surrender_views.py) and a panel on both policy pages."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from insuredesk.casework.selectors import events_of
from insuredesk.casework.services import log_access
from insuredesk.customers.roles import has_role
from insuredesk.errors import DomainError, ValidationFailed
from insuredesk.policies import forms, services
from insuredesk.policies.models import Arrears, Policy
from insuredesk.policies.selectors import (
    arrears_of,
    get_policy_for,
    get_reinstatement_for,
    instalment_of,
    payments_of,
    policies_visible_to,
    policy_number_of_case,
    premium_worklist,
    receipts_of,
)
from insuredesk.policies.surrender_views import panel as surrender_panel
from insuredesk.policies.visit_selectors import visits_of_policy
from insuredesk.rules.registry import get_profile
from insuredesk.web.access import customer_required, staff_required

CANCELLED_FOR_CUSTOMER = (
    "Policy {number} is cancelled. We refund {refund}; your letters hold the confirmation."
)
CANCELLED_FOR_STAFF = (
    "Policy {number} is cancelled; {refund} is owed back to the policyholder, and the "
    "confirmation letter is sent."
)


@customer_required
def portal_home(request: HttpRequest) -> HttpResponse:
    policies = (
        policies_visible_to(request.user)
        .prefetch_related("instalments")
        .order_by("status", "-start_date")
    )
    now = timezone.now()
    # Each with its open cooling-off period, if any (a new policy says how long it may be
    # undone), and where its premiums stand (a premium to pay, or overdue, is flagged).
    rows = [
        (policy, services.open_cooling_off(policy, now=now), _flag(policy, now))
        for policy in policies
    ]
    return render(request, "policies/portal_home.html", {"rows": rows})


def _flag(policy: Policy, now) -> services.PremiumPosition | None:
    """The premium position worth flagging on the home page: something overdue or payable."""
    position = services.premium_position(policy, now=now)
    return position if position.overdue or position.payable else None


@customer_required
def portal_policy(request: HttpRequest, number: str) -> HttpResponse:
    return portal_page(request, get_policy_for(request.user, number))


def portal_page(request: HttpRequest, policy: Policy, **failed: forms.ServiceForm):
    """The customer's policy page; after a refused payment or application, that form again."""
    context = {
        "policy": policy,
        "cooling_off": services.open_cooling_off(policy, now=timezone.now()),
        "paid": services.premium_paid(policy),
        **_premiums(policy, staff=False),
        "visits": visits_of_policy(policy),
    }
    context["pay_form"] = failed.get("pay") or (
        forms.PaymentForm.for_instalment(context["position"].payable)
        if context["position"].payable
        else None
    )
    context["reinstate_form"] = failed.get("reinstate") or forms.ReinstatementForm()
    context.update(surrender_panel(request, policy, staff=False, failed=failed.get("surrender")))
    return render(request, "policies/portal_policy.html", context)


def _premiums(policy: Policy, *, staff: bool) -> dict:
    """What the premium panel of either policy page shows."""
    now = timezone.now()
    arrears = arrears_of(policy)
    open_case = arrears if arrears is not None and arrears.case.is_open else None
    reinstatements = list(arrears.reinstatements.all()) if arrears is not None else []
    return {
        "position": services.premium_position(policy, now=now, arrears=open_case),
        "payments": list(payments_of(policy)),
        "arrears": arrears,
        "reinstatements": reinstatements,
        "waiting": next((r for r in reinstatements if not r.decision), None),
        "can_apply": services.can_apply_for_reinstatement(policy, open_case),
        "arrears_events": events_of(arrears.case, for_customer=not staff) if arrears else [],
    }


@customer_required
@require_POST
def portal_cancel(request: HttpRequest, number: str) -> HttpResponse:
    _cancel(request, number, CANCELLED_FOR_CUSTOMER)
    return redirect("portal:policy", number)


@staff_required()
def console_policy(request: HttpRequest, number: str) -> HttpResponse:
    return console_page(request, get_policy_for(request.user, number))


def console_page(request: HttpRequest, policy: Policy, **failed: forms.ServiceForm):
    """The staff policy page; after a refused payment or decision, that form again."""
    context = {
        "policy": policy,
        "cooling_off": services.open_cooling_off(policy, now=timezone.now()),
        "paid": services.premium_paid(policy),
        **_premiums(policy, staff=True),
        "visits": visits_of_policy(policy),
        # Which forms to offer; the services check again and say why not.
        "can_take_payments": has_role(request.user, *services.PAYMENT_ROLES),
        "can_decide": has_role(request.user, *services.DECIDING_ROLES),
        "can_apply_for_customer": has_role(request.user, *services.ISSUING_ROLES),
    }
    if context["arrears"] is not None:
        log_access(context["arrears"].case, user=request.user, now=timezone.now(), what="policy")
    payable = context["position"].payable
    context["pay_form"] = failed.get("pay") or (
        forms.PaymentForm.for_instalment(payable, staff=True) if payable else None
    )
    context["decision_form"] = failed.get("decision") or forms.ReinstatementDecisionForm()
    context["reinstate_form"] = failed.get("reinstate") or forms.StaffReinstatementForm()
    context.update(surrender_panel(request, policy, staff=True, failed=failed.get("surrender")))
    return render(request, "policies/console_policy.html", context)


@staff_required(*services.ISSUING_ROLES)
@require_POST
def console_cancel(request: HttpRequest, number: str) -> HttpResponse:
    _cancel(request, number, CANCELLED_FOR_STAFF)
    return redirect("console:policy", number)


def _cancel(request: HttpRequest, number: str, success: str) -> None:
    """Cancel in the cooling-off period once the box is ticked; the outcome as a message."""
    policy = get_policy_for(request.user, number)
    try:
        if request.POST.get("confirm") != "yes":
            raise ValidationFailed(
                "Tick the box to confirm that the policy ends from its start.", field="confirm"
            )
        cancellation = services.cancel_in_cooling_off(
            actor=request.user,
            policy=policy,
            now=timezone.now(),
            reason=request.POST.get("reason", ""),
        )
    except DomainError as exc:
        field = exc.details.get("field")
        messages.error(request, exc.message + (f" [{field}]" if field else ""))
    else:
        refund = f"{cancellation.currency} {cancellation.refund}"
        messages.success(request, success.format(number=policy.number, refund=refund))


# -- premiums ------------------------------------------------------------------------------------

PAID = "Thank you: premium received. Receipt {receipt} is in your letters."
RECORDED = "Payment recorded; receipt {receipt} is sent to the policyholder."
APPLIED = "Your application to reinstate is received; we will tell you our decision in writing."
APPLIED_FOR_CUSTOMER = (
    "The application to reinstate is recorded; the policyholder is told by when we decide."
)
DECIDED = "The decision is recorded and the policyholder is sent the letter."


def _pay(
    request: HttpRequest, number: str, *, staff: bool
) -> tuple[Policy, forms.PaymentForm | None]:
    """Record the posted payment: (policy, None) when done, or (policy, the refused form)."""
    policy = get_policy_for(request.user, number)
    form = forms.PaymentForm(request.POST, staff=staff)
    if form.is_valid():
        try:
            payment = services.record_premium_payment(
                actor=request.user,
                instalment=instalment_of(policy, form.cleaned_data["due_date"]),
                amount=form.cleaned_data["amount"],
                currency=form.cleaned_data["currency"],
                method=form.cleaned_data["method"],
                reference=form.cleaned_data["reference"],
                now=timezone.now(),
            )
        except DomainError as exc:
            form.refuse(exc)
        else:
            messages.success(request, (RECORDED if staff else PAID).format(receipt=payment.number))
            return policy, None
    return policy, form


@customer_required
@require_POST
def portal_pay(request: HttpRequest, number: str) -> HttpResponse:
    policy, refused = _pay(request, number, staff=False)
    if refused is None:
        return redirect(f"{reverse('portal:policy', args=[number])}#premiums")
    return portal_page(request, policy, pay=refused)


@customer_required
@require_POST
def portal_reinstate(request: HttpRequest, number: str) -> HttpResponse:
    policy, refused = _reinstate(request, number, forms.ReinstatementForm, APPLIED)
    if refused is None:
        return redirect(f"{reverse('portal:policy', args=[number])}#premiums")
    return portal_page(request, policy, reinstate=refused)


def _reinstate(
    request: HttpRequest, number: str, form_class: type[forms.ReinstatementForm], done: str
) -> tuple[Policy, forms.ReinstatementForm | None]:
    """Apply to reinstate from the posted form: (policy, None) when taken, with `done` as a
    message; else (policy, the form with the reason beside its field)."""
    policy = get_policy_for(request.user, number)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            services.apply_for_reinstatement(
                actor=request.user,
                policy=policy,
                now=timezone.now(),
                statement=form.cleaned_data["statement"],
            )
        except DomainError as exc:
            form.refuse(exc)
        else:
            messages.success(request, done)
            return policy, None
    return policy, form


@customer_required
def portal_premiums(request: HttpRequest) -> HttpResponse:
    """Every policy's premium position on one page (what to pay, what is overdue, until when
    cover lasts) and every receipt."""
    now = timezone.now()
    policies = (
        policies_visible_to(request.user)
        .filter(status__in=["pending", "in_force", "suspended"])
        .prefetch_related("instalments")
        .order_by("number")
    )
    rows = [(policy, services.premium_position(policy, now=now)) for policy in policies]
    context = {"rows": rows, "receipts": receipts_of(request.user)}
    return render(request, "policies/portal_premiums.html", context)


@customer_required
def portal_arrears(request: HttpRequest, reference: str) -> HttpResponse:
    """An arrears case is worked on its policy's page (the timeline links here)."""
    number = policy_number_of_case(request.user, reference, Arrears)
    return redirect(f"{reverse('portal:policy', args=[number])}#premiums")


@staff_required(*services.PAYMENT_ROLES)
@require_POST
def console_pay(request: HttpRequest, number: str) -> HttpResponse:
    policy, refused = _pay(request, number, staff=True)
    if refused is None:
        return redirect(f"{reverse('console:policy', args=[number])}#premiums")
    return console_page(request, policy, pay=refused)


@staff_required(*services.ISSUING_ROLES)
@require_POST
def console_reinstate(request: HttpRequest, number: str) -> HttpResponse:
    """Staff record the policyholder's application to reinstate, made at the counter or by phone."""
    policy, refused = _reinstate(
        request, number, forms.StaffReinstatementForm, APPLIED_FOR_CUSTOMER
    )
    if refused is None:
        return redirect(f"{reverse('console:policy', args=[number])}#premiums")
    return console_page(request, policy, reinstate=refused)


@staff_required(*services.DECIDING_ROLES)
@require_POST
def console_decide_reinstatement(request: HttpRequest, number: str) -> HttpResponse:
    reinstatement = get_reinstatement_for(request.user, number)
    form = forms.ReinstatementDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide_reinstatement(
                actor=request.user,
                reinstatement=reinstatement,
                decision=form.cleaned_data["decision"],
                reasons=form.cleaned_data["reasons"],
                now=timezone.now(),
            )
        except DomainError as exc:
            form.refuse(exc)
        else:
            messages.success(request, DECIDED)
            return redirect(f"{reverse('console:policy', args=[number])}#premiums")
    return console_page(request, get_policy_for(request.user, number), decision=form)


@staff_required()
def console_arrears(request: HttpRequest, reference: str) -> HttpResponse:
    """An arrears case is worked on its policy's page (the work queue links here)."""
    number = policy_number_of_case(request.user, reference, Arrears)
    return redirect(f"{reverse('console:policy', args=[number])}#premiums")


@staff_required()
def console_premiums(request: HttpRequest) -> HttpResponse:
    """The premium work list: overdue premiums, policies approaching suspension (soonest
    first), reinstatement applications to decide, agreed ones waiting for the arrears, and
    surrender values to pay."""
    today = get_profile().today(timezone.now())
    return render(
        request,
        "policies/console_premiums.html",
        {"work": premium_worklist(today=today), "today": today},
    )
