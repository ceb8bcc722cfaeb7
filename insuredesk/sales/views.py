"""Application pages: apply and follow one's own application in the portal; the list, the case
page with the underwriting forms, and applying with a customer in the console.

Views stay short: select what the user may see, read the form, call one service, redirect with
a message. When the service says no, nothing was written: the page is shown again with the
message beside the field it names (sales/forms.py), or as a message on top of the page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from insuredesk.casework.models import Case
from insuredesk.casework.selectors import events_of, get_case_for
from insuredesk.casework.services import due_soon_lead, log_access
from insuredesk.casework.views import case_url
from insuredesk.catalog.models import ProductVersion
from insuredesk.catalog.selectors import (
    current_version,
    get_product,
    is_sold_to,
    published_products,
)
from insuredesk.customers.models import CustomerProfile
from insuredesk.customers.roles import has_role
from insuredesk.customers.selectors import get_customer_for
from insuredesk.errors import DomainError
from insuredesk.policies.services import ISSUING_ROLES
from insuredesk.rules.registry import get_profile
from insuredesk.sales import forms, services
from insuredesk.sales.choices import ApplicationStatus
from insuredesk.sales.models import Application
from insuredesk.sales.selectors import (
    application_queue,
    applications_visible_to,
    get_application_for,
    get_exam_for,
    referral_reasons_of,
)
from insuredesk.web.access import CustomerRequest, customer_required, staff_required

RECEIVED = "Application {reference} received."
ISSUED_FOR_CUSTOMER = "Your policy {number} is issued: welcome. Your cover is below."
ISSUED_FOR_STAFF = "Policy {number} is issued to the applicant at their acceptance."
WITHDRAWN = "Application {reference} is withdrawn."


def _on_sale(code: str, customer) -> ProductVersion:
    """The version of the product on sale today to this customer: 404 when none is, or when the
    product belongs to another market (see `catalog.selectors.is_sold_to`)."""
    product = get_product(code)
    version = current_version(product)
    if version is None:
        raise Http404("This product is not on sale.")
    if not is_sold_to(product, customer):
        raise Http404("This product is not sold in the customer's jurisdiction.")
    return version


# A risk plan or an accepted proposal links here with the cover it recommends (see
# planning/applying.py): the terms may come filled in from the link, never an answer to a
# question (CN-04: those are the applicant's own).
PREFILLED_TERMS = ("sum_insured", "term_years")


def _initial(customer: CustomerProfile, link: Mapping[str, str]) -> dict[str, Any]:
    """The applicant insures themselves, from today, unless they say otherwise; the cover's
    terms and rating inputs may come from the link that led here."""
    initial: dict[str, Any] = {
        "insured_name": customer.full_name,
        "insured_date_of_birth": customer.date_of_birth,
        "start_date": get_profile(customer.jurisdiction).today(timezone.now()),
    }
    for key, value in link.items():
        if key in PREFILLED_TERMS or key.startswith("rating_"):
            initial[key] = value
    return initial


def _origin(request: HttpRequest) -> Case | None:
    """The case the link to the form came from (`?origin=PRP-…`): one the user may see, or 404.
    It stays in the address the form posts back to, so the application records it."""
    reference = request.GET.get("origin", "")[:30]
    return get_case_for(request.user, reference) if reference else None


def _submit(request: HttpRequest, form: forms.ApplicationForm, **extra: Any) -> Application | None:
    """The application the posted form describes, or None (the refusal beside its field)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return services.submit_application(
            actor=request.user, now=timezone.now(), **form.application(), **extra
        )
    except DomainError as exc:
        form.refuse(exc)
        return None


def _case_page(application: Application, *, for_customer: bool) -> dict[str, Any]:
    """What both the portal and the console page show of an application."""
    case = application.case
    return {
        "application": application,
        "case": case,
        "rating_facts": [
            (forms.RATING_LABELS.get(key, key), value)
            for key, value in application.rating_inputs.items()
        ],
        "declarations": list(application.declarations.all()),
        "exams": list(application.exams.all()),
        # CN-02: what is still to be explained and acknowledged before the policy can be issued.
        "missing": services.unacknowledged_exemptions(application) if case.is_open else [],
        "events": events_of(case, for_customer=for_customer),
        "origin_url": case_url(application.origin, portal=for_customer)
        if application.origin_id
        else "",
    }


def _withdraw(request: HttpRequest, reference: str) -> None:
    """Withdraw before issue; the outcome as a message."""
    application = get_application_for(request.user, reference)
    try:
        services.withdraw(
            actor=request.user,
            application=application,
            now=timezone.now(),
            reason=request.POST.get("reason", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, WITHDRAWN.format(reference=reference))


# --- portal ----------------------------------------------------------------------------------


@customer_required
def portal_apply(request: CustomerRequest, code: str) -> HttpResponse:
    version = _on_sale(code, request.customer)
    form = forms.ApplicationForm(
        request.POST or None,
        version=version,
        language=request.customer.language,
        initial=_initial(request.customer, request.GET),
    )
    origin = _origin(request)
    application = _submit(request, form, origin=origin)
    if application is not None:
        messages.success(request, RECEIVED.format(reference=application.reference))
        return redirect("portal:application", application.reference)
    context = {"form": form, "version": version, "origin": origin}
    return render(request, "sales/portal_apply.html", context)


@customer_required
def portal_applications(request: HttpRequest) -> HttpResponse:
    applications = applications_visible_to(request.user)[:100]
    return render(request, "sales/portal_list.html", {"applications": applications})


@customer_required
def portal_application(request: HttpRequest, reference: str) -> HttpResponse:
    application = get_application_for(request.user, reference)
    context = _case_page(application, for_customer=True)
    return render(request, "sales/portal_application.html", context)


@customer_required
@require_POST
def portal_accept(request: HttpRequest, reference: str) -> HttpResponse:
    application = get_application_for(request.user, reference)
    try:
        policy = services.accept_offer(
            actor=request.user, application=application, now=timezone.now()
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("portal:application", reference)
    messages.success(request, ISSUED_FOR_CUSTOMER.format(number=policy.number))
    return redirect("portal:policy", policy.number)


@customer_required
@require_POST
def portal_withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    _withdraw(request, reference)
    return redirect("portal:application", reference)


# --- console: the list and the case page -----------------------------------------------------


@staff_required()
def console_applications(request: HttpRequest) -> HttpResponse:
    filters = forms.ApplicationFilterForm(request.GET or None)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    rows = application_queue(request.user, status=status)[:200]
    return render(request, "sales/console_list.html", {"applications": rows, "filters": filters})


def _console_page(
    request: HttpRequest, reference: str, failed: dict[str, forms.ServiceForm] | None = None
) -> HttpResponse:
    """The case page; after a refused action, that form again with its input and error."""
    application = get_application_for(request.user, reference)
    now = timezone.now()
    log_access(application.case, user=request.user, now=now, what="application")
    status = application.status
    page_forms = {
        "decision": forms.DecisionForm(),
        "exam": forms.ExamForm(),
        "exam_result": forms.ExamResultForm(),
        "recording": forms.RecordingForm(),
        **(failed or {}),
    }
    context = {
        **_case_page(application, for_customer=False),
        "forms": page_forms,
        "referral_reasons": referral_reasons_of(application),
        # SVC-02: the underwriter's decision clock, as every case page shows its clocks.
        "clocks": [
            (c, c.display_state(now, due_soon_lead()))
            for c in application.case.clocks.exclude(state="cancelled").order_by("-started_at")
        ],
        "recording_required": services.recording_required(application),
        # Which action forms to offer; the services check again and say why not.
        "can_underwrite": has_role(request.user, *services.UNDERWRITING_ROLES)
        and status == ApplicationStatus.REFERRED,
        "can_record_result": has_role(request.user, *services.UNDERWRITING_ROLES)
        and status == ApplicationStatus.EXAM_REQUIRED,
        "can_sell": has_role(request.user, *ISSUING_ROLES) and application.case.is_open,
        "can_accept": has_role(request.user, *ISSUING_ROLES)
        and status == ApplicationStatus.OFFERED,
    }
    return render(request, "sales/console_application.html", context)


@staff_required()
def console_application(request: HttpRequest, reference: str) -> HttpResponse:
    return _console_page(request, reference)


def _act(
    request: HttpRequest,
    reference: str,
    *,
    name: str,
    form: forms.ServiceForm,
    call: Callable[[Application, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """Run one service with the form's input; on a refusal show the page with that form."""
    application = get_application_for(request.user, reference)
    if form.is_valid():
        try:
            call(application, form.cleaned_data)
        except DomainError as exc:
            form.refuse(exc)
        else:
            messages.success(request, done)
            return redirect("console:application", reference)
    return _console_page(request, reference, {name: form})


@staff_required(*services.UNDERWRITING_ROLES)
@require_POST
def console_decide(request: HttpRequest, reference: str) -> HttpResponse:
    form = forms.DecisionForm(request.POST)
    return _act(
        request,
        reference,
        name="decision",
        form=form,
        call=lambda application, _: services.decide(
            actor=request.user,
            application=application,
            now=timezone.now(),
            **form.decision_arguments(),
        ),
        done="The decision is recorded and the applicant told.",
    )


@staff_required(*services.UNDERWRITING_ROLES)
@require_POST
def console_exam(request: HttpRequest, reference: str) -> HttpResponse:
    return _act(
        request,
        reference,
        name="exam",
        form=forms.ExamForm(request.POST),
        call=lambda application, data: services.request_exam(
            actor=request.user, application=application, now=timezone.now(), **data
        ),
        done="The applicant is invited to the free medical examination.",
    )


def _result_file(data: dict[str, Any]) -> tuple[str, bytes] | None:
    upload = data.get("result_file")
    return (upload.name or "result", upload.read()) if upload else None


@staff_required(*services.UNDERWRITING_ROLES)
@require_POST
def console_exam_result(request: HttpRequest, reference: str, exam_id) -> HttpResponse:
    exam = get_exam_for(get_application_for(request.user, reference), exam_id)
    return _act(
        request,
        reference,
        name="exam_result",
        form=forms.ExamResultForm(request.POST, request.FILES),
        call=lambda _, data: services.record_exam_result(
            actor=request.user,
            exam=exam,
            summary=data["summary"],
            cost=data["cost"],
            result_file=_result_file(data),
            now=timezone.now(),
        ),
        done="The result is recorded; the application is back with the underwriter.",
    )


@staff_required(*ISSUING_ROLES)
@require_POST
def console_recording(request: HttpRequest, reference: str) -> HttpResponse:
    return _act(
        request,
        reference,
        name="recording",
        form=forms.RecordingForm(request.POST, request.FILES),
        call=lambda application, data: services.attach_recording(
            actor=request.user,
            application=application,
            name=data["recording"].name if data["recording"] else "",
            content=data["recording"].read() if data["recording"] else b"",
            consent=data["consent"],
            now=timezone.now(),
        ),
        done="The recording of the sale is kept (CN-12).",
    )


@staff_required(*ISSUING_ROLES)
@require_POST
def console_accept(request: HttpRequest, reference: str) -> HttpResponse:
    application = get_application_for(request.user, reference)
    try:
        policy = services.accept_offer(
            actor=request.user, application=application, now=timezone.now()
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, ISSUED_FOR_STAFF.format(number=policy.number))
    return redirect("console:application", reference)


@staff_required(*ISSUING_ROLES)
@require_POST
def console_withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    _withdraw(request, reference)
    return redirect("console:application", reference)


# --- console: applying with a customer -------------------------------------------------------


@staff_required()
def console_customer_applications(request: HttpRequest, number: str) -> HttpResponse:
    """A customer's applications, and the products staff who sell may apply for with them."""
    customer = get_customer_for(request.user, number)
    context = {
        "customer": customer,
        "applications": applications_visible_to(request.user).filter(applicant=customer)[:100],
        "products": published_products(market=customer.jurisdiction),
        "can_sell": has_role(request.user, *ISSUING_ROLES),
    }
    return render(request, "sales/console_customer.html", context)


@staff_required(*ISSUING_ROLES)
def console_apply(request: HttpRequest, number: str, code: str) -> HttpResponse:
    customer = get_customer_for(request.user, number)
    version = _on_sale(code, customer)
    form = forms.StaffApplicationForm(
        request.POST or None,
        version=version,
        language=customer.language,
        initial=_initial(customer, request.GET),
    )
    origin = _origin(request)
    application = _submit(request, form, applicant=customer, origin=origin)
    if application is not None:
        messages.success(request, RECEIVED.format(reference=application.reference))
        return redirect("console:application", application.reference)
    context = {"form": form, "version": version, "customer": customer, "origin": origin}
    return render(request, "sales/console_apply.html", context)
