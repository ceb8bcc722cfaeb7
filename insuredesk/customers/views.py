"""Console pages about customers."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.module_loading import import_string

from insuredesk.customers.selectors import get_customer_for, search_customers
from insuredesk.policies.selectors import policies_visible_to
from insuredesk.web.access import staff_required


@staff_required()
def console_home(request: HttpRequest) -> HttpResponse:
    """Customer search: by name, customer number, phone, e-mail or policy number."""
    query = request.GET.get("q", "")[:100]
    customers = search_customers(request.user, query).prefetch_related("policies")
    return render(request, "customers/console_home.html", {"query": query, "customers": customers})


# Sections other apps add to the console customer page: functions customer -> {"template", ...}.
CUSTOMER_SECTIONS = [
    "insuredesk.consultation.views.customer_section",
    "insuredesk.policies.visit_views.customer_section",
    "insuredesk.planning.views.customer_section",
]


@staff_required()
def console_customer(request: HttpRequest, number: str) -> HttpResponse:
    return customer_page(request, number)


def customer_page(request: HttpRequest, number: str, *, failed: dict | None = None) -> HttpResponse:
    """The console customer page. `failed` maps a section's template to the form it refused,
    which that section shows again, filled in as sent, with the reasons beside the fields."""
    customer = get_customer_for(request.user, number)
    policies = policies_visible_to(request.user).filter(policyholder=customer)
    sections = [import_string(path)(customer) for path in CUSTOMER_SECTIONS]
    for section in sections:
        if failed and section["template"] in failed:
            section["form"] = failed[section["template"]]
    context = {"customer": customer, "policies": policies, "customer_sections": sections}
    return render(request, "customers/console_customer.html", context)
