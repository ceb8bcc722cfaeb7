"""Policy pages: the customer's own policies in the portal, cancelling one in its cooling-off
period, and the staff view."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from insuredesk.errors import DomainError, ValidationFailed
from insuredesk.policies import services
from insuredesk.policies.selectors import get_policy_for, policies_visible_to
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
    policies = policies_visible_to(request.user).order_by("status", "-start_date")
    now = timezone.now()
    # Each with its open cooling-off period, if any: a new policy says how long it may be undone.
    rows = [(policy, services.open_cooling_off(policy, now=now)) for policy in policies]
    return render(request, "policies/portal_home.html", {"rows": rows})


@customer_required
def portal_policy(request: HttpRequest, number: str) -> HttpResponse:
    policy = get_policy_for(request.user, number)
    context = {
        "policy": policy,
        "cooling_off": services.open_cooling_off(policy, now=timezone.now()),
        "paid": services.premium_paid(policy),
    }
    return render(request, "policies/portal_policy.html", context)


@customer_required
@require_POST
def portal_cancel(request: HttpRequest, number: str) -> HttpResponse:
    _cancel(request, number, CANCELLED_FOR_CUSTOMER)
    return redirect("portal:policy", number)


@staff_required()
def console_policy(request: HttpRequest, number: str) -> HttpResponse:
    policy = get_policy_for(request.user, number)
    context = {
        "policy": policy,
        "cooling_off": services.open_cooling_off(policy, now=timezone.now()),
        "paid": services.premium_paid(policy),
    }
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
