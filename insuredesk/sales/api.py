"""Applications for insurance: apply, the questions asked, underwriting, the free medical
examination, accepting the offer (which issues the policy), withdrawing."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from insuredesk.casework.selectors import cases_visible_to
from insuredesk.catalog.models import Product
from insuredesk.customers.roles import is_staff_member
from insuredesk.customers.selectors import customers_visible_to
from insuredesk.errors import NotFound, ValidationFailed
from insuredesk.sales import services
from insuredesk.sales.choices import ApplicationStatus
from insuredesk.sales.questions import QUESTIONS_VERSION, questions_for
from insuredesk.sales.selectors import (
    applications_visible_to,
    get_application_for,
    get_exam_for,
)
from insuredesk.web.pagination import Paginated
from insuredesk.web.schemas import ErrorOut, InputSchema, PositiveAmount

router = Router(tags=["sales"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class QuestionOut(Schema):
    code: str
    question: str


class QuestionnaireOut(Schema):
    product: str
    version: str = Field(description="Wording version, kept with every answer (CN-04).")
    questions: list[QuestionOut]


@router.get(
    "/products/{code}/questions", response={200: QuestionnaireOut, 404: ErrorOut}, auth=None
)
def product_questions(request: HttpRequest, code: str, language: Literal["en", "zh"] = "en"):
    """The questions an applicant for this product answers yes or no (each "yes" with details)."""
    product = Product.objects.filter(code=code, is_published=True).first()
    if product is None:
        raise NotFound("No such product.")
    return {
        "product": product.code,
        "version": QUESTIONS_VERSION,
        "questions": [
            {"code": q.code, "question": q.text(language)} for q in questions_for(product.line)
        ],
    }


class AnswerIn(InputSchema):
    answer: bool
    details: str = Field("", max_length=services.MAX_DETAILS)


class BeneficiaryIn(InputSchema):
    full_name: str = Field(max_length=200)
    relation: str = "other"
    share_percent: Decimal = Decimal("100")


class ApplyIn(InputSchema):
    product: str = Field(description="Product code, e.g. harbour-term-life.")
    insured_name: str = Field(max_length=200)
    insured_date_of_birth: date | None = None
    sum_insured: PositiveAmount
    term_years: int = Field(ge=1, le=60)
    start_date: date
    premium_frequency: Literal["annual", "monthly", "single"] = "annual"
    declarations: dict[str, AnswerIn] = Field(
        description="Question code → {answer, details}; every question must be answered."
    )
    rating_inputs: dict[str, int | float | str] = {}
    beneficiaries: list[BeneficiaryIn] = []
    customer: str | None = Field(None, description="Staff only: the applicant's customer number.")
    channel: Literal["online", "in_person", "phone", "bank", "concurrent_agent"] | None = None
    origin: str | None = Field(
        None,
        max_length=30,
        description="The applicant's case the application comes from, e.g. the accepted "
        "proposal PRP-… (POST /planning/proposals/{reference}/accept returns it).",
    )


class DeclarationOut(Schema):
    code: str
    question: str
    questions_version: str
    answer: bool
    details: str


class ExamOut(Schema):
    id: UUID = Field(alias="public_id")
    status: str
    reason: str
    tests: str
    clinic: str
    appointment_at: datetime | None
    requested_at: datetime
    completed_at: datetime | None
    result_summary: str = Field(description="Shown to staff only; empty for the applicant.")

    @staticmethod
    def resolve_result_summary(obj, context) -> str:
        request = context["request"] if context else None
        return obj.result_summary if request and is_staff_member(request.user) else ""


class ApplicationOut(Schema):
    reference: str
    status: str
    status_label: str
    product: str
    product_version: int
    applicant: str
    channel: str
    insured_name: str
    sum_insured: Decimal
    term_years: int
    premium_frequency: str
    start_date: date
    currency: str
    quoted_premium: Decimal = Field(description="Annual premium at standard terms.")
    decision: str
    loading_percent: int
    offered_premium: Decimal | None = Field(description="Annual premium offered.")
    offer_expires_on: date | None
    postponed_until: date | None
    policy: str | None
    origin: str | None = Field(description="The case the application came from, if any.")
    submitted_at: datetime

    @staticmethod
    def resolve_status_label(obj) -> str:
        return ApplicationStatus(obj.status).label

    @staticmethod
    def resolve_product(obj) -> str:
        return obj.product_version.product.code

    @staticmethod
    def resolve_product_version(obj) -> int:
        return obj.product_version.version

    @staticmethod
    def resolve_applicant(obj) -> str:
        return obj.applicant.number

    @staticmethod
    def resolve_policy(obj) -> str | None:
        return obj.policy.number if obj.policy_id else None

    @staticmethod
    def resolve_origin(obj) -> str | None:
        return obj.origin.reference if obj.origin_id else None


class ApplicationDetailOut(ApplicationOut):
    decision_reasons: str
    declarations: list[DeclarationOut]
    exams: list[ExamOut]
    letter: UUID | None
    missing_acknowledgements: list[str] = Field(
        description="Exemption clauses still to be explained and acknowledged (CN-02)."
    )
    recording_required: str = Field(description="Why the sale must be recorded (CN-12), or ''.")
    recorded: bool

    @staticmethod
    def resolve_declarations(obj):
        return list(obj.declarations.all())

    @staticmethod
    def resolve_exams(obj):
        return list(obj.exams.all())

    @staticmethod
    def resolve_letter(obj) -> UUID | None:
        return obj.letter.public_id if obj.letter_id else None

    @staticmethod
    def resolve_missing_acknowledgements(obj) -> list[str]:
        if obj.status != ApplicationStatus.OFFERED:
            return []
        return [c.number for c in services.unacknowledged_exemptions(obj)]

    @staticmethod
    def resolve_recording_required(obj) -> str:
        return services.recording_required(obj)

    @staticmethod
    def resolve_recorded(obj) -> bool:
        return bool(obj.recording_sha256)


def _applicant(request: HttpRequest, number: str | None):
    if number is None:
        return None
    if not is_staff_member(request.user):
        raise ValidationFailed("Only staff name the customer.", field="customer")
    customer = customers_visible_to(request.user).filter(number=number).first()
    if customer is None:
        raise NotFound("No such customer.", field="customer")
    return customer


def _origin(request: HttpRequest, reference: str | None):
    if not reference:
        return None
    case = cases_visible_to(request.user).filter(reference=reference).first()
    if case is None:
        raise NotFound("No such case.", field="origin")
    return case


@router.post("/applications", response={201: ApplicationDetailOut, **ERRORS})
def apply(request: HttpRequest, payload: ApplyIn):
    """Apply for a product. A clean declaration within the non-medical limit is offered
    standard terms at once (status `offered`); otherwise the application goes to an underwriter
    (`referred`). Staff apply with a named `customer` and their `channel`."""
    application = services.submit_application(
        actor=request.user,
        applicant=_applicant(request, payload.customer),
        channel=payload.channel,
        product=payload.product,
        insured_name=payload.insured_name,
        insured_date_of_birth=payload.insured_date_of_birth,
        sum_insured=payload.sum_insured,
        term_years=payload.term_years,
        start_date=payload.start_date,
        premium_frequency=payload.premium_frequency,
        declarations={k: v.model_dump() for k, v in payload.declarations.items()},
        rating_inputs=payload.rating_inputs,
        beneficiaries=[b.model_dump() for b in payload.beneficiaries],
        origin=_origin(request, payload.origin),
        now=timezone.now(),
    )
    return Status(201, get_application_for(request.user, application.reference))


@router.get("/applications", response=list[ApplicationOut])
@paginate(Paginated)
def list_applications(request: HttpRequest, status: str | None = None):
    """A customer's own applications; staff see all (filter by `status`)."""
    rows = applications_visible_to(request.user)
    return rows.filter(case__status=status) if status else rows


@router.get("/applications/{reference}", response={200: ApplicationDetailOut, 404: ErrorOut})
def application_detail(request: HttpRequest, reference: str):
    """One application with the questions asked and answered, exams, decision and letter."""
    return get_application_for(request.user, reference)


class DecisionIn(InputSchema):
    decision: Literal["standard", "loaded", "declined", "postponed"]
    reasons: str = Field("", max_length=services.MAX_REASONS)
    loading_percent: int = Field(0, ge=0, le=300)
    postponed_until: date | None = None


@router.post("/applications/{reference}/decision", response={200: ApplicationDetailOut, **ERRORS})
def decide(request: HttpRequest, reference: str, payload: DecisionIn):
    """Underwriters: accept (standard or with an extra premium), decline or postpone a referred
    application. A decline or postponement sends the applicant a letter with the reasons."""
    application = get_application_for(request.user, reference)
    services.decide(
        actor=request.user,
        application=application,
        now=timezone.now(),
        **payload.model_dump(),
    )
    return get_application_for(request.user, reference)


class ExamIn(InputSchema):
    reason: str = Field(max_length=1000)
    tests: str = Field(max_length=300)
    clinic: str = Field(max_length=200)
    appointment_at: datetime | None = None


@router.post("/applications/{reference}/exams", response={201: ExamOut, **ERRORS})
def request_exam(request: HttpRequest, reference: str, payload: ExamIn):
    """Underwriters: ask for the free medical examination (the insurer pays the clinic)."""
    application = get_application_for(request.user, reference)
    exam = services.request_exam(
        actor=request.user, application=application, now=timezone.now(), **payload.model_dump()
    )
    return Status(201, exam)


class ExamResultIn(InputSchema):
    summary: str = Field(max_length=services.MAX_REASONS)
    cost: Decimal = Field(Decimal("0"), ge=0, le=Decimal("1000000"))


@router.post("/applications/{reference}/exams/{exam_id}/result", response={200: ExamOut, **ERRORS})
def exam_result(request: HttpRequest, reference: str, exam_id: UUID, payload: ExamResultIn):
    """Underwriters: record the clinic's result; the application returns to the underwriter."""
    exam = get_exam_for(get_application_for(request.user, reference), exam_id)
    return services.record_exam_result(
        actor=request.user,
        exam=exam,
        summary=payload.summary,
        cost=payload.cost,
        now=timezone.now(),
    )


@router.post("/applications/{reference}/recording", response={200: ApplicationDetailOut, **ERRORS})
def attach_recording(
    request: HttpRequest, reference: str, consent: Form[bool], file: File[UploadedFile]
):
    """Staff: the audio or video recording of the sale, with the applicant's consent (CN-12)."""
    application = get_application_for(request.user, reference)
    services.attach_recording(
        actor=request.user,
        application=application,
        name=file.name or "recording",
        content=file.read(),
        consent=consent,
        now=timezone.now(),
    )
    return get_application_for(request.user, reference)


class PolicyIssuedOut(Schema):
    policy: str
    status: str
    start_date: date
    premium: Decimal
    premium_frequency: str
    currency: str


@router.post("/applications/{reference}/accept", response={201: PolicyIssuedOut, **ERRORS})
def accept(request: HttpRequest, reference: str):
    """The applicant accepts the offer and the policy is issued into the portal at once. 409
    while an exemption clause is unacknowledged (CN-02, the message lists them), a required
    recording is missing (CN-12), or the offer has expired."""
    application = get_application_for(request.user, reference)
    policy = services.accept_offer(actor=request.user, application=application, now=timezone.now())
    return Status(
        201,
        {
            "policy": policy.number,
            "status": policy.status,
            "start_date": policy.start_date,
            "premium": policy.premium,
            "premium_frequency": policy.premium_frequency,
            "currency": policy.currency,
        },
    )


class WithdrawIn(InputSchema):
    reason: str = Field("", max_length=500)


@router.post("/applications/{reference}/withdraw", response={200: ApplicationDetailOut, **ERRORS})
def withdraw(request: HttpRequest, reference: str, payload: WithdrawIn):
    """The applicant withdraws before the policy is issued (staff may record it for them)."""
    application = get_application_for(request.user, reference)
    services.withdraw(
        actor=request.user, application=application, now=timezone.now(), reason=payload.reason
    )
    return get_application_for(request.user, reference)
