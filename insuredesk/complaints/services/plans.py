"""Improvement plans: root causes turned into measures, implemented, and verified."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from insuredesk.catalog.models import Product
from insuredesk.complaints.choices import MeasureStatus, PlanStatus, RootCauseCategory
from insuredesk.complaints.models import NOTE_MAX, ImprovementPlan, Measure, RootCause
from insuredesk.complaints.services.common import require_supervisor, text
from insuredesk.customers.roles import has_role, is_staff_member
from insuredesk.errors import Conflict, DomainError, NotPermitted, ValidationFailed


class TooEarly(DomainError):
    code = "too_early"
    status = 409


def create_plan(
    *,
    actor,
    now: datetime,
    title: str,
    deficiency: str,
    verification_date: date,
    root_causes: Sequence[RootCause] = (),
    cause_categories: Sequence[str] = (),
    products: Sequence[Product] = (),
    measures: Sequence[dict[str, Any]] = (),
    adopted_at: datetime | None = None,
) -> ImprovementPlan:
    """A supervisor turns root causes into a plan with measures and a verification date.

    The plan covers the cause categories of its root causes plus any named; the before/after
    comparison counts complaints with those categories (for its products, if any are named or
    the root causes point at product versions).
    """
    require_supervisor(actor, what="own an improvement plan")
    title = text(title, field="title", max_length=200)
    deficiency = text(deficiency, field="deficiency", max_length=NOTE_MAX)
    categories = list(dict.fromkeys([*(c.category for c in root_causes), *cause_categories]))
    for index, code in enumerate(cause_categories):
        if code not in RootCauseCategory.values:
            raise ValidationFailed(
                f"Unknown root cause category {code!r}.", field=f"cause_categories.{index}"
            )
    if not categories:
        raise ValidationFailed("Name the root causes the plan addresses.", field="root_causes")
    adopted_at = adopted_at or now
    if verification_date <= adopted_at.date():
        raise ValidationFailed(
            "The verification date comes after the plan starts.", field="verification_date"
        )
    product_rows = {p.pk: p for p in products}
    for cause in root_causes:
        version = cause.product_version
        if version is not None:
            product_rows.setdefault(version.product_id, version.product)
    with transaction.atomic(durable=True):
        plan = ImprovementPlan.objects.create(
            title=title,
            deficiency=deficiency,
            cause_categories=categories,
            owner=actor,
            adopted_at=adopted_at,
            verification_date=verification_date,
        )
        plan.root_causes.set(list(root_causes))
        plan.products.set(list(product_rows.values()))
        for index, measure in enumerate(measures):
            _new_measure(plan, now=now, field=f"measures.{index}", **measure)
    return plan


def add_measure(
    *,
    plan: ImprovementPlan,
    actor,
    now: datetime,
    description: str,
    owner,
    due_date: date,
) -> Measure:
    require_supervisor(actor, what="change an improvement plan")
    if not plan.is_open:
        raise Conflict("The plan has been verified; start a new plan instead.")
    with transaction.atomic(durable=True):
        return _new_measure(
            plan, now=now, field="", description=description, owner=owner, due_date=due_date
        )


def _new_measure(
    plan: ImprovementPlan,
    *,
    now: datetime,
    field: str,
    description: str,
    owner,
    due_date: date,
) -> Measure:
    prefix = f"{field}." if field else ""
    description = text(description, field=f"{prefix}description", max_length=NOTE_MAX)
    if owner is None or not owner.is_active or not is_staff_member(owner):
        raise ValidationFailed("A measure is owned by a member of staff.", field=f"{prefix}owner")
    if not isinstance(due_date, date):
        raise ValidationFailed("A measure needs a due date.", field=f"{prefix}due_date")
    return Measure.objects.create(
        plan=plan, description=description, owner=owner, due_date=due_date, updated_at=now
    )


def update_measure(
    *,
    measure: Measure,
    actor,
    now: datetime,
    status: str,
    evidence: str = "",
) -> Measure:
    """The owner (or a supervisor) reports progress; "done" needs evidence of implementation."""
    from insuredesk.complaints.services.common import SUPERVISOR_ROLES

    if measure.owner_id != getattr(actor, "pk", None) and not has_role(actor, *SUPERVISOR_ROLES):
        raise NotPermitted("Only the measure's owner or a supervisor updates it.")
    if status not in MeasureStatus.values:
        raise ValidationFailed(f"Unknown status {status!r}.", field="status")
    evidence = text(
        evidence,
        field="evidence",
        max_length=NOTE_MAX,
        required=status in (MeasureStatus.DONE, MeasureStatus.DROPPED),
    )
    with transaction.atomic(durable=True):
        measure.status = status
        measure.evidence = evidence or measure.evidence
        measure.completed_at = now if status == MeasureStatus.DONE else None
        measure.updated_at = now
        measure.save(update_fields=["status", "evidence", "completed_at", "updated_at"])
    return measure


def verify_plan(
    *,
    plan: ImprovementPlan,
    actor,
    now: datetime,
    effective: bool,
    note: str,
) -> ImprovementPlan:
    """On or after the verification date: snapshot the before/after numbers and record whether
    the plan worked."""
    from insuredesk.complaints.selectors import plan_before_after

    require_supervisor(actor, what="verify an improvement plan")
    note = text(note, field="note", max_length=NOTE_MAX)
    if not plan.is_open:
        raise Conflict("The plan has already been verified.")
    if timezone.localdate(now) < plan.verification_date:
        raise TooEarly(
            f"The plan is verified on or after {plan.verification_date}.",
            verification_date=plan.verification_date.isoformat(),
        )
    numbers = plan_before_after(plan, now=now)
    with transaction.atomic(durable=True):
        moved = ImprovementPlan.objects.filter(pk=plan.pk, status=PlanStatus.OPEN).update(
            status=PlanStatus.VERIFIED_EFFECTIVE if effective else PlanStatus.VERIFIED_INEFFECTIVE,
            verified_at=now,
            verified_by=actor,
            verification_note=note,
            verification_numbers=numbers,
        )
        if not moved:
            raise Conflict("The plan has just been verified by someone else.")
    plan.refresh_from_db()
    return plan


def remind_overdue_measures(*, now: datetime) -> int:
    """Tell each owner, once per measure, that an improvement measure is overdue (outbox)."""
    from insuredesk.complaints.selectors import overdue_measures
    from insuredesk.notifications.services import notify

    sent = 0
    for measure in overdue_measures(None, now=now, everyone=True):
        with transaction.atomic(durable=True):
            notify(
                recipient=measure.owner,
                channel="portal",
                subject=f"Overdue improvement measure: {measure.plan.title}"[:200],
                body=f"'{measure.description}' was due on {measure.due_date}. Record progress "
                "or the evidence of implementation on the plan page.",
                dedupe_key=f"measure-overdue:{measure.public_id}",
                now=now,
            )
        sent += 1
    return sent
