"""The claims endpoints of the JSON API: `/api/v1/claims` and one POST per operation.

Customers report, upload, accept, counter and contest their own claims; staff do the rest.
A claim that is not the caller's is a 404; an operation out of order is a 409. Send an
`Idempotency-Key` on POSTs that create or pay: a repeat returns the first response.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from insuredesk.casework import services as casework
from insuredesk.casework.selectors import events_of
from insuredesk.claims import selectors, services
from insuredesk.claims.choices import DisputeChannel, PaymentKind, RefusalGround, ReportChannel
from insuredesk.claims.services.people import require_handler
from insuredesk.customers.roles import is_staff_member
from insuredesk.errors import ValidationFailed
from insuredesk.policies.selectors import policies_visible_to
from insuredesk.web.schemas import ErrorOut, InputSchema, NonNegativeAmount, PositiveAmount

router = Router(tags=["claims"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# --- schemas ---------------------------------------------------------------------------------


class ReportIn(InputSchema):
    policy: str = Field(description="Policy number.")
    event_date: date
    event_place: str = Field(min_length=1, max_length=300)
    loss_type: str = Field(min_length=1, max_length=40)
    description: str = Field(min_length=1, max_length=5000)
    amount_claimed: PositiveAmount | None = None
    contact_phone: str = Field("", max_length=40)
    contact_email: str = Field("", max_length=254)
    by_phone: bool = Field(False, description="Staff recording a phone report.")


class ClaimOut(Schema):
    reference: str = Field(alias="case.reference")
    status: str = Field(alias="case.status")
    jurisdiction: str = Field(alias="case.jurisdiction")
    policy: str = Field(alias="policy.number")
    coverage: str = Field(alias="coverage.code")
    loss_type: str
    event_date: date
    event_place: str
    amount_claimed: Decimal | None
    currency: str
    reported_at: datetime
    assignee: str | None = Field(None, alias="case.assignee.username")
    fast_track_note: str


class ClaimClockOut(Schema):
    name: str
    label: str
    rule: str
    state: str
    due_date: date
    deadline: datetime
    stopped_at: datetime | None


class DocumentOut(Schema):
    id: UUID = Field(alias="public_id")
    kind: str
    code: str
    name: str
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


class NeededOut(Schema):
    code: str
    name: str


class SurveyOut(Schema):
    id: int
    surveyor: str = Field(alias="surveyor.username")
    status: str
    appointment_at: datetime
    location: str
    auto_assigned: bool
    findings: str
    estimated_loss: Decimal | None
    reported_at: datetime | None


class LineOut(Schema):
    kind: str
    label: str
    amount: Decimal
    coverage: str = ""
    clause: dict[str, str] | None = None


class AssessmentOut(Schema):
    number: int
    gross: Decimal
    payable: Decimal
    currency: str
    lines: list[LineOut]
    assessed_at: datetime


class OfferOut(Schema):
    number: int
    amount: Decimal
    status: str
    lines: list[LineOut]
    made_at: datetime
    counter_amount: Decimal | None
    counter_reasons: str


class AgreementOut(Schema):
    amount: Decimal
    accepted_by: str = Field(alias="accepted_by_label")
    accepted_at: datetime


class OrderOut(Schema):
    id: UUID = Field(alias="public_id")
    kind: str
    amount: Decimal
    currency: str
    status: str
    needs_supervisor: bool
    created_at: datetime
    payment_reference: str | None = Field(None, alias="payment.reference")


class PaymentOut(Schema):
    reference: str
    amount: Decimal
    executed_at: datetime


class RefusalOut(Schema):
    ground: str
    reasons: str
    clauses: list[dict[str, Any]]
    warnings: list[dict[str, Any]]
    decided_at: datetime
    notice_sent_at: datetime | None
    letter: UUID | None = Field(None, alias="letter.public_id")


class DisputeOut(Schema):
    reference: str = Field(alias="case.reference")
    status: str = Field(alias="case.status")
    channel: str
    grounds: str
    opened_at: datetime
    outcome_reasons: str


class ClaimEventOut(Schema):
    kind: str
    actor: str = Field(alias="actor_label")
    from_status: str
    to_status: str
    reason: str
    data: dict[str, Any]
    created_at: datetime


class ClaimDetailOut(ClaimOut):
    description: str
    documents_complete_at: datetime | None
    advance_payment_flagged_at: datetime | None
    documents: list[DocumentOut] = Field(alias="x_documents")
    outstanding_documents: list[NeededOut] = Field(alias="x_outstanding")
    clocks: list[ClaimClockOut] = Field(alias="x_clocks")
    surveys: list[SurveyOut] = Field(alias="x_surveys")
    assessments: list[AssessmentOut] = Field(alias="x_assessments")
    offers: list[OfferOut] = Field(alias="x_offers")
    orders: list[OrderOut] = Field(alias="x_orders")
    refusals: list[RefusalOut] = Field(alias="x_refusals")
    disputes: list[DisputeOut] = Field(alias="x_disputes")
    events: list[ClaimEventOut] = Field(alias="x_events")


class RequestDocumentsIn(InputSchema):
    note: str = Field("", max_length=2000)
    extra: list[NeededOut] = []


class ClaimAssignIn(InputSchema):
    assignee: str | None = Field(None, description="Username; null returns it to the pool.")


class SurveyIn(InputSchema):
    appointment_at: datetime
    surveyor: str | None = Field(None, description="Username; omit for the automatic rule.")
    location: str = Field("", max_length=300)


class SurveyReportIn(InputSchema):
    findings: str = Field(min_length=1, max_length=10000)
    estimated_loss: NonNegativeAmount
    cost: NonNegativeAmount = Decimal("0")


class ItemIn(InputSchema):
    description: str = Field(min_length=1, max_length=200)
    coverage: str | None = None
    amount: PositiveAmount
    excluded_by: str = Field("", description="Number of the exemption clause that excludes it.")
    reason: str = ""


class AssessmentIn(InputSchema):
    items: list[ItemIn] = Field(min_length=1)
    note: str = ""


class OfferIn(InputSchema):
    amount: PositiveAmount | None = None
    note: str = ""


class CounterIn(InputSchema):
    amount: PositiveAmount
    reasons: str = Field(min_length=1, max_length=5000)


class PaymentIn(InputSchema):
    amount: PositiveAmount
    kind: PaymentKind = PaymentKind.SETTLEMENT


class ClauseIn(InputSchema):
    number: str
    how_it_applies: str = Field(min_length=1)


class RefuseIn(InputSchema):
    ground: RefusalGround
    reasons: str = Field(min_length=1)
    clauses: list[ClauseIn] = Field(min_length=1)
    confirm_warnings: bool = False
    qualifying_misrepresentation: bool = False
    breach_connected_to_loss: bool = False


class DisputeIn(InputSchema):
    channel: DisputeChannel
    grounds: str = Field(min_length=1, max_length=10000)


class ClaimReasonIn(InputSchema):
    reason: str = Field("", max_length=2000)


# --- helpers ---------------------------------------------------------------------------------


def _claim(request: HttpRequest, reference: str):
    return selectors.get_claim_for(request.user, reference)


def _detail(request: HttpRequest, claim):
    """The claim with its parts attached as x_* attributes for ClaimDetailOut."""
    workspace = selectors.claim_workspace(claim)
    for key in (
        "documents",
        "outstanding",
        "surveys",
        "assessments",
        "offers",
        "orders",
        "refusals",
        "disputes",
    ):
        setattr(claim, f"x_{key}", workspace[key])
    claim.x_clocks = list(claim.case.clocks.exclude(state="cancelled"))
    customer = not is_staff_member(request.user)
    claim.x_events = list(events_of(claim.case, for_customer=customer))
    return claim


def _user(username: str | None, field: str):
    if username is None:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None or not is_staff_member(user):
        raise ValidationFailed(f"No member of staff called {username!r}.", field=field)
    return user


# --- endpoints -------------------------------------------------------------------------------


@router.post("/claims", response={201: ClaimOut, **ERRORS})
def report(request: HttpRequest, payload: ReportIn):
    """Report a loss on one of your policies (staff: on any policy, e.g. a phone report)."""
    policy = policies_visible_to(request.user).filter(number=payload.policy).first()
    if policy is None:
        raise Http404("No such policy.")
    channel = ReportChannel.PHONE if payload.by_phone else ReportChannel.API
    claim = services.report_claim(
        policy=policy,
        event_date=payload.event_date,
        event_place=payload.event_place,
        loss_type=payload.loss_type,
        description=payload.description,
        amount_claimed=payload.amount_claimed,
        contact_phone=payload.contact_phone,
        contact_email=payload.contact_email,
        channel=channel,
        actor=request.user,
        now=timezone.now(),
    )
    return Status(201, claim)


@router.get("/claims", response=list[ClaimOut])
def list_claims(
    request: HttpRequest,
    everyone: bool = False,
    limit: int = Query(100, ge=1, le=200),
    offset: int = Query(0, ge=0, le=1_000_000_000),
):
    """Customers: your claims, newest first. Staff: your claims queue, nearest deadline first."""
    if is_staff_member(request.user):
        cases = selectors.claim_queue(request.user, everyone=everyone)[offset : offset + limit]
        return [case.claim for case in cases]
    return list(
        selectors.claims_visible_to(request.user).order_by("-reported_at")[offset : offset + limit]
    )


@router.get("/claims/{reference}", response={200: ClaimDetailOut, **ERRORS})
def claim_detail(request: HttpRequest, reference: str):
    """A claim with its documents, clocks, survey, assessment, offers, payments and events."""
    claim = _claim(request, reference)
    if is_staff_member(request.user):
        casework.log_access(claim.case, user=request.user, now=timezone.now(), what="api")
    return Status(200, _detail(request, claim))


@router.post("/claims/{reference}/documents", response={201: DocumentOut, **ERRORS})
def upload_document(
    request: HttpRequest, reference: str, code: Form[str], file: File[UploadedFile]
):
    """Upload one document (PDF, JPEG or PNG, up to 10 MB); `code` is a required-document code
    or `other`."""
    claim = _claim(request, reference)
    document = services.upload_claim_document(
        claim=claim, upload=file, code=code, actor=request.user, now=timezone.now()
    )
    return Status(201, document)


@router.post("/claims/{reference}/request-documents", response={201: list[NeededOut], **ERRORS})
def request_documents(request: HttpRequest, reference: str, payload: RequestDocumentsIn):
    """Send the one consolidated missing-documents notice (CN-18); pauses the clock (CN-20)."""
    claim = _claim(request, reference)
    sent = services.request_missing_documents(
        claim=claim,
        actor=request.user,
        now=timezone.now(),
        note=payload.note,
        extra=[e.model_dump() for e in payload.extra],
    )
    return Status(201, sent.items)


@router.post("/claims/{reference}/assign", response={200: ClaimOut, **ERRORS})
def assign(request: HttpRequest, reference: str, payload: ClaimAssignIn):
    claim = _claim(request, reference)
    require_handler(request.user, "assign a claim")
    from django.db import transaction

    with transaction.atomic(durable=True):
        casework.assign(
            claim.case,
            assignee=_user(payload.assignee, "assignee"),
            actor=request.user,
            now=timezone.now(),
        )
    return Status(200, claim)


@router.post("/claims/{reference}/survey", response={201: SurveyOut, **ERRORS})
def survey(request: HttpRequest, reference: str, payload: SurveyIn):
    """Dispatch a surveyor with an appointment (omit `surveyor` for the automatic rule)."""
    claim = _claim(request, reference)
    result = services.dispatch_surveyor(
        claim=claim,
        appointment_at=payload.appointment_at,
        surveyor=_user(payload.surveyor, "surveyor"),
        location=payload.location,
        actor=request.user,
        now=timezone.now(),
    )
    return Status(201, result)


@router.post("/claims/{reference}/surveys/{survey_id}/report", response={200: SurveyOut, **ERRORS})
def survey_report(
    request: HttpRequest,
    reference: str,
    survey_id: int,
    payload: SurveyReportIn,
):
    """The surveyor files findings and the estimated loss (survey costs are ours, CN-26)."""
    found = selectors.get_survey_for(request.user, reference, survey_id)
    result = services.file_survey_report(
        survey=found,
        findings=payload.findings,
        estimated_loss=payload.estimated_loss,
        cost=payload.cost,
        actor=request.user,
        now=timezone.now(),
    )
    return Status(200, result)


@router.post("/claims/{reference}/assessment", response={201: AssessmentOut, **ERRORS})
def assessment(request: HttpRequest, reference: str, payload: AssessmentIn):
    """Assess the loss: items mapped to coverages; deductions cite their clauses."""
    claim = _claim(request, reference)
    result = services.assess_loss(
        claim=claim,
        items=[{**i.model_dump(), "amount": str(i.amount)} for i in payload.items],
        note=payload.note,
        actor=request.user,
        now=timezone.now(),
    )
    return Status(201, result)


@router.post("/claims/{reference}/offers", response={201: OfferOut, **ERRORS})
def offer(request: HttpRequest, reference: str, payload: OfferIn):
    claim = _claim(request, reference)
    result = services.make_offer(
        claim=claim,
        amount=payload.amount,
        note=payload.note,
        actor=request.user,
        now=timezone.now(),
    )
    return Status(201, result)


@router.post("/claims/{reference}/offers/{number}/accept", response={201: AgreementOut, **ERRORS})
def accept(request: HttpRequest, reference: str, number: int):
    """Accept an offer: it becomes the settlement agreement and the payment clock starts."""
    found = selectors.get_offer_for(request.user, reference, number)
    return Status(201, services.accept_offer(offer=found, actor=request.user, now=timezone.now()))


@router.post("/claims/{reference}/offers/{number}/counter", response={200: OfferOut, **ERRORS})
def counter(request: HttpRequest, reference: str, number: int, payload: CounterIn):
    found = selectors.get_offer_for(request.user, reference, number)
    result = services.counter_offer(
        offer=found,
        amount=payload.amount,
        reasons=payload.reasons,
        actor=request.user,
        now=timezone.now(),
    )
    return Status(200, result)


@router.post("/claims/{reference}/payments", response={201: OrderOut, **ERRORS})
def payments(request: HttpRequest, reference: str, payload: PaymentIn):
    """Order a payment: never above the agreed amount (advance: the determinable part)."""
    claim = _claim(request, reference)
    result = services.order_payment(
        claim=claim,
        amount=payload.amount,
        kind=payload.kind,
        actor=request.user,
        now=timezone.now(),
    )
    return Status(201, result)


@router.post(
    "/claims/{reference}/payments/{order_id}/approve", response={200: PaymentOut, **ERRORS}
)
def approve_payment(request: HttpRequest, reference: str, order_id: UUID):
    """Approve and execute an order once; above a handler's authority a supervisor approves."""
    order = selectors.get_order_for(request.user, reference, order_id)
    payment = services.approve_payment(order=order, actor=request.user, now=timezone.now())
    return Status(200, payment)


@router.post("/claims/{reference}/refuse", response={201: RefusalOut, **ERRORS})
def refuse(request: HttpRequest, reference: str, payload: RefuseIn):
    """Refuse with reasons and clauses; the refusal notice goes out at once (CN-22)."""
    claim = _claim(request, reference)
    result = services.refuse_claim(
        claim=claim,
        ground=payload.ground,
        reasons=payload.reasons,
        clauses=[c.model_dump() for c in payload.clauses],
        confirm_warnings=payload.confirm_warnings,
        qualifying_misrepresentation=payload.qualifying_misrepresentation,
        breach_connected_to_loss=payload.breach_connected_to_loss,
        actor=request.user,
        now=timezone.now(),
    )
    return Status(201, result)


@router.post("/claims/{reference}/disputes", response={201: DisputeOut, **ERRORS})
def disputes(request: HttpRequest, reference: str, payload: DisputeIn):
    """Contest a refusal, an offer or a payment."""
    claim = _claim(request, reference)
    result = services.open_dispute(
        claim=claim,
        channel=payload.channel,
        grounds=payload.grounds,
        actor=request.user,
        now=timezone.now(),
    )
    return Status(201, result)


@router.post("/claims/{reference}/close", response={200: ClaimOut, **ERRORS})
def close(request: HttpRequest, reference: str, payload: ClaimReasonIn):
    claim = _claim(request, reference)
    result = services.close_claim(
        claim=claim, actor=request.user, now=timezone.now(), reason=payload.reason
    )
    return Status(200, result)


@router.post("/claims/{reference}/withdraw", response={200: ClaimOut, **ERRORS})
def withdraw(request: HttpRequest, reference: str, payload: ClaimReasonIn):
    claim = _claim(request, reference)
    result = services.withdraw_claim(
        claim=claim, actor=request.user, now=timezone.now(), reason=payload.reason
    )
    return Status(200, result)
