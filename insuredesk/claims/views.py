"""Claim pages: the customer's portal and the staff console, over the same services.

Action views are short: select what the user may see, read the form, call one service,
redirect with a message. When the service says no, nothing was written: the page is shown again
(200) with that form open, the input kept and the message beside the field it names
(claims/forms.py).
"""

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.http import require_POST

from insuredesk.casework import services as casework
from insuredesk.casework.selectors import events_of
from insuredesk.catalog.choices import ClauseKind
from insuredesk.claims import forms, selectors, services
from insuredesk.claims.choices import (
    DOCUMENTS_SETTLED,
    ClaimStatus,
    DisputeChannel,
    PaymentKind,
    RefusalGround,
    ReportChannel,
)
from insuredesk.claims.forms import FailedForm
from insuredesk.claims.services.refusal import REFUSABLE, exemption_evidence
from insuredesk.customers.roles import Role
from insuredesk.customers.selectors import staff_users
from insuredesk.documents.selectors import letters_for_case
from insuredesk.documents.views import letter_pdf
from insuredesk.errors import DomainError, ValidationFailed
from insuredesk.policies.selectors import policies_visible_to
from insuredesk.web.access import customer_required, staff_required


def _optional_amount(value: str | None, field: str) -> Decimal | None:
    if not value:
        return None
    try:
        return Decimal(value.replace(",", ""))
    except InvalidOperation:
        raise ValidationFailed("Not an amount.", field=field) from None


def _amount(value: str | None, field: str) -> Decimal:
    amount = _optional_amount(value, field)
    if amount is None:
        raise ValidationFailed("Enter an amount.", field=field)
    return amount


def _when(value: str | None, field: str) -> datetime:
    parsed = parse_datetime(value or "")
    if parsed is None:
        raise ValidationFailed("Enter a date and time.", field=field)
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _clocks(case, now):
    lead = casework.due_soon_lead()
    return [(c, c.display_state(now, lead)) for c in case.clocks.exclude(state="cancelled")]


# --- portal ----------------------------------------------------------------------------------


@customer_required
def portal_claims(request: HttpRequest) -> HttpResponse:
    claims = selectors.my_claims(request.user)[:100]
    return render(request, "claims/portal_list.html", {"claims": claims, "now": timezone.now()})


@customer_required
def portal_report(request: HttpRequest) -> HttpResponse:
    policies = list(
        policies_visible_to(request.user).prefetch_related("product_version__coverages")
    )
    loss_types = sorted(
        {t for p in policies for c in p.product_version.coverages.all() for t in c.loss_types}
    )
    values, error = request.POST, None
    if request.method == "POST":
        policy = next((p for p in policies if p.number == values.get("policy")), None)
        try:
            if policy is None:
                raise ValidationFailed("Choose one of your policies.", field="policy")
            event_date = parse_date(values.get("event_date") or "")
            if event_date is None:
                raise ValidationFailed("Enter the date of the event.", field="event_date")
            claim = services.report_claim(
                policy=policy,
                event_date=event_date,
                event_place=values.get("event_place", ""),
                loss_type=values.get("loss_type", ""),
                description=values.get("description", ""),
                amount_claimed=_optional_amount(values.get("amount_claimed"), "amount_claimed"),
                contact_phone=values.get("contact_phone", ""),
                channel=ReportChannel.PORTAL,
                actor=request.user,
                now=timezone.now(),
            )
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, f"Claim {claim.case.reference} reported.")
            return redirect("portal:claim-detail", claim.case.reference)
    return render(
        request,
        "claims/portal_report.html",
        {"policies": policies, "loss_types": loss_types, "values": values, "error": error},
        status=422 if error else 200,
    )


def _portal_claim(request: HttpRequest, reference: str, failed: FailedForm | None = None):
    """The customer's claim page; after a failed action, that form open with its input and
    error (an offer's form: `offer.failed`, keyed by the offer's number)."""
    claim = selectors.get_claim_for(request.user, reference)
    now = timezone.now()
    workspace = selectors.claim_workspace(claim)
    forms.mark_target(workspace["offers"], failed, "offer", "number")
    return render(
        request,
        "claims/portal_claim.html",
        {
            "claim": claim,
            "case": claim.case,
            **workspace,
            "forms": {failed.name: failed} if failed and failed.name != "offer" else {},
            "events": events_of(claim.case, for_customer=True),
            "clocks": _clocks(claim.case, now),
            "letters": letters_for_case(claim.case),
            "channels": DisputeChannel.choices,
            # Decided or ended: no more documents to send (evidence goes with a contest).
            "can_upload": claim.case.is_open and claim.case.status not in DOCUMENTS_SETTLED,
        },
    )


@customer_required
def portal_claim(request: HttpRequest, reference: str) -> HttpResponse:
    return _portal_claim(request, reference)


def _upload(claim, request: HttpRequest):
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationFailed("Choose a file to upload.", field="file")
    return services.upload_claim_document(
        claim=claim,
        upload=upload,
        code=request.POST.get("code", ""),
        actor=request.user,
        now=timezone.now(),
    )


@customer_required
@require_POST
def portal_upload(request: HttpRequest, reference: str) -> HttpResponse:
    claim = selectors.get_claim_for(request.user, reference)
    failed = forms.attempt(
        lambda: _upload(claim, request),
        name="upload",
        values=request.POST,
        inputs={"code", "file"},
    )
    if failed:
        return _portal_claim(request, reference, failed)
    messages.success(request, "Document uploaded.")
    return redirect("portal:claim-detail", reference)


@customer_required
@require_POST
def portal_offer(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    offer = selectors.get_offer_for(request.user, reference, number)
    now = timezone.now()
    if request.POST.get("answer") == "accept":
        done = "Offer accepted."
        failed = forms.attempt(
            lambda: services.accept_offer(offer=offer, actor=request.user, now=now),
            name="offer",
            values=request.POST,
            inputs=set(),
            target=number,
        )
    else:
        done = "Your counter-offer was sent."
        failed = forms.attempt(
            lambda: services.counter_offer(
                offer=offer,
                amount=_amount(request.POST.get("amount"), "amount"),
                reasons=request.POST.get("reasons", ""),
                evidence=request.FILES.getlist("evidence"),
                actor=request.user,
                now=now,
            ),
            name="offer",
            values=request.POST,
            inputs={"amount", "reasons", "evidence"},
            target=number,
        )
    if failed:
        return _portal_claim(request, reference, failed)
    messages.success(request, done)
    return redirect("portal:claim-detail", reference)


@customer_required
@require_POST
def portal_contest(request: HttpRequest, reference: str) -> HttpResponse:
    claim = selectors.get_claim_for(request.user, reference)
    failed = forms.attempt(
        lambda: services.open_dispute(
            claim=claim,
            channel=request.POST.get("channel", ""),
            grounds=request.POST.get("grounds", ""),
            evidence=request.FILES.getlist("evidence"),
            actor=request.user,
            now=timezone.now(),
        ),
        name="contest",
        values=request.POST,
        inputs={"channel", "grounds", "evidence"},
    )
    if failed:
        return _portal_claim(request, reference, failed)
    messages.success(request, "Your dispute was opened.")
    return redirect("portal:claim-detail", reference)


@customer_required
def portal_dispute(request: HttpRequest, reference: str) -> HttpResponse:
    dispute = selectors.get_dispute_for(request.user, reference)
    return render(
        request,
        "claims/dispute.html",
        {
            "dispute": dispute,
            "base": "portal/base.html",
            "portal": True,
            "events": events_of(dispute.case, for_customer=True),
        },
    )


def _letter(request: HttpRequest, public_id: str) -> HttpResponse:
    """A claim letter: served as every letter is, checked against what was issued."""
    return letter_pdf(request, public_id)


portal_letter = customer_required(_letter)
console_letter = staff_required()(_letter)


# --- console ---------------------------------------------------------------------------------


@staff_required()
def console_queue(request: HttpRequest) -> HttpResponse:
    everyone = request.GET.get("everyone") == "1"
    now = timezone.now()
    lead = casework.due_soon_lead()
    rows = []
    for case in selectors.claim_queue(request.user, everyone=everyone)[:200]:
        clocks = sorted(case.clocks.all(), key=lambda c: c.deadline)
        nearest = clocks[0] if clocks else None
        rows.append(
            {
                "case": case,
                "claim": case.claim,
                "clock": nearest,
                "state": nearest.display_state(now, lead) if nearest else "",
            }
        )
    return render(request, "claims/console_queue.html", {"rows": rows, "everyone": everyone})


def _workspace(request: HttpRequest, reference: str, failed: FailedForm | None = None):
    """The claim workspace; after a failed action, that form open with its input and error."""
    claim = selectors.get_claim_for(request.user, reference)
    now = timezone.now()
    casework.log_access(claim.case, user=request.user, now=now, what="claim workspace")
    version = claim.policy.product_version
    clauses = list(version.clauses.all())
    # CN-02: the explanation evidence beside each exemption clause (None: not an exemption).
    evidence = exemption_evidence(claim, clauses)
    for clause in clauses:
        clause.evidence = evidence.get(clause.number)  # type: ignore[attr-defined]  # template-only
    forms.mark_clauses(clauses, failed)
    workspace = selectors.claim_workspace(claim)
    forms.mark_target(workspace["surveys"], failed, "report", "pk")
    forms.mark_target(workspace["orders"], failed, "approve", "public_id")
    return render(
        request,
        "claims/console_claim.html",
        {
            "claim": claim,
            "case": claim.case,
            **workspace,
            # keyed for templates: "request-documents" is forms.request_documents
            "forms": {failed.name.replace("-", "_"): failed} if failed else {},
            "item_rows": forms.item_rows(failed),
            "clauses": clauses,
            "exemptions": [c for c in clauses if c.kind == ClauseKind.EXEMPTION],
            "coverages": list(version.coverages.all()),
            "events": events_of(claim.case, for_customer=False),
            "clocks": _clocks(claim.case, now),
            "letters": letters_for_case(claim.case),
            "surveyors": staff_users(Role.SURVEYOR.value),
            "grounds": RefusalGround.choices,
            "payment_kinds": PaymentKind.choices,
            # Which action forms to offer; the services check again and say why not.
            "can_refuse": claim.case.status in REFUSABLE,
            "can_request_documents": claim.case.status
            in (ClaimStatus.REPORTED, ClaimStatus.INVESTIGATING),
        },
    )


@staff_required()
def console_claim(request: HttpRequest, reference: str) -> HttpResponse:
    return _workspace(request, reference)


def _staff_user(value: str | None):
    if not value:
        return None
    return get_user_model().objects.filter(pk=value, is_active=True).first()


def _clause_rows(post) -> list[dict]:
    return [
        {"number": n, "how_it_applies": post.get(f"how_{n}", "")} for n in post.getlist("clause")
    ]


def _assign(request: HttpRequest, claim, now):
    with transaction.atomic(durable=True):
        return casework.assign(claim.case, assignee=request.user, actor=request.user, now=now)


# action -> (message when done, the inputs its form shows, the service call)
CONSOLE_ACTIONS: dict[str, tuple[str, set[str], Callable]] = {
    "request-documents": (
        "Missing-documents notice sent.",
        {"note"},
        lambda r, c, now: services.request_missing_documents(
            claim=c, actor=r.user, now=now, note=r.POST.get("note", "")
        ),
    ),
    "survey": (
        "Surveyor dispatched.",
        {"surveyor", "appointment_at", "location"},
        lambda r, c, now: services.dispatch_surveyor(
            claim=c,
            appointment_at=_when(r.POST.get("appointment_at"), "appointment_at"),
            surveyor=_staff_user(r.POST.get("surveyor")),
            location=r.POST.get("location", ""),
            actor=r.user,
            now=now,
        ),
    ),
    "assessment": (
        "Loss assessed.",
        {"items", "note"},
        lambda r, c, now: services.assess_loss(
            claim=c,
            items=forms.filled_items(r.POST),
            note=r.POST.get("note", ""),
            actor=r.user,
            now=now,
        ),
    ),
    "offer": (
        "Offer sent.",
        {"amount", "note"},
        lambda r, c, now: services.make_offer(
            claim=c,
            amount=_optional_amount(r.POST.get("amount"), "amount"),
            note=r.POST.get("note", ""),
            actor=r.user,
            now=now,
        ),
    ),
    "payment": (
        "Payment ordered.",
        {"amount", "kind"},
        lambda r, c, now: services.order_payment(
            claim=c,
            amount=_amount(r.POST.get("amount"), "amount"),
            kind=r.POST.get("kind", PaymentKind.SETTLEMENT),
            actor=r.user,
            now=now,
        ),
    ),
    "approve": (
        "Payment approved and executed.",
        set(),
        lambda r, c, now: services.approve_payment(
            order=selectors.get_order_for(r.user, c.case.reference, r.POST.get("order")),
            actor=r.user,
            now=now,
        ),
    ),
    "refuse": (
        "Claim refused; the refusal notice was sent.",
        {
            "ground",
            "reasons",
            "clauses",
            "confirm_warnings",
            "qualifying_misrepresentation",
            "breach_connected_to_loss",
        },
        lambda r, c, now: services.refuse_claim(
            claim=c,
            ground=r.POST.get("ground", ""),
            reasons=r.POST.get("reasons", ""),
            clauses=_clause_rows(r.POST),
            confirm_warnings=bool(r.POST.get("confirm_warnings")),
            qualifying_misrepresentation=bool(r.POST.get("qualifying_misrepresentation")),
            breach_connected_to_loss=bool(r.POST.get("breach_connected_to_loss")),
            actor=r.user,
            now=now,
        ),
    ),
    "close": (
        "Claim closed.",
        {"reason"},
        lambda r, c, now: services.close_claim(
            claim=c, actor=r.user, now=now, reason=r.POST.get("reason", "")
        ),
    ),
    "take": ("Claim assigned to you.", set(), _assign),
}


@staff_required(Role.CLAIMS_HANDLER)
@require_POST
def console_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    claim = selectors.get_claim_for(request.user, reference)
    if action not in CONSOLE_ACTIONS:
        raise Http404("No such action.")
    done, inputs, call = CONSOLE_ACTIONS[action]
    now = timezone.now()
    failed = forms.attempt(
        lambda: call(request, claim, now),
        name=action,
        values=request.POST,
        inputs=inputs,
        target=request.POST.get("order", ""),
    )
    if failed:
        return _workspace(request, reference, failed)
    messages.success(request, done)
    return redirect("console:claim-detail", reference)


@staff_required(Role.SURVEYOR)
def console_appointments(request: HttpRequest) -> HttpResponse:
    return render(
        request, "claims/appointments.html", {"surveys": selectors.appointments_of(request.user)}
    )


@staff_required(Role.SURVEYOR)
@require_POST
def console_survey_report(request: HttpRequest, reference: str, survey_id: int) -> HttpResponse:
    survey = selectors.get_survey_for(request.user, reference, survey_id)
    failed = forms.attempt(
        lambda: services.file_survey_report(
            survey=survey,
            findings=request.POST.get("findings", ""),
            estimated_loss=_amount(request.POST.get("estimated_loss"), "estimated_loss"),
            cost=_amount(request.POST.get("cost") or "0", "cost"),
            photos=request.FILES.getlist("photos"),
            actor=request.user,
            now=timezone.now(),
        ),
        name="report",
        values=request.POST,
        inputs={"findings", "estimated_loss", "cost", "photos"},
        target=survey.pk,
    )
    if failed:
        return _workspace(request, reference, failed)
    messages.success(request, "Survey report filed.")
    return redirect("console:claim-detail", reference)


def _console_dispute(request: HttpRequest, reference: str, failed: FailedForm | None = None):
    """The staff dispute page; after a failed action, that form with its input and error."""
    dispute = selectors.get_dispute_for(request.user, reference)
    casework.log_access(dispute.case, user=request.user, now=timezone.now(), what="dispute")
    return render(
        request,
        "claims/dispute.html",
        {
            "dispute": dispute,
            "base": "console/base.html",
            "portal": False,
            "events": events_of(dispute.case, for_customer=False),
            "forms": {failed.name: failed} if failed else {},
        },
    )


@staff_required()
def console_dispute(request: HttpRequest, reference: str) -> HttpResponse:
    return _console_dispute(request, reference)


@staff_required(Role.CLAIMS_HANDLER)
@require_POST
def console_dispute_action(request: HttpRequest, reference: str) -> HttpResponse:
    dispute = selectors.get_dispute_for(request.user, reference)
    now = timezone.now()
    if request.POST.get("action") == "hearing":
        done = "Hearing recorded."
        failed = forms.attempt(
            lambda: services.record_hearing(
                dispute=dispute,
                held_at=_when(request.POST.get("held_at"), "held_at"),
                place=request.POST.get("place", ""),
                notes=request.POST.get("notes", ""),
                actor=request.user,
                now=now,
            ),
            name="hearing",
            values=request.POST,
            inputs={"held_at", "place", "notes"},
        )
    else:
        done = "Dispute decided."
        failed = forms.attempt(
            lambda: services.decide_dispute(
                dispute=dispute,
                upheld=request.POST.get("outcome") == "upheld",
                reasons=request.POST.get("reasons", ""),
                actor=request.user,
                now=now,
            ),
            name="decide",
            values=request.POST,
            inputs={"outcome", "reasons"},
        )
    if failed:
        return _console_dispute(request, reference, failed)
    messages.success(request, done)
    return redirect("console:claim-dispute", reference)
