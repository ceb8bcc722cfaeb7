"""Regular visits: a customer's own (ask for one, propose or move a time, decline, rate), the
agents' (lists by due day, schedule, record the outcome, raise follow-ups, take or assign)."""

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from insuredesk.customers.roles import is_staff_member
from insuredesk.customers.selectors import customers_visible_to, staff_users
from insuredesk.errors import NotFound, ValidationFailed
from insuredesk.policies import visiting
from insuredesk.policies.choices import VisitPurpose, VisitStatus
from insuredesk.policies.selectors import policies_visible_to
from insuredesk.policies.visit_selectors import (
    follow_ups_of,
    get_follow_up_for,
    get_visit_for,
    visit_queue,
    visits_visible_to,
)
from insuredesk.rules.registry import get_profile
from insuredesk.web.pagination import Paginated
from insuredesk.web.schemas import ErrorOut, InputSchema

router = Router(tags=["visits"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
Channel = Literal["in_person", "phone", "video"]
Need = Literal[
    "cover_gap",
    "address_change",
    "beneficiary_change",
    "quote",
    "complaint",
    "explain_again",
    "other",
]


def _staff(context) -> bool:
    request = context["request"] if context else None
    return bool(request and is_staff_member(request.user))


class FollowUpOut(Schema):
    id: UUID = Field(alias="public_id")
    need: str
    action: str
    reference: str | None = Field(description="The consultation or complaint it opened.")
    note: str = Field(description="Staff only; empty for the customer.")
    due_on: date | None
    done_at: datetime | None

    @staticmethod
    def resolve_reference(obj) -> str | None:
        linked = obj.consultation or obj.complaint
        return linked.case.reference if linked is not None else None

    @staticmethod
    def resolve_note(obj, context) -> str:
        return obj.note if _staff(context) else ""


class VisitOut(Schema):
    reference: str
    status: str
    status_label: str
    purpose: str
    purpose_label: str
    customer: str = Field(description="Customer number.")
    customer_name: str
    policy: str | None
    due_on: date = Field(description="The last day of the visit's service standard (SVC-03).")
    overdue: bool
    channel: str
    scheduled_at: datetime | None = Field(
        description="While `proposed`, the customer's proposal; once `scheduled`, the agreed time."
    )
    place: str
    agent: str | None
    attempts: int
    outcome: str
    visited_at: datetime | None
    needs: list[str]
    rating: int | None
    rated_at: datetime | None
    customer_note: str

    @staticmethod
    def resolve_status_label(obj) -> str:
        return VisitStatus(obj.case.status).label

    @staticmethod
    def resolve_purpose_label(obj) -> str:
        return VisitPurpose(obj.purpose).label

    @staticmethod
    def resolve_customer(obj) -> str:
        return obj.customer.number

    @staticmethod
    def resolve_customer_name(obj) -> str:
        return obj.customer.full_name

    @staticmethod
    def resolve_policy(obj) -> str | None:
        return obj.policy.number if obj.policy is not None else None

    @staticmethod
    def resolve_overdue(obj) -> bool:
        today = get_profile(obj.case.jurisdiction).today(timezone.now())
        return obj.case.closed_at is None and obj.due_on < today

    @staticmethod
    def resolve_agent(obj) -> str | None:
        return obj.case.assignee.get_username() if obj.case.assignee is not None else None


class VisitDetailOut(VisitOut):
    rating_comment: str
    notes: str = Field(description="The agent's notes: staff only, empty for the customer.")
    checklist: dict[str, bool] = Field(description="Welcome visits: what was confirmed.")
    follow_ups: list[FollowUpOut]

    @staticmethod
    def resolve_notes(obj, context) -> str:
        return obj.notes if _staff(context) else ""

    @staticmethod
    def resolve_follow_ups(obj) -> list:
        return follow_ups_of(obj)


@router.get("/visits", response={200: list[VisitOut], 401: ErrorOut, 422: ErrorOut})
@paginate(Paginated)
def list_visits(
    request: HttpRequest,
    scope: Literal["mine", "pool", "everyone"] = "mine",
    status: Literal[
        "planned", "proposed", "scheduled", "completed", "not_reached", "declined", "cancelled"
    ]
    | None = None,
    purpose: Literal["welcome", "review", "renewal", "care", "after_complaint", "requested"]
    | None = None,
):
    """A customer's own visits, by due day. Staff: visits by due day (overdue first), open ones
    unless `status` says otherwise: `mine`, `pool` (nobody's yet) or, for supervisors,
    `everyone`; filter by `status` or `purpose`."""
    if is_staff_member(request.user):
        return visit_queue(request.user, scope=scope, purpose=purpose or "", status=status or "")
    rows = visits_visible_to(request.user).order_by("due_on", "id")
    if status:
        rows = rows.filter(case__status=status)
    return rows.filter(purpose=purpose) if purpose else rows


@router.get("/visits/{reference}", response={200: VisitDetailOut, 404: ErrorOut})
def visit_detail(request: HttpRequest, reference: str):
    """One visit with its outcome and follow-ups; another customer's is 404."""
    return get_visit_for(request.user, reference)


class RequestIn(InputSchema):
    policy: str | None = Field(None, description="The policy it is about, if any.")
    customer: str | None = Field(None, description="Staff only: the customer's number.")
    channel: Channel | None = None
    scheduled_at: datetime | None = Field(
        None, description="A time that suits: a customer's is a proposal, staff's is agreed."
    )
    place: str = Field("", max_length=visiting.MAX_PLACE)
    note: str = Field("", max_length=visiting.MAX_NOTE, description="What it is about.")


def _customer(request: HttpRequest, number: str | None):
    if number is None:
        return None
    if not is_staff_member(request.user):
        raise ValidationFailed("Only staff name the customer.", field="customer")
    customer = customers_visible_to(request.user).filter(number=number).first()
    if customer is None:
        raise NotFound("No such customer.", field="customer")
    return customer


@router.post("/visits", response={201: VisitDetailOut, **ERRORS})
def request_visit(request: HttpRequest, payload: RequestIn):
    """Ask for a visit (staff: record that a customer asked, naming `customer`). Due within 5
    business days (SVC-03.requested). A second open request for the same policy is 409.
    Send an `Idempotency-Key`: a repeat returns the first answer."""
    customer = _customer(request, payload.customer)
    policy = None
    if payload.policy:
        policy = policies_visible_to(request.user).filter(number=payload.policy).first()
        if policy is None:
            raise NotFound("No such policy.", field="policy")
    visit = visiting.request_visit(
        actor=request.user,
        customer=customer,
        policy=policy,
        channel=payload.channel or "",
        scheduled_at=payload.scheduled_at,
        place=payload.place,
        note=payload.note,
        now=timezone.now(),
    )
    return Status(201, get_visit_for(request.user, visit.reference))


class TimeIn(InputSchema):
    scheduled_at: datetime = Field(description="With its offset; without, local time.")
    channel: Channel
    place: str = Field("", max_length=visiting.MAX_PLACE, description="Default: on file.")
    note: str = Field("", max_length=visiting.MAX_NOTE)


@router.post("/visits/{reference}/propose", response={200: VisitDetailOut, **ERRORS})
def propose(request: HttpRequest, reference: str, payload: TimeIn):
    """The customer proposes a time and channel; the agent confirms it (status `proposed`)."""
    visit = get_visit_for(request.user, reference)
    visiting.propose_visit_time(
        actor=request.user,
        visit=visit,
        scheduled_at=payload.scheduled_at,
        channel=payload.channel,
        place=payload.place,
        note=payload.note,
        now=timezone.now(),
    )
    return get_visit_for(request.user, reference)


@router.post("/visits/{reference}/schedule", response={200: VisitDetailOut, **ERRORS})
def schedule(request: HttpRequest, reference: str, payload: TimeIn):
    """Agents: agree the time, channel and place; the customer is told. An unassigned visit
    becomes the agent's own."""
    visit = get_visit_for(request.user, reference)
    visiting.schedule_visit(
        actor=request.user,
        visit=visit,
        scheduled_at=payload.scheduled_at,
        channel=payload.channel,
        place=payload.place,
        reason=payload.note,
        now=timezone.now(),
    )
    return get_visit_for(request.user, reference)


@router.post("/visits/{reference}/reschedule", response={200: VisitDetailOut, **ERRORS})
def reschedule(request: HttpRequest, reference: str, payload: TimeIn):
    """Move an arranged visit: a customer's new time is a proposal for the agent to confirm,
    an agent's takes effect at once. 409 while no time is arranged."""
    visit = get_visit_for(request.user, reference)
    visiting.reschedule_visit(
        actor=request.user,
        visit=visit,
        scheduled_at=payload.scheduled_at,
        channel=payload.channel,
        place=payload.place,
        reason=payload.note,
        now=timezone.now(),
    )
    return get_visit_for(request.user, reference)


class DeclineIn(InputSchema):
    reason: str = Field("", max_length=visiting.MAX_NOTE)


@router.post("/visits/{reference}/decline", response={200: VisitDetailOut, **ERRORS})
def decline(request: HttpRequest, reference: str, payload: DeclineIn):
    """The customer declines the visit (staff may record it for them); it ends."""
    visit = get_visit_for(request.user, reference)
    visiting.decline_visit(
        actor=request.user, visit=visit, reason=payload.reason, now=timezone.now()
    )
    return get_visit_for(request.user, reference)


class ChecklistIn(InputSchema):
    policy_explained: bool
    exemptions_understood: bool
    cooling_off_explained: bool


class OutcomeIn(InputSchema):
    outcome: Literal["completed", "unreachable", "declined", "rescheduled"]
    visited_at: datetime | None = Field(None, description="completed: when; default now.")
    notes: str = Field("", max_length=visiting.MAX_NOTES)
    needs: list[Need] = Field([], max_length=7)
    checklist: ChecklistIn | None = Field(None, description="Welcome visits: required.")
    scheduled_at: datetime | None = Field(None, description="rescheduled: the new time.")
    channel: Channel | None = None
    place: str = Field("", max_length=visiting.MAX_PLACE)


@router.post("/visits/{reference}/outcome", response={200: VisitDetailOut, **ERRORS})
def record_outcome(request: HttpRequest, reference: str, payload: OutcomeIn):
    """Agents: completed (with notes, the needs found and, for a welcome visit, the checklist),
    unreachable (back to planned; the third attempt ends it), declined, or rescheduled (with
    the new time). 409 once the visit has ended."""
    visit = get_visit_for(request.user, reference)
    visiting.record_visit_outcome(
        actor=request.user,
        visit=visit,
        outcome=payload.outcome,
        visited_at=payload.visited_at,
        notes=payload.notes,
        needs=payload.needs,
        checklist=payload.checklist.model_dump() if payload.checklist else None,
        scheduled_at=payload.scheduled_at,
        channel=payload.channel or "",
        place=payload.place,
        now=timezone.now(),
    )
    return get_visit_for(request.user, reference)


class FollowUpIn(InputSchema):
    need: Need
    action: Literal["consultation", "complaint", "task"]
    note: str = Field(max_length=visiting.MAX_NOTES, description="The question, complaint or task.")
    due_on: date | None = Field(None, description="task: when it is due (default in 7 days).")
    desired_outcome: str = Field("", max_length=2000, description="complaint: what they want.")


@router.post("/visits/{reference}/follow-ups", response={201: FollowUpOut, **ERRORS})
def raise_follow_up(request: HttpRequest, reference: str, payload: FollowUpIn):
    """Agents: act on a need found at a completed visit — a consultation on the policy, a
    complaint for the complaint handlers, or a task. One per need (a second is 409). Send an
    `Idempotency-Key`."""
    visit = get_visit_for(request.user, reference)
    follow_up = visiting.raise_follow_up(
        actor=request.user, visit=visit, now=timezone.now(), **payload.model_dump()
    )
    return Status(201, get_follow_up_for(request.user, visit, follow_up.public_id))


@router.post(
    "/visits/{reference}/follow-ups/{follow_up_id}/done", response={200: FollowUpOut, **ERRORS}
)
def complete_task(request: HttpRequest, reference: str, follow_up_id: UUID):
    """Agents: a follow-up task is done."""
    visit = get_visit_for(request.user, reference)
    follow_up = get_follow_up_for(request.user, visit, follow_up_id)
    return visiting.complete_follow_up_task(
        actor=request.user, follow_up=follow_up, now=timezone.now()
    )


class RatingIn(InputSchema):
    rating: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=visiting.MAX_COMMENT)


@router.post("/visits/{reference}/rating", response={200: VisitDetailOut, **ERRORS})
def rate(request: HttpRequest, reference: str, payload: RatingIn):
    """The customer rates a completed visit from 1 to 5, once (a second time is 409)."""
    visit = get_visit_for(request.user, reference)
    visiting.rate_visit(
        actor=request.user,
        visit=visit,
        rating=payload.rating,
        comment=payload.comment,
        now=timezone.now(),
    )
    return get_visit_for(request.user, reference)


class AssignIn(InputSchema):
    assignee: str | None = Field(description="An agent's username; null: the agents' queue.")
    reason: str = Field("", max_length=visiting.MAX_NOTE)


@router.post("/visits/{reference}/assign", response={200: VisitDetailOut, **ERRORS})
def assign(request: HttpRequest, reference: str, payload: AssignIn):
    """An agent takes an unassigned visit (naming themselves); a supervisor assigns any."""
    visit = get_visit_for(request.user, reference)
    assignee = None
    if payload.assignee is not None:
        assignee = staff_users().filter(username=payload.assignee).first()
        if assignee is None:
            raise ValidationFailed("No such member of staff.", field="assignee")
    visiting.assign_visit(
        actor=request.user,
        visit=visit,
        assignee=assignee,
        reason=payload.reason,
        now=timezone.now(),
    )
    return get_visit_for(request.user, reference)
