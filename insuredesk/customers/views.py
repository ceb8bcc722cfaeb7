"""Console pages about customers."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from insuredesk.customers.selectors import get_customer_for, search_customers
from insuredesk.policies.selectors import policies_visible_to
from insuredesk.web.access import staff_required


@staff_required()
def console_home(request: HttpRequest) -> HttpResponse:
    """Customer search: by name, customer number, phone, e-mail or policy number."""
    query = request.GET.get("q", "")[:100]
    customers = search_customers(request.user, query).prefetch_related("policies")
    return render(request, "customers/console_home.html", {"query": query, "customers": customers})


@staff_required()
def console_customer(request: HttpRequest, number: str) -> HttpResponse:
    customer = get_customer_for(request.user, number)
    policies = policies_visible_to(request.user).filter(policyholder=customer)
    return render(
        request, "customers/console_customer.html", {"customer": customer, "policies": policies}
    )
