"""Reads of complaints and plans; who may see what is decided here and nowhere else."""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from insuredesk.complaints.choices import (
    OPEN_MEASURE_STATUSES,
    ExtensionStatus,
    RootCauseCategory,
)
from insuredesk.complaints.models import (
    Category,
    Complaint,
    Extension,
    ImprovementPlan,
    Measure,
    RootCause,
)
from insuredesk.customers.models import CustomerProfile
from insuredesk.customers.roles import is_staff_member

if TYPE_CHECKING:  # the functions below import these where they use them
    from insuredesk.casework.models import Case
    from insuredesk.policies.models import Policy


def complaints_visible_to(user) -> QuerySet[Complaint]:
    """Staff see every complaint; a customer sees the complaints made in their name."""
    complaints = Complaint.objects.select_related(
        "case",
        "case__customer",
        "case__assignee",
        "category",
        "category__parent",
        "policy",
        "product",
    )
    if is_staff_member(user):
        return complaints
    if getattr(user, "is_authenticated", False):
        return complaints.filter(case__customer__user=user)
    return complaints.none()


def get_complaint_for(user, reference: str) -> Complaint:
    complaint = complaints_visible_to(user).filter(case__reference=reference).first()
    if complaint is None:
        raise Http404("No such complaint.")
    return complaint


def complaint_detail(complaint: Complaint) -> Complaint:
    """The complaint with what its page shows, loaded in a fixed number of queries."""
    return (
        Complaint.objects.select_related(
            "case",
            "case__customer",
            "case__assignee",
            "category",
            "category__parent",
            "policy",
            "product",
            "product_version",
            "clause",
            "related_case",
            "root_cause",
            "root_cause__clause",
            "root_cause__product_version__product",
            "rating",
        )
        .prefetch_related("representatives", "attachments", "extensions", "document_requests")
        .get(pk=complaint.pk)
    )


def categories() -> QuerySet[Category]:
    return (
        Category.objects.filter(is_active=True)
        .select_related("parent")
        .order_by("parent__position", "position")
    )


def pending_extensions() -> QuerySet[Extension]:
    return (
        Extension.objects.filter(status=ExtensionStatus.REQUESTED)
        .select_related("complaint__case", "complaint__case__customer", "requested_by")
        .order_by("requested_at")
    )


def get_extension_for(user, reference: str) -> Extension:
    complaint = get_complaint_for(user, reference)
    extension = (
        complaint.extensions.filter(status=ExtensionStatus.REQUESTED)
        .select_related("complaint__case", "requested_by")
        .first()
    )
    if extension is None:
        raise Http404("No extension is waiting for approval.")
    return extension


def plans_visible_to(user) -> QuerySet[ImprovementPlan]:
    if not is_staff_member(user):
        return ImprovementPlan.objects.none()
    return ImprovementPlan.objects.select_related("owner", "verified_by").prefetch_related(
        "measures__owner", "products"
    )


def get_plan_for(user, public_id: str | UUID) -> ImprovementPlan:
    try:
        public_id = UUID(str(public_id))
    except ValueError:
        raise Http404("No such plan.") from None
    plan = plans_visible_to(user).filter(public_id=public_id).first()
    if plan is None:
        raise Http404("No such plan.")
    return plan


def get_measure_for(user, plan: ImprovementPlan, public_id: str | UUID) -> Measure:
    try:
        public_id = UUID(str(public_id))
    except ValueError:
        raise Http404("No such measure.") from None
    measure = plan.measures.select_related("owner", "plan").filter(public_id=public_id).first()
    if measure is None:
        raise Http404("No such measure.")
    return measure


def overdue_measures(user, *, now: datetime, everyone: bool = False) -> QuerySet[Measure]:
    """Measures past their due date and not done: the owner's (or, for supervisors, all)."""
    measures = Measure.objects.filter(
        status__in=OPEN_MEASURE_STATUSES, due_date__lt=timezone.localdate(now)
    ).select_related("plan", "owner")
    if not everyone:
        measures = measures.filter(owner=user)
    return measures.order_by("due_date")


def unplanned_root_causes() -> QuerySet[RootCause]:
    """Root causes with a fault (not "no fault found") that no plan addresses yet."""
    return (
        RootCause.objects.exclude(category=RootCauseCategory.NO_FAULT)
        .filter(plans__isnull=True)
        .select_related("complaint__case", "clause", "product_version__product")
        .order_by("-recorded_at")
    )


def plan_before_after(plan: ImprovementPlan, *, now: datetime) -> dict[str, Any]:
    """Complaints with the plan's root-cause categories before and after it was adopted.

    1. The after window runs from adoption to `now`; the before window is as long and ends at
       adoption, so the two counts compare like with like.
    2. A complaint counts by the day it was received and its recorded root cause; where the plan
       names products, only complaints about them count.
    Complaints still open in the after window have no root cause yet and are not counted; the
    result says how many such open complaints there are.
    """
    adopted = plan.adopted_at
    end = max(now, adopted + timedelta(days=1))
    length = end - adopted
    begin = adopted - length
    complaints = Complaint.objects.filter(root_cause__category__in=plan.cause_categories)
    product_ids = list(plan.products.values_list("pk", flat=True))
    if product_ids:
        complaints = complaints.filter(
            Q(product_id__in=product_ids)
            | Q(root_cause__product_version__product_id__in=product_ids)
        )
    before = complaints.filter(received_at__gte=begin, received_at__lt=adopted).count()
    after = complaints.filter(received_at__gte=adopted, received_at__lt=end).count()
    still_open = Complaint.objects.filter(
        received_at__gte=adopted, received_at__lt=end, case__closed_at__isnull=True
    )
    if product_ids:
        still_open = still_open.filter(product_id__in=product_ids)
    change = None if before == 0 else round((after - before) * 100 / before, 1)
    return {
        "categories": list(plan.cause_categories),
        "products": product_ids,
        "window_days": length.days,
        "before": {"from": begin.isoformat(), "to": adopted.isoformat(), "complaints": before},
        "after": {"from": adopted.isoformat(), "to": end.isoformat(), "complaints": after},
        "change_percent": change,
        "after_still_open": still_open.count(),
    }


def policy_of(customer: CustomerProfile, number: str) -> "Policy | None":
    """The complainant's policy with that number, or None."""
    from insuredesk.policies.models import Policy

    return (
        Policy.objects.select_related("product_version__product")
        .filter(number=number, policyholder=customer)
        .first()
    )


def case_of(customer: CustomerProfile, reference: str) -> "Case | None":
    """The complainant's case (claim, consultation…) with that reference, or None."""
    from insuredesk.casework.models import Case

    return Case.objects.filter(reference=reference, customer=customer).first()


def customer_by_number(user, number: str) -> CustomerProfile | None:
    from insuredesk.customers.selectors import customers_visible_to

    return customers_visible_to(user).filter(number=number).first()
