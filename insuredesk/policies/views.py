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


@customer_required
def portal_home(request: HttpRequest) -> HttpResponse:
    policies = policies_visible_to(request.user).order_by("status", "-start_date")
    return render(request, "policies/portal_home.html", {"policies": policies})


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
        messages.success(
            request,
            f"Policy {policy.number} is cancelled. We refund {cancellation.currency} "
            f"{cancellation.refund}; your letters hold the confirmation.",
        )
    return redirect("portal:policy", number)


@staff_required()
def console_policy(request: HttpRequest, number: str) -> HttpResponse:
    policy = get_policy_for(request.user, number)
    return render(request, "policies/console_policy.html", {"policy": policy})
