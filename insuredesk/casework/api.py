"""Cases in general: the work queue, a case's events and clocks, reassignment."""

from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from insuredesk.casework import selectors, services
from insuredesk.customers.roles import is_staff_member
from insuredesk.errors import ValidationFailed
from insuredesk.web.pagination import Paginated
from insuredesk.web.schemas import ErrorOut, InputSchema

router = Router(tags=["cases"])


class ClockOut(Schema):
    name: str
    label: str
    rule: str
    source: str
    state: str
    started_at: datetime
    deadline: datetime
    due_date: date
    stopped_at: datetime | None


class CaseOut(Schema):
    reference: str
    kind: str
    status: str
    title: str
    jurisdiction: str
    customer_number: str | None = Field(None, alias="customer.number")
    assignee: str | None = Field(None, alias="assignee.username")
    opened_at: datetime
    closed_at: datetime | None
    next_deadline: datetime | None


class EventOut(Schema):
    sequence: int
    kind: str
    actor: str = Field(alias="actor_label")
    from_status: str
    to_status: str
    reason: str
    data: dict[str, Any]
    created_at: datetime


class CaseDetailOut(CaseOut):
    clocks: list[ClockOut]
    events: list[EventOut]


class AssignIn(InputSchema):
    assignee: str | None = Field(description="Username of a member of staff; null to unassign.")
    reason: str = Field("", max_length=500)


def _staff_only(request: HttpRequest) -> None:
    if not is_staff_member(request.user):
        raise PermissionDenied("Work queues are for staff.")


@router.get("/cases/queue", response={200: list[CaseOut], 403: ErrorOut})
@paginate(Paginated)
def queue(request: HttpRequest, kind: str | None = None, everyone: bool = False):
    """Open cases by nearest deadline: the caller's and unassigned ones; supervisors may ask for
    `everyone=true`."""
    _staff_only(request)
    return selectors.work_queue(request.user, everyone=everyone, kind=kind)


@router.get("/cases/{reference}", response={200: CaseDetailOut, 404: ErrorOut})
def case_detail(request: HttpRequest, reference: str):
    """A case with its clocks and events (customers see the events meant for them)."""
    case = selectors.get_case_for(request.user, reference)
    staff = is_staff_member(request.user)
    if staff:
        services.log_access(case, user=request.user, now=timezone.now(), what="api")
    events = list(selectors.events_of(case, for_customer=not staff))
    return {
        **CaseOut.from_orm(case).dict(),
        "clocks": list(case.clocks.all()),
        "events": events,
    }


@router.post(
    "/cases/{reference}/assign",
    response={200: CaseOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def assign(request: HttpRequest, reference: str, payload: AssignIn):
    """Reassign a case (supervisors)."""
    if not selectors.can_see_everyones_queue(request.user):
        raise PermissionDenied("Only supervisors reassign cases.")
    case = selectors.get_case_for(request.user, reference)
    assignee = None
    if payload.assignee:
        assignee = (
            get_user_model().objects.filter(username=payload.assignee, is_active=True).first()
        )
        if assignee is None or not is_staff_member(assignee):
            raise ValidationFailed("No member of staff has that username.", field="assignee")
    with transaction.atomic(durable=True):
        services.assign(
            case, assignee=assignee, actor=request.user, now=timezone.now(), reason=payload.reason
        )
    return case
