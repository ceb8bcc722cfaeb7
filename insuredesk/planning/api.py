"""Risk planning: the risk check's questions, assessments with their plan, the plan's budget,
and written insurance proposals from request to the customer's answer."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from django.db.models import Count, Max
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from insuredesk.customers.roles import is_staff_member
from insuredesk.customers.selectors import customers_visible_to
from insuredesk.errors import NotFound, ValidationFailed
from insuredesk.planning import services
from insuredesk.planning.applying import application_fields, apply_url
from insuredesk.planning.choices import OPEN_FOR_STAFF, ProposalStatus
from insuredesk.planning.questions import QUESTIONS, QUESTIONS_VERSION
from insuredesk.planning.selectors import (
    assessments_visible_to,
    get_assessment_for,
    get_proposal_for,
    proposal_queue,
)
from insuredesk.planning.services.proposals import MAX_NOTE, MAX_OPTIONS, MAX_TEXT
from insuredesk.rules.registry import get_profile
from insuredesk.web.pagination import Paginated
from insuredesk.web.schemas import ErrorOut, InputSchema, NonNegativeAmount, PositiveAmount

router = Router(tags=["planning"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# -- the questions ----------------------------------------------------------------------------


class ChoiceOut(Schema):
    value: str
    text: str


class AskedIfOut(Schema):
    question: str
    answers: list[str]


class QuestionOut(Schema):
    code: str
    area: str
    kind: Literal["money", "count", "choice", "yes_no"] = Field(
        description="money: a decimal amount; count: a whole number up to `maximum`; choice: "
        "one of `choices`; yes_no: true or false."
    )
    question: str
    choices: list[ChoiceOut]
    maximum: int | None
    asked_if: AskedIfOut | None = Field(
        description="Asked only when that question was answered with one of these."
    )


class QuestionnaireOut(Schema):
    version: str = Field(description="Wording version, kept with every answer.")
    questions: list[QuestionOut]


@router.get("/planning/questions", response=QuestionnaireOut, auth=None)
def questions(request: HttpRequest, language: Literal["en", "zh"] = "en"):
    """The risk check's questions, in the order asked, grouped by area."""
    return {
        "version": QUESTIONS_VERSION,
        "questions": [
            {
                "code": q.code,
                "area": q.area,
                "kind": q.kind,
                "question": q.text(language),
                "choices": [{"value": c.value, "text": c.text(language)} for c in q.choices],
                "maximum": q.maximum if q.kind == "count" else None,
                "asked_if": (
                    {"question": q.asked_if[0], "answers": list(q.asked_if[1])}
                    if q.asked_if
                    else None
                ),
            }
            for q in QUESTIONS
        ],
    }


# -- assessments ------------------------------------------------------------------------------


class AssessIn(InputSchema):
    answers: dict[str, bool | int | Decimal | str] = Field(
        description="Question code → answer: amounts as decimal strings or numbers, counts as "
        "whole numbers, choices by value, yes/no as true or false."
    )
    customer: str | None = Field(None, description="Staff only: the customer's number.")


class AnswerOut(Schema):
    code: str
    area: str
    question: str
    answer: str
    value: Any
    questions_version: str


class MeasureOut(Schema):
    code: str
    text: str


class RiskOut(Schema):
    code: str
    category: str
    title: str
    description: str
    likelihood: int = Field(ge=1, le=5)
    severity: int = Field(ge=1, le=5)
    score: int = Field(description="likelihood x severity, 1-25.")
    level: str = Field(description="low, medium, high or severe.")
    exposure: Decimal = Field(description="The money at stake.")
    existing_cover: Decimal
    gap: Decimal = Field(description="exposure - existing_cover.")
    uncovered: Decimal = Field(description="What stays with the customer after the plan.")
    reasons: list[str]
    treatment: Literal["avoid", "reduce", "retain", "transfer"]
    treatment_reason: str
    measures: list[MeasureOut]


class ApplicationFieldsOut(Schema):
    product: str
    sum_insured: Decimal
    term_years: int
    rating_inputs: dict[str, Any]
    origin: str | None = Field(
        None, description="The accepted proposal's reference, to link the application to it."
    )


class RecommendationOut(Schema):
    product: str
    product_name: str
    product_version: int
    covers: list[str] = Field(description="Codes of the risks it carries.")
    term_years: int
    full_sum_insured: Decimal
    full_premium: Decimal | None
    sum_insured: Decimal = Field(description="As fitted to the budget.")
    premium: Decimal | None = Field(description="Annual, as fitted; today's price.")
    currency: str
    fit: Literal["fits", "reduced", "over_budget", "unavailable"]
    notes: list[str]
    application: ApplicationFieldsOut | None = Field(
        description="What to send to POST /applications (with the declarations) to apply."
    )

    @staticmethod
    def resolve_product(obj) -> str:
        return obj.product_version.product.code

    @staticmethod
    def resolve_product_name(obj) -> str:
        return obj.product_version.product.name

    @staticmethod
    def resolve_product_version(obj) -> int:
        return obj.product_version.version

    @staticmethod
    def resolve_application(obj):
        if not obj.can_apply:
            return None
        return application_fields(
            product=obj.product_version.product.code,
            sum_insured=obj.sum_insured,
            term_years=obj.term_years,
            rating_inputs=obj.rating_inputs,
        )


class ProposalReasonOut(Schema):
    code: str
    text: str
    risk: str
    rule: str


class AssessmentOut(Schema):
    id: UUID = Field(alias="public_id")
    customer: str
    created_at: datetime
    jurisdiction: str
    currency: str
    annual_budget: Decimal
    premium_within_budget: Decimal
    budget_left: Decimal
    proposal_required: bool = Field(description="SVC-21: a written proposal is owed.")
    proposal: str | None = Field(description="The proposal's reference, once requested.")

    @staticmethod
    def resolve_customer(obj) -> str:
        return obj.customer.number

    @staticmethod
    def resolve_proposal(obj) -> str | None:
        proposal = getattr(obj, "proposal", None)
        return proposal.reference if proposal is not None else None


class AssessmentListOut(AssessmentOut):
    risk_count: int
    highest_score: int | None


class AssessmentDetailOut(AssessmentOut):
    questions_version: str
    language: str
    agent: str | None
    priced_on: date
    proposal_reasons: list[ProposalReasonOut]
    answers: list[AnswerOut]
    risks: list[RiskOut]
    recommendations: list[RecommendationOut]

    @staticmethod
    def resolve_agent(obj) -> str | None:
        return obj.agent.username if obj.agent_id else None

    @staticmethod
    def resolve_answers(obj):
        return list(obj.answers.all())

    @staticmethod
    def resolve_risks(obj):
        return list(obj.risks.all())

    @staticmethod
    def resolve_recommendations(obj):
        return list(obj.recommendations.all())


def _customer(request: HttpRequest, number: str | None):
    if number is None:
        return None
    if not is_staff_member(request.user):
        raise ValidationFailed("Only staff name the customer.", field="customer")
    customer = customers_visible_to(request.user).filter(number=number).first()
    if customer is None:
        raise NotFound("No such customer.", field="customer")
    return customer


@router.post("/planning/assessments", response={201: AssessmentDetailOut, **ERRORS})
def assess(request: HttpRequest, payload: AssessIn):
    """Answer the risk check: the risks are identified, planned for and fitted to the budget at
    once. Staff who sell answer with a named `customer`."""
    assessment = services.assess_risks(
        actor=request.user,
        customer=_customer(request, payload.customer),
        answers=payload.answers,
        now=timezone.now(),
    )
    return Status(201, get_assessment_for(request.user, assessment.public_id))


@router.get("/planning/assessments", response=list[AssessmentListOut])
@paginate(Paginated)
def list_assessments(request: HttpRequest, customer: str | None = None):
    """A customer's own risk checks, newest first; staff see all (filter by `customer`)."""
    rows = assessments_visible_to(request.user).annotate(
        risk_count=Count("risks"), highest_score=Max("risks__score")
    )
    return rows.filter(customer__number=customer) if customer else rows


@router.get("/planning/assessments/{id}", response={200: AssessmentDetailOut, 404: ErrorOut})
def assessment_detail(request: HttpRequest, id: UUID):
    """One risk check: the questions and answers, the risks, the plan and its recommendations."""
    return get_assessment_for(request.user, id)


class BudgetIn(InputSchema):
    annual_budget: NonNegativeAmount


@router.post("/planning/assessments/{id}/budget", response={200: AssessmentDetailOut, **ERRORS})
def change_budget(request: HttpRequest, id: UUID, payload: BudgetIn):
    """Fit the plan to another annual budget: the covers are priced again and refitted."""
    assessment = get_assessment_for(request.user, id)
    services.change_budget(
        actor=request.user,
        assessment=assessment,
        annual_budget=payload.annual_budget,
        now=timezone.now(),
    )
    return get_assessment_for(request.user, id)


# -- proposals --------------------------------------------------------------------------------


class RequestIn(InputSchema):
    note: str = Field("", max_length=MAX_NOTE, description="What the customer wants looked at.")


class OptionOut(Schema):
    id: UUID = Field(alias="public_id")
    label: str
    product: str
    product_name: str
    sum_insured: Decimal
    term_years: int
    annual_premium: Decimal
    currency: str
    within_budget: bool
    notes: str
    chosen: bool

    @staticmethod
    def resolve_product(obj) -> str:
        return obj.product_version.product.code

    @staticmethod
    def resolve_product_name(obj) -> str:
        return obj.product_version.product.name


class ProposalOut(Schema):
    reference: str
    status: str
    status_label: str
    customer: str
    assessment: UUID
    requested_at: datetime
    next_deadline: datetime | None = Field(description="The delivery deadline (SVC-22).")
    valid_until: date | None = Field(description="The last day it may be accepted.")

    @staticmethod
    def resolve_status_label(obj) -> str:
        return ProposalStatus(obj.status).label

    @staticmethod
    def resolve_customer(obj) -> str:
        return obj.customer.number

    @staticmethod
    def resolve_assessment(obj) -> UUID:
        return obj.assessment.public_id

    @staticmethod
    def resolve_next_deadline(obj) -> datetime | None:
        deadline = obj.case.next_deadline
        if deadline is None:
            return None
        return deadline.astimezone(get_profile(obj.case.jurisdiction).tz)  # as the law counts


def _drafting_hidden(obj, context) -> bool:
    """A draft is the insurer's until a supervisor approves it: the customer sees it issued."""
    request = context["request"] if context else None
    staff = request is not None and is_staff_member(request.user)
    return not staff and obj.status in OPEN_FOR_STAFF


class ProposalDetailOut(ProposalOut):
    required_because: list[ProposalReasonOut]
    request_note: str
    findings: str
    prevention_scheme: str
    resolution_scheme: str
    market_factors: str
    options: list[OptionOut]
    drafted_by: str | None
    approved_by: str | None
    letter: UUID | None
    decline_reason: str

    @staticmethod
    def resolve_required_because(obj):
        return [{"code": "", "text": "", "risk": "", "rule": "", **r} for r in obj.required_because]

    @staticmethod
    def resolve_findings(obj, context) -> str:
        return "" if _drafting_hidden(obj, context) else obj.findings

    @staticmethod
    def resolve_prevention_scheme(obj, context) -> str:
        return "" if _drafting_hidden(obj, context) else obj.prevention_scheme

    @staticmethod
    def resolve_resolution_scheme(obj, context) -> str:
        return "" if _drafting_hidden(obj, context) else obj.resolution_scheme

    @staticmethod
    def resolve_market_factors(obj, context) -> str:
        return "" if _drafting_hidden(obj, context) else obj.market_factors

    @staticmethod
    def resolve_options(obj, context):
        return [] if _drafting_hidden(obj, context) else list(obj.options.all())

    @staticmethod
    def resolve_drafted_by(obj) -> str | None:
        return obj.drafted_by.username if obj.drafted_by_id else None

    @staticmethod
    def resolve_approved_by(obj) -> str | None:
        return obj.approved_by.username if obj.approved_by_id else None

    @staticmethod
    def resolve_letter(obj) -> UUID | None:
        return obj.letter.public_id if obj.letter_id else None


@router.post("/planning/assessments/{id}/proposal", response={201: ProposalDetailOut, **ERRORS})
def request_proposal(request: HttpRequest, id: UUID, payload: RequestIn):
    """Ask for a written insurance proposal on a risk check. A customer may when SVC-21 calls
    for one (`proposal_required`); staff who sell may for any check, with a `note` saying why.
    A second request on the same check is 409."""
    assessment = get_assessment_for(request.user, id)
    proposal = services.request_proposal(
        actor=request.user, assessment=assessment, note=payload.note, now=timezone.now()
    )
    return Status(201, get_proposal_for(request.user, proposal.reference))


@router.get("/planning/proposals", response=list[ProposalOut])
@paginate(Paginated)
def list_proposals(request: HttpRequest, status: str | None = None):
    """A customer's own proposals; staff see all, those waiting on staff first by deadline."""
    return proposal_queue(request.user, status=status or "")


@router.get("/planning/proposals/{reference}", response={200: ProposalDetailOut, 404: ErrorOut})
def proposal_detail(request: HttpRequest, reference: str):
    """One proposal. Its findings, schemes and options are shown to the customer once issued."""
    return get_proposal_for(request.user, reference)


class OptionIn(InputSchema):
    label: str = Field(max_length=120)
    product: str = Field(description="Product code, e.g. harbour-home.")
    sum_insured: PositiveAmount
    term_years: int = Field(ge=1, le=60)
    notes: str = Field("", max_length=MAX_NOTE)


class DraftIn(InputSchema):
    findings: str = Field(max_length=MAX_TEXT)
    prevention_scheme: str = Field(max_length=MAX_TEXT)
    resolution_scheme: str = Field(max_length=MAX_TEXT)
    market_factors: str = Field(max_length=MAX_TEXT)
    options: list[OptionIn] = Field(min_length=1, max_length=MAX_OPTIONS)


@router.post("/planning/proposals/{reference}/draft", response={200: ProposalDetailOut, **ERRORS})
def draft(request: HttpRequest, reference: str, payload: DraftIn):
    """Staff who sell write the proposal; each option is priced by the rating, not typed in.
    A requested proposal becomes `drafted` and waits for a supervisor."""
    proposal = get_proposal_for(request.user, reference)
    services.draft_proposal(
        actor=request.user,
        proposal=proposal,
        findings=payload.findings,
        prevention_scheme=payload.prevention_scheme,
        resolution_scheme=payload.resolution_scheme,
        market_factors=payload.market_factors,
        options=[option.model_dump() for option in payload.options],
        now=timezone.now(),
    )
    return get_proposal_for(request.user, reference)


class ReasonIn(InputSchema):
    reason: str = Field("", max_length=MAX_NOTE)


@router.post("/planning/proposals/{reference}/return", response={200: ProposalDetailOut, **ERRORS})
def return_for_changes(request: HttpRequest, reference: str, payload: ReasonIn):
    """Supervisors: send the draft back with what to change (`reason` required)."""
    proposal = get_proposal_for(request.user, reference)
    services.return_proposal(
        actor=request.user, proposal=proposal, reason=payload.reason, now=timezone.now()
    )
    return get_proposal_for(request.user, reference)


@router.post("/planning/proposals/{reference}/approve", response={200: ProposalDetailOut, **ERRORS})
def approve(request: HttpRequest, reference: str):
    """Supervisors (never the drafter): approve, which issues the letter to the customer."""
    proposal = get_proposal_for(request.user, reference)
    services.approve_proposal(actor=request.user, proposal=proposal, now=timezone.now())
    return get_proposal_for(request.user, reference)


class AcceptIn(InputSchema):
    option: UUID = Field(description="The id of the option chosen.")


class AcceptedOut(Schema):
    proposal: ProposalDetailOut
    application: ApplicationFieldsOut = Field(
        description="Send these to POST /applications, with the declarations, to apply."
    )
    apply_url: str = Field(description="The portal's application form, filled in.")


@router.post("/planning/proposals/{reference}/accept", response={200: AcceptedOut, **ERRORS})
def accept(request: HttpRequest, reference: str, payload: AcceptIn):
    """The customer accepts one option; the answer says how to apply for it."""
    proposal = get_proposal_for(request.user, reference)
    chosen = services.accept_proposal(
        actor=request.user, proposal=proposal, option=payload.option, now=timezone.now()
    )
    terms = {
        "product": chosen.product_version.product.code,
        "sum_insured": chosen.sum_insured,
        "term_years": chosen.term_years,
        "rating_inputs": chosen.rating_inputs,
        "origin": proposal.case.reference,
    }
    return {
        "proposal": get_proposal_for(request.user, reference),
        "application": application_fields(**terms),
        "apply_url": apply_url(**terms),
    }


@router.post("/planning/proposals/{reference}/decline", response={200: ProposalDetailOut, **ERRORS})
def decline(request: HttpRequest, reference: str, payload: ReasonIn):
    """The customer declines the issued proposal (a reason is welcome, not required)."""
    proposal = get_proposal_for(request.user, reference)
    services.decline_proposal(
        actor=request.user, proposal=proposal, reason=payload.reason, now=timezone.now()
    )
    return get_proposal_for(request.user, reference)


@router.post(
    "/planning/proposals/{reference}/withdraw", response={200: ProposalDetailOut, **ERRORS}
)
def withdraw(request: HttpRequest, reference: str, payload: ReasonIn):
    """No longer wanted before it is issued (the customer, or staff at their request)."""
    proposal = get_proposal_for(request.user, reference)
    services.withdraw_proposal(
        actor=request.user, proposal=proposal, reason=payload.reason, now=timezone.now()
    )
    return get_proposal_for(request.user, reference)
