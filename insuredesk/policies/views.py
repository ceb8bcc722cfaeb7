"""Policy pages."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from insuredesk.policies.selectors import get_policy_for, policies_visible_to
from insuredesk.web.access import customer_required, staff_required


@customer_required
def portal_home(request: HttpRequest) -> HttpResponse:
    policies = policies_visible_to(request.user).order_by("status", "-start_date")
    return render(request, "policies/portal_home.html", {"policies": policies})


@customer_required
def portal_policy(request: HttpRequest, number: str) -> HttpResponse:
    policy = get_policy_for(request.user, number)
    return render(request, "policies/portal_policy.html", {"policy": policy})


@staff_required()
def console_policy(request: HttpRequest, number: str) -> HttpResponse:
    policy = get_policy_for(request.user, number)
    return render(request, "policies/console_policy.html", {"policy": policy})
