"""The complaints endpoints of the JSON API: one POST per operation, explicit schemas.

Foreign complaints are 404; a role that may see but not act gets 403; bad input gets 422 with
the field named (and the rule, where a rule refuses); a wrong status gets 409.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from insuredesk.casework.models import Clock
from insuredesk.complaints import selectors, services
from insuredesk.complaints.analytics import complaint_report
from insuredesk.complaints.choices import Channel, ComplainantRole, Priority
from insuredesk.complaints.clocks import main_clock
from insuredesk.complaints.models import (
    COMMENT_MAX,
    DESCRIPTION_MAX,
    DESIRED_OUTCOME_MAX,
    NOTE_MAX,
    RESPONSE_TEXT_MAX,
    Category,
    Complaint,
    Extension,
    ImprovementPlan,
    Measure,
    Rating,
    RootCause,
)
from insuredesk.customers.roles import is_staff_member
from insuredesk.customers.selectors import customer_of
from insuredesk.errors import ValidationFailed
from insuredesk.web.pagination import Paginated
from insuredesk.web.schemas import ErrorOut, InputSchema

router = Router(tags=["complaints"])
ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# --- output schemas ---------------------------------------------------------------------------


class RootCauseOut(Schema):
    category: str
    product: str | None
    product_version: int | None
    clause: str | None
    service_stage: str
    team: str
    note: str
    recorded_at: datetime

    @staticmethod
    def resolve_product(obj: RootCause) -> str | None:
        version = obj.product_version
        return version.product.code if version is not None else None

    @staticmethod
    def resolve_product_version(obj: RootCause) -> int | None:
        version = obj.product_version
        return version.version if version is not None else None

    @staticmethod
    def resolve_clause(obj: RootCause) -> str | None:
        return obj.clause.number if obj.clause is not None else None


class RatingOut(Schema):
    score: int
    comment: str
    rated_at: datetime


class ComplaintOut(Schema):
    reference: str
    status: str
    jurisdiction: str
    channel: str
    received_at: datetime
    customer_number: str | None
    complainant_role: str
    complainant_name: str
    description: str
    desired_outcome: str
    policy_number: str | None
    related_reference: str | None
    category: str | None
    category_name: str | None
    service_stage: str
    priority: str
    is_group: bool
    assignee: str | None
    due_date: date | None = Field(description="The statutory clock's last day.")
    due_rule: str | None
    summary_resolution_by: date | None
    is_complex: bool
    response_kind: str
    outcome: str
    responded_at: datetime | None
    responded_in_time: bool | None
    resolved_at: datetime | None
    withdrawn_at: datetime | None

    @staticmethod
    def resolve_reference(obj: Complaint) -> str:
        return obj.case.reference

    @staticmethod
    def resolve_status(obj: Complaint) -> str:
        return obj.case.status

    @staticmethod
    def resolve_jurisdiction(obj: Complaint) -> str:
        return obj.case.jurisdiction

    @staticmethod
    def resolve_customer_number(obj: Complaint) -> str | None:
        customer = obj.case.customer
        return customer.number if customer is not None else None

    @staticmethod
    def resolve_policy_number(obj: Complaint) -> str | None:
        return obj.policy.number if obj.policy is not None else None

    @staticmethod
    def resolve_related_reference(obj: Complaint) -> str | None:
        return obj.related_case.reference if obj.related_case is not None else None

    @staticmethod
    def resolve_category(obj: Complaint) -> str | None:
        return obj.category.code if obj.category is not None else None

    @staticmethod
    def resolve_category_name(obj: Complaint) -> str | None:
        return str(obj.category) if obj.category is not None else None

    @staticmethod
    def resolve_assignee(obj: Complaint) -> str | None:
        assignee = obj.case.assignee
        return assignee.username if assignee is not None else None

    @staticmethod
    def resolve_due_date(obj: Complaint) -> date | None:
        clock = _clock(obj)
        return clock.due_date if clock else None

    @staticmethod
    def resolve_due_rule(obj: Complaint) -> str | None:
        clock = _clock(obj)
        return clock.rule if clock else None

    @staticmethod
    def resolve_is_complex(obj: Complaint) -> bool:
        return obj.complex_at is not None


def _clock(complaint: Complaint) -> Clock | None:
    clocks = getattr(complaint.case, "main_clocks", None)
    if clocks is not None:  # prefetched by the list endpoint
        return clocks[0] if clocks else None
    return main_clock(complaint.case)


class ComplaintLetterOut(Schema):
    id: str
    kind: str
    title: str
    issued_at: datetime


class ExtensionOut(Schema):
    days: int
    reason: str
    status: str
    requested_at: datetime
    decided_at: datetime | None
    new_due_date: date | None


class AttachmentOut(Schema):
    id: str
    kind: str
    name: str
    size: int
    sha256: str
    uploaded_at: datetime


class ComplaintDetailOut(ComplaintOut):
    findings: str
    basis: str
    reasons: str
    redress: str
    redress_amount: Decimal | None
    representatives: list[str]
    attachments: list[AttachmentOut]
    extensions: list[ExtensionOut]
    letters: list[ComplaintLetterOut]
    root_cause: RootCauseOut | None
    rating: RatingOut | None

    @staticmethod
    def resolve_representatives(obj: Complaint) -> list[str]:
        return [r.full_name for r in obj.representatives.all()]

    @staticmethod
    def resolve_attachments(obj: Complaint) -> list[dict[str, Any]]:
        return [
            {
                "id": str(a.public_id),
                "kind": a.kind,
                "name": a.original_name,
                "size": a.size,
                "sha256": a.sha256,
                "uploaded_at": a.uploaded_at,
            }
            for a in obj.attachments.all()
        ]

    # The next three read what `_detail` sets on the complaint (`shown_to_staff`, `letter_rows`),
    # which its model type does not declare; so they take `obj` untyped.
    @staticmethod
    def resolve_extensions(obj) -> list[Extension]:
        return list(obj.extensions.all()) if obj.shown_to_staff else []

    @staticmethod
    def resolve_letters(obj) -> list[dict[str, Any]]:
        return obj.letter_rows

    @staticmethod
    def resolve_root_cause(obj) -> RootCause | None:
        # Root causes are the insurer's own analysis: staff only.
        return getattr(obj, "root_cause", None) if obj.shown_to_staff else None

    @staticmethod
    def resolve_rating(obj: Complaint) -> Rating | None:
        return getattr(obj, "rating", None)


def _detail(complaint: Complaint, *, staff: bool) -> Complaint:
    from insuredesk.documents.selectors import letters_for_case

    complaint = selectors.complaint_detail(complaint)
    complaint.shown_to_staff = staff  # type: ignore[attr-defined]  # read by ComplaintDetailOut
    complaint.letter_rows = [  # type: ignore[attr-defined]  # read by ComplaintDetailOut
        {
            "id": str(letter.public_id),
            "kind": letter.kind,
            "title": letter.title,
            "issued_at": letter.issued_at,
        }
        for letter in letters_for_case(complaint.case)
    ]
    return complaint


class CategoryOut(Schema):
    code: str
    name: str
    parent: str | None

    @staticmethod
    def resolve_parent(obj: Category) -> str | None:
        return obj.parent.code if obj.parent is not None else None


# --- input schemas ----------------------------------------------------------------------------


class RepresentativeIn(InputSchema):
    full_name: str = Field(max_length=200)
    contact: str = Field("", max_length=200)


class ComplaintIn(InputSchema):
    customer_number: str | None = Field(
        None, description="Staff recording a complaint: whose complaint it is."
    )
    channel: Channel | None = Field(
        None, description="Customers: api (default). Staff: phone, letter, visit or regulator."
    )
    description: str = Field(max_length=DESCRIPTION_MAX, description="What happened.")
    desired_outcome: str = Field(max_length=DESIRED_OUTCOME_MAX, description="What they want.")
    complainant_role: ComplainantRole = ComplainantRole.CUSTOMER
    complainant_name: str = Field("", max_length=200)
    complainant_contact: str = Field("", max_length=200)
    authority_evidence: str = Field("", max_length=NOTE_MAX)
    policy_number: str | None = None
    related_reference: str | None = Field(None, description="The claim or case concerned.")
    is_group: bool = False
    group_size: int | None = Field(None, ge=2, le=100000)
    representatives: list[RepresentativeIn] = Field(default_factory=list)
    priority: Priority = Priority.NORMAL
    acknowledge: bool = Field(True, description="Send the acknowledgement at once (GB-07).")


class ClassifyIn(InputSchema):
    category: str = Field(max_length=40)
    product: str | None = Field(None, max_length=40)
    product_version: int | None = Field(None, ge=1)
    clause: str | None = Field(None, max_length=10)
    service_stage: str = Field("", max_length=20)
    priority: Priority | None = None


class ComplaintAssignIn(InputSchema):
    assignee: str | None = Field(description="Username of a complaint handler; null unassigns.")


class ComplaintReasonIn(InputSchema):
    reason: str = Field(max_length=NOTE_MAX)


class OptionalReasonIn(InputSchema):
    reason: str = Field("", max_length=NOTE_MAX)


class ExtendIn(InputSchema):
    days: int = Field(30, description="Further days after the complex period (CN-28.extended).")
    reason: str = Field(max_length=NOTE_MAX)


class DecisionNoteIn(InputSchema):
    note: str = Field("", max_length=NOTE_MAX)


class AppraisalIn(InputSchema):
    appraiser: str = Field(max_length=200)
    reason: str = Field(max_length=NOTE_MAX)


class AppraisalDoneIn(InputSchema):
    summary: str = Field(max_length=NOTE_MAX)


class DocumentsIn(InputSchema):
    documents: list[str] = Field(max_length=20)
    note: str = Field("", max_length=NOTE_MAX)


class RespondIn(InputSchema):
    outcome: str = Field(
        "upheld",
        description="upheld, partly_upheld, redress_without_admission or rejected "
        "(ignored for a GB summary resolution).",
    )
    findings: str = Field("", max_length=RESPONSE_TEXT_MAX)
    basis: str = Field("", max_length=RESPONSE_TEXT_MAX)
    reasons: str = Field("", max_length=RESPONSE_TEXT_MAX, description="Required to reject.")
    redress: str = Field("", max_length=RESPONSE_TEXT_MAX)
    redress_amount: Decimal | None = Field(None, ge=0, le=Decimal("1000000000"), decimal_places=2)
    summary: bool = Field(False, description="GB: summary resolution by the 3rd business day.")


class RootCauseIn(InputSchema):
    category: str = Field(max_length=30)
    product: str | None = Field(None, max_length=40)
    product_version: int | None = Field(None, ge=1)
    clause: str | None = Field(None, max_length=10)
    service_stage: str = Field("", max_length=20)
    team: str = Field("", max_length=100)
    note: str = Field("", max_length=NOTE_MAX)


class ResolveIn(InputSchema):
    note: str = Field("", max_length=NOTE_MAX)


class ComplaintRatingIn(InputSchema):
    score: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=COMMENT_MAX)


# --- complaints -------------------------------------------------------------------------------


def _complaint(request: HttpRequest, reference: str) -> Complaint:
    return selectors.get_complaint_for(request.user, reference)


def _reply(request: HttpRequest, complaint: Complaint) -> Complaint:
    return _detail(complaint, staff=is_staff_member(request.user))


@router.get("/complaint-categories", response=list[CategoryOut])
def list_categories(request: HttpRequest) -> list[Category]:
    """The complaint category tree (code, name, parent code)."""
    return list(selectors.categories())


@router.get("/complaints", response={200: list[ComplaintOut], 403: ErrorOut})
@paginate(Paginated)
def list_complaints(
    request: HttpRequest, status: str | None = None, open: bool | None = None
) -> QuerySet[Complaint]:
    """Complaints the caller may see, newest first: a customer's own; every one for staff."""
    from django.db.models import Prefetch

    complaints = selectors.complaints_visible_to(request.user).select_related("related_case")
    if status:
        complaints = complaints.filter(case__status=status)
    if open is not None:
        complaints = complaints.filter(case__closed_at__isnull=open)
    return complaints.prefetch_related(
        Prefetch(
            "case__clocks",
            queryset=Clock.objects.filter(name__in=["decide", "final_response"]).order_by(
                "-started_at"
            ),
            to_attr="main_clocks",
        )
    ).order_by("-received_at")


@router.post("/complaints", response={201: ComplaintDetailOut, **ERRORS})
def submit(request: HttpRequest, payload: ComplaintIn) -> Status[Complaint]:
    """Make a complaint (customers), or record one received by phone, letter, visit or from the
    regulator (staff, naming `customer_number`)."""
    staff = is_staff_member(request.user)
    if staff:
        if not payload.customer_number:
            raise ValidationFailed("Name the customer who complains.", field="customer_number")
        customer = selectors.customer_by_number(request.user, payload.customer_number)
        if customer is None:
            raise ValidationFailed("No customer has that number.", field="customer_number")
        channel = payload.channel or Channel.PHONE
    else:
        customer = customer_of(request.user)
        if customer is None:
            raise PermissionDenied("Only customers and staff make complaints.")
        if payload.customer_number and payload.customer_number != customer.number:
            raise ValidationFailed("You can complain only as yourself.", field="customer_number")
        channel = payload.channel or Channel.API
    policy = related = None
    if payload.policy_number:
        policy = selectors.policy_of(customer, payload.policy_number)
        if policy is None:
            raise ValidationFailed(
                "No policy of the complainant has that number.", field="policy_number"
            )
    if payload.related_reference:
        related = selectors.case_of(customer, payload.related_reference)
        if related is None:
            raise ValidationFailed(
                "No case of the complainant has that reference.", field="related_reference"
            )
    complaint = services.submit_complaint(
        customer=customer,
        actor=request.user,
        now=timezone.now(),
        channel=channel,
        description=payload.description,
        desired_outcome=payload.desired_outcome,
        complainant_role=payload.complainant_role,
        complainant_name=payload.complainant_name,
        complainant_contact=payload.complainant_contact,
        authority_evidence=payload.authority_evidence,
        policy=policy,
        related_case=related,
        is_group=payload.is_group,
        group_size=payload.group_size,
        representatives=[r.dict() for r in payload.representatives],
        priority=payload.priority,
        acknowledge=payload.acknowledge or not staff,
    )
    return Status(201, _reply(request, complaint))


@router.get("/complaints/analytics", response={200: dict, 403: ErrorOut})
def analytics(
    request: HttpRequest, months: int = 12, jurisdiction: str | None = None
) -> dict[str, Any]:
    """Complaints per 10 000 policies by product, category, root cause, stage and month; share
    answered in time; median days to respond; repeat complainants; plans; satisfaction."""
    if not is_staff_member(request.user):
        raise PermissionDenied("Analytics are for staff.")
    from dataclasses import asdict

    report = complaint_report(now=timezone.now(), months=months, jurisdiction=jurisdiction)
    return asdict(report)


@router.get("/complaints/{reference}", response={200: ComplaintDetailOut, 404: ErrorOut})
def detail(request: HttpRequest, reference: str) -> Complaint:
    complaint = _complaint(request, reference)
    if is_staff_member(request.user):
        from insuredesk.casework.services import log_access

        log_access(complaint.case, user=request.user, now=timezone.now(), what="api")
    return _reply(request, complaint)


@router.post("/complaints/{reference}/attachments", response={201: AttachmentOut, **ERRORS})
def attach(
    request: HttpRequest,
    reference: str,
    kind: Form[str],
    file: File[UploadedFile],
    description: Form[str] = "",
) -> Status[dict[str, Any]]:
    """Add a file: document, authority, or an audio/video recording of a meeting (CN-33)."""
    complaint = _complaint(request, reference)
    kept = services.add_attachment(
        complaint=complaint,
        attachment=services.NewAttachment(kind=kind, upload=file, description=description),
        actor=request.user,
        now=timezone.now(),
    )
    return Status(
        201,
        {
            "id": str(kept.public_id),
            "kind": kept.kind,
            "name": kept.original_name,
            "size": kept.size,
            "sha256": kept.sha256,
            "uploaded_at": kept.uploaded_at,
        },
    )


@router.post("/complaints/{reference}/acknowledge", response={200: ComplaintDetailOut, **ERRORS})
def acknowledge(request: HttpRequest, reference: str) -> Complaint:
    """Send the written acknowledgement (GB-07) of a complaint recorded without one."""
    complaint = _complaint(request, reference)
    services.acknowledge_complaint(complaint=complaint, actor=request.user, now=timezone.now())
    return _reply(request, complaint)


@router.post("/complaints/{reference}/classify", response={200: ComplaintDetailOut, **ERRORS})
def classify(request: HttpRequest, reference: str, payload: ClassifyIn) -> Complaint:
    """Category, product / version / clause, service stage and priority."""
    complaint = _complaint(request, reference)
    services.classify_complaint(
        complaint=complaint, actor=request.user, now=timezone.now(), **payload.dict()
    )
    return _reply(request, complaint)


@router.post("/complaints/{reference}/assign", response={200: ComplaintDetailOut, **ERRORS})
def assign(request: HttpRequest, reference: str, payload: ComplaintAssignIn) -> Complaint:
    complaint = _complaint(request, reference)
    assignee = services.find_assignee(payload.assignee) if payload.assignee else None
    services.assign_complaint(
        complaint=complaint, assignee=assignee, actor=request.user, now=timezone.now()
    )
    return _reply(request, complaint)


@router.post(
    "/complaints/{reference}/request-documents", response={200: ComplaintDetailOut, **ERRORS}
)
def request_documents(request: HttpRequest, reference: str, payload: DocumentsIn) -> Complaint:
    """Ask for documents at once; those we already hold are refused (CN-34)."""
    complaint = _complaint(request, reference)
    services.request_documents(
        complaint=complaint,
        documents=payload.documents,
        note=payload.note,
        actor=request.user,
        now=timezone.now(),
    )
    return _reply(request, complaint)


@router.post("/complaints/{reference}/mark-complex", response={200: ComplaintDetailOut, **ERRORS})
def mark_complex(request: HttpRequest, reference: str, payload: ComplaintReasonIn) -> Complaint:
    """CN-28.complex: 30 days from receipt instead of 15."""
    complaint = _complaint(request, reference)
    services.mark_complex(
        complaint=complaint, reason=payload.reason, actor=request.user, now=timezone.now()
    )
    return _reply(request, complaint)


@router.post("/complaints/{reference}/extend", response={200: ComplaintDetailOut, **ERRORS})
def extend(request: HttpRequest, reference: str, payload: ExtendIn) -> Complaint:
    """Request the further period of CN-28.extended; it applies once a supervisor approves."""
    complaint = _complaint(request, reference)
    services.request_extension(
        complaint=complaint,
        days=payload.days,
        reason=payload.reason,
        actor=request.user,
        now=timezone.now(),
    )
    return _reply(request, complaint)


@router.post(
    "/complaints/{reference}/approve-extension", response={200: ComplaintDetailOut, **ERRORS}
)
def approve_extension(request: HttpRequest, reference: str, payload: DecisionNoteIn) -> Complaint:
    """Supervisors: approve the waiting extension; the complainant gets the notice."""
    extension = selectors.get_extension_for(request.user, reference)
    services.approve_extension(
        extension=extension, actor=request.user, now=timezone.now(), note=payload.note
    )
    return _reply(request, extension.complaint)


@router.post(
    "/complaints/{reference}/refuse-extension", response={200: ComplaintDetailOut, **ERRORS}
)
def refuse_extension(request: HttpRequest, reference: str, payload: DecisionNoteIn) -> Complaint:
    extension = selectors.get_extension_for(request.user, reference)
    services.refuse_extension(
        extension=extension, actor=request.user, now=timezone.now(), note=payload.note
    )
    return _reply(request, extension.complaint)


@router.post(
    "/complaints/{reference}/appraisal/start", response={200: ComplaintDetailOut, **ERRORS}
)
def start_appraisal(request: HttpRequest, reference: str, payload: AppraisalIn) -> Complaint:
    """CN-28: appraisal time does not count; the clock pauses and the complainant is told."""
    complaint = _complaint(request, reference)
    services.start_appraisal(
        complaint=complaint,
        appraiser=payload.appraiser,
        reason=payload.reason,
        actor=request.user,
        now=timezone.now(),
    )
    return _reply(request, complaint)


@router.post(
    "/complaints/{reference}/appraisal/finish", response={200: ComplaintDetailOut, **ERRORS}
)
def finish_appraisal(request: HttpRequest, reference: str, payload: AppraisalDoneIn) -> Complaint:
    complaint = _complaint(request, reference)
    services.finish_appraisal(
        complaint=complaint, summary=payload.summary, actor=request.user, now=timezone.now()
    )
    return _reply(request, complaint)


@router.post("/complaints/{reference}/respond", response={200: ComplaintDetailOut, **ERRORS})
def respond(request: HttpRequest, reference: str, payload: RespondIn) -> Complaint:
    """CN decision notice (CN-28, CN-31); GB summary resolution (GB-08) or final response
    (GB-09). Rejecting needs reasons."""
    complaint = _complaint(request, reference)
    services.respond_to_complaint(
        complaint=complaint, actor=request.user, now=timezone.now(), **payload.dict()
    )
    return _reply(request, complaint)


@router.post("/complaints/{reference}/holding-letter", response={200: ComplaintDetailOut, **ERRORS})
def holding_letter(request: HttpRequest, reference: str, payload: ComplaintReasonIn) -> Complaint:
    """GB-09.holding: not ready at 8 weeks."""
    complaint = _complaint(request, reference)
    services.send_holding_letter(
        complaint=complaint, reason=payload.reason, actor=request.user, now=timezone.now()
    )
    return _reply(request, complaint)


@router.post("/complaints/{reference}/root-cause", response={200: ComplaintDetailOut, **ERRORS})
def root_cause(request: HttpRequest, reference: str, payload: RootCauseIn) -> Complaint:
    complaint = _complaint(request, reference)
    services.record_root_cause(
        complaint=complaint, actor=request.user, now=timezone.now(), **payload.dict()
    )
    return _reply(request, complaint)


@router.post("/complaints/{reference}/resolve", response={200: ComplaintDetailOut, **ERRORS})
def resolve(request: HttpRequest, reference: str, payload: ResolveIn) -> Complaint:
    """Close an answered complaint (root cause required); invites the complainant to rate."""
    complaint = _complaint(request, reference)
    services.resolve_complaint(
        complaint=complaint, actor=request.user, now=timezone.now(), note=payload.note
    )
    return _reply(request, complaint)


@router.post("/complaints/{reference}/withdraw", response={200: ComplaintDetailOut, **ERRORS})
def withdraw(request: HttpRequest, reference: str, payload: OptionalReasonIn) -> Complaint:
    """The complainant withdraws; the complaint closes that day (CN-34)."""
    complaint = _complaint(request, reference)
    services.withdraw_complaint(
        complaint=complaint, actor=request.user, now=timezone.now(), reason=payload.reason
    )
    return _reply(request, complaint)


@router.post("/complaints/{reference}/rate", response={200: ComplaintDetailOut, **ERRORS})
def rate(request: HttpRequest, reference: str, payload: ComplaintRatingIn) -> Complaint:
    """The complainant rates the handling 1-5, once, after resolution."""
    complaint = _complaint(request, reference)
    services.rate_complaint(
        complaint=complaint,
        score=payload.score,
        comment=payload.comment,
        actor=request.user,
        now=timezone.now(),
    )
    return _reply(request, complaint)


# --- improvement plans ------------------------------------------------------------------------


class MeasureOut(Schema):
    id: UUID = Field(alias="public_id")
    description: str
    owner: str
    due_date: date
    status: str
    evidence: str
    completed_at: datetime | None
    plan: str

    @staticmethod
    def resolve_owner(obj: Measure) -> str:
        return obj.owner.username

    @staticmethod
    def resolve_plan(obj: Measure) -> str:
        return str(obj.plan.public_id)

    @staticmethod
    def resolve_id(obj: Measure) -> str:
        return str(obj.public_id)


class PlanOut(Schema):
    id: str
    title: str
    deficiency: str
    cause_categories: list[str]
    products: list[str]
    owner: str
    adopted_at: datetime
    verification_date: date
    status: str
    verified_at: datetime | None
    verification_note: str
    verification_numbers: dict[str, Any]
    measures: list[MeasureOut]

    @staticmethod
    def resolve_id(obj: ImprovementPlan) -> str:
        return str(obj.public_id)

    @staticmethod
    def resolve_owner(obj: ImprovementPlan) -> str:
        return obj.owner.username

    @staticmethod
    def resolve_products(obj: ImprovementPlan) -> list[str]:
        return [p.code for p in obj.products.all()]

    @staticmethod
    def resolve_measures(obj: ImprovementPlan) -> list[Measure]:
        return list(obj.measures.all())


class MeasureIn(InputSchema):
    description: str = Field(max_length=NOTE_MAX)
    owner: str = Field(description="Username of the member of staff responsible.")
    due_date: date


class PlanIn(InputSchema):
    title: str = Field(max_length=200)
    deficiency: str = Field(max_length=NOTE_MAX)
    complaints: list[str] = Field(
        default_factory=list, description="References of complaints whose root causes it covers."
    )
    cause_categories: list[str] = Field(default_factory=list)
    products: list[str] = Field(default_factory=list, description="Product codes.")
    verification_date: date
    measures: list[MeasureIn] = Field(default_factory=list, max_length=50)


class MeasureUpdateIn(InputSchema):
    status: str
    evidence: str = Field("", max_length=NOTE_MAX)


class VerifyIn(InputSchema):
    effective: bool
    note: str = Field(max_length=NOTE_MAX)


class BeforeAfterOut(Schema):
    numbers: dict[str, Any]


def _staff(request: HttpRequest) -> None:
    if not is_staff_member(request.user):
        raise PermissionDenied("Improvement plans are for staff.")


def _user(username: str, field: str) -> AbstractUser:
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None or not is_staff_member(user):
        raise ValidationFailed("No member of staff has that username.", field=field)
    return user


@router.get("/improvement-plans", response={200: list[PlanOut], 403: ErrorOut})
@paginate(Paginated)
def list_plans(request: HttpRequest, status: str | None = None) -> QuerySet[ImprovementPlan]:
    _staff(request)
    plans = selectors.plans_visible_to(request.user)
    return plans.filter(status=status) if status else plans


@router.get("/improvement-plans/overdue-measures", response={200: list[MeasureOut], 403: ErrorOut})
def overdue(request: HttpRequest, everyone: bool = False) -> list[Measure]:
    """Measures past their due date and not done: the caller's own (supervisors: everyone's)."""
    _staff(request)
    from insuredesk.complaints.services.common import SUPERVISOR_ROLES
    from insuredesk.customers.roles import has_role

    return list(
        selectors.overdue_measures(
            request.user,
            now=timezone.now(),
            everyone=everyone and has_role(request.user, *SUPERVISOR_ROLES),
        )
    )


@router.post("/improvement-plans", response={201: PlanOut, **ERRORS})
def create_plan(request: HttpRequest, payload: PlanIn) -> Status[ImprovementPlan]:
    """Supervisors: turn root causes into a plan with measures and a verification date."""
    _staff(request)
    causes = []
    for index, reference in enumerate(payload.complaints):
        complaint = (
            selectors.complaints_visible_to(request.user)
            .filter(case__reference=reference, root_cause__isnull=False)
            .select_related("root_cause__product_version__product")
            .first()
        )
        if complaint is None:
            raise ValidationFailed(
                "No complaint with a recorded root cause has that reference.",
                field=f"complaints.{index}",
            )
        causes.append(complaint.root_cause)
    from insuredesk.catalog.models import Product

    products = []
    for index, code in enumerate(payload.products):
        product = Product.objects.filter(code=code).first()
        if product is None:
            raise ValidationFailed("Unknown product.", field=f"products.{index}")
        products.append(product)
    measures = [
        {
            "description": m.description,
            "owner": _user(m.owner, f"measures.{i}.owner"),
            "due_date": m.due_date,
        }
        for i, m in enumerate(payload.measures)
    ]
    plan = services.create_plan(
        actor=request.user,
        now=timezone.now(),
        title=payload.title,
        deficiency=payload.deficiency,
        verification_date=payload.verification_date,
        root_causes=causes,
        cause_categories=payload.cause_categories,
        products=products,
        measures=measures,
    )
    return Status(201, selectors.get_plan_for(request.user, plan.public_id))


@router.get("/improvement-plans/{plan_id}", response={200: PlanOut, 403: ErrorOut, 404: ErrorOut})
def plan_detail(request: HttpRequest, plan_id: str) -> ImprovementPlan:
    _staff(request)
    return selectors.get_plan_for(request.user, plan_id)


@router.get(
    "/improvement-plans/{plan_id}/before-after",
    response={200: BeforeAfterOut, 403: ErrorOut, 404: ErrorOut},
)
def before_after(request: HttpRequest, plan_id: str) -> dict[str, Any]:
    """Complaints with the plan's causes in equal windows before and after it was adopted."""
    _staff(request)
    plan = selectors.get_plan_for(request.user, plan_id)
    if not plan.is_open:
        return {"numbers": plan.verification_numbers}
    return {"numbers": selectors.plan_before_after(plan, now=timezone.now())}


@router.post("/improvement-plans/{plan_id}/measures", response={201: MeasureOut, **ERRORS})
def add_measure(request: HttpRequest, plan_id: str, payload: MeasureIn) -> Status[Measure]:
    _staff(request)
    plan = selectors.get_plan_for(request.user, plan_id)
    measure = services.add_measure(
        plan=plan,
        actor=request.user,
        now=timezone.now(),
        description=payload.description,
        owner=_user(payload.owner, "owner"),
        due_date=payload.due_date,
    )
    return Status(201, measure)


@router.post(
    "/improvement-plans/{plan_id}/measures/{measure_id}", response={200: MeasureOut, **ERRORS}
)
def update_measure(
    request: HttpRequest, plan_id: str, measure_id: str, payload: MeasureUpdateIn
) -> Measure:
    """The owner reports progress; done needs evidence of implementation."""
    _staff(request)
    plan = selectors.get_plan_for(request.user, plan_id)
    measure = selectors.get_measure_for(request.user, plan, measure_id)
    return services.update_measure(
        measure=measure,
        actor=request.user,
        now=timezone.now(),
        status=payload.status,
        evidence=payload.evidence,
    )


@router.post("/improvement-plans/{plan_id}/verify", response={200: PlanOut, **ERRORS})
def verify(request: HttpRequest, plan_id: str, payload: VerifyIn) -> ImprovementPlan:
    """Supervisors, on or after the verification date: record whether the plan worked."""
    _staff(request)
    plan = selectors.get_plan_for(request.user, plan_id)
    services.verify_plan(
        plan=plan,
        actor=request.user,
        now=timezone.now(),
        effective=payload.effective,
        note=payload.note,
    )
    return selectors.get_plan_for(request.user, plan_id)


__all__ = ["ImprovementPlan", "router"]
