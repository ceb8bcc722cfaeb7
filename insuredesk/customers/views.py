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


# Sections other apps add to the console customer page, by key: functions customer ->
# {"template", ...}. A view whose form in a section was refused names the section by its key.
CUSTOMER_SECTIONS = {
    "explanations": "insuredesk.consultation.views.customer_section",
    "visits": "insuredesk.policies.visit_views.customer_section",
    "planning": "insuredesk.planning.views.customer_section",
}


@staff_required()
def console_customer(request: HttpRequest, number: str) -> HttpResponse:
    return customer_page(request, number)


def customer_page(request: HttpRequest, number: str, *, failed: dict | None = None) -> HttpResponse:
    """The console customer page. `failed` maps a section's key (CUSTOMER_SECTIONS) to the form
    it refused, which that section shows again, filled in as sent, with the reasons beside the
    fields."""
    customer = get_customer_for(request.user, number)
    policies = policies_visible_to(request.user).filter(policyholder=customer)
    sections = []
    for key, path in CUSTOMER_SECTIONS.items():
        section = import_string(path)(customer)
        if failed and key in failed:
            section["form"] = failed[key]
        sections.append(section)
    context = {"customer": customer, "policies": policies, "customer_sections": sections}
    return render(request, "customers/console_customer.html", context)
