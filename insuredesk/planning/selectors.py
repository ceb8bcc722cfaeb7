"""Reads of risk planning; a customer sees only their own (another's is a 404)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.db import models
from django.db.models import F, Prefetch, QuerySet, Sum
from django.http import Http404

from insuredesk.catalog.models import ProductVersion
from insuredesk.customers.roles import is_staff_member
from insuredesk.planning.choices import OPEN_FOR_STAFF
from insuredesk.planning.models import (
    CoverRecommendation,
    Proposal,
    ProposalOption,
    RiskAssessment,
)
from insuredesk.policies.choices import PolicyStatus
from insuredesk.policies.models import Policy

# The answers of the risk check the insurer can fill in from the customer's own policies: the
# sum insured in force with us, by product line (the customer adds what they hold elsewhere).
COVER_ANSWER_FOR_LINE = {
    "term_life": "life_cover",
    "critical_illness": "ci_cover",
    "home": "home_cover",
}


def assessments_visible_to(user) -> QuerySet[RiskAssessment]:
    """Staff see every risk check; a customer their own; anyone else none."""
    rows = RiskAssessment.objects.select_related("customer", "agent", "proposal__case")
    if is_staff_member(user):
        return rows
    if getattr(user, "is_authenticated", False):
        return rows.filter(customer__user=user)
    return rows.none()


def assessments_of(customer) -> QuerySet[RiskAssessment]:
    """A customer's risk checks, newest first, with their proposal (for staff pages)."""
    return RiskAssessment.objects.filter(customer=customer).select_related("proposal__case")


def get_assessment_for(user, public_id) -> RiskAssessment:
    """One risk check with its answers, risks and recommendations, or 404."""
    assessment = (
        assessments_visible_to(user)
        .prefetch_related(
            "answers",
            "risks",
            Prefetch(
                "recommendations",
                queryset=CoverRecommendation.objects.select_related(
                    "product_version__product"
                ).prefetch_related("product_version__coverages"),
            ),
        )
        .filter(public_id=_uuid(public_id))
        .first()
    )
    if assessment is None:
        raise Http404("No such risk check.")
    return assessment


def proposals_visible_to(user) -> QuerySet[Proposal]:
    rows = Proposal.objects.select_related(
        "case", "customer", "assessment", "drafted_by", "approved_by", "letter"
    )
    if is_staff_member(user):
        return rows
    if getattr(user, "is_authenticated", False):
        return rows.filter(customer__user=user)
    return rows.none()


def get_proposal_for(user, reference: str) -> Proposal:
    """One proposal by its case reference, with its options, or 404."""
    proposal = (
        proposals_visible_to(user)
        .prefetch_related(
            Prefetch(
                "options",
                queryset=ProposalOption.objects.select_related("product_version__product"),
            )
        )
        .filter(case__reference=reference)
        .first()
    )
    if proposal is None:
        raise Http404("No such proposal.")
    return proposal


def proposal_queue(user, *, status: str = "") -> QuerySet[Proposal]:
    """The console list: those waiting on staff first, by their delivery deadline (the nearest
    first; none last), then the newest."""
    rows = proposals_visible_to(user)
    if status:
        rows = rows.filter(case__status=status)
    waiting = models.Case(
        models.When(case__status__in=OPEN_FOR_STAFF, then=models.Value(0)),
        default=models.Value(1),
    )
    return rows.alias(waiting=waiting).order_by(
        "waiting", F("case__next_deadline").asc(nulls_last=True), "-requested_at", "-id"
    )


def versions_on_sale(currency: str, day: dt.date) -> dict[str, ProductVersion]:
    """The product version on sale on `day` in `currency`, one per product line: the first
    product of the line by name, at its newest version that day. Coverages are prefetched."""
    versions = (
        ProductVersion.objects.filter(
            product__is_published=True, currency=currency, effective_from__lte=day
        )
        .filter(models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=day))
        .select_related("product")
        .prefetch_related("coverages")
        .order_by("product__name", "-version")
    )
    chosen: dict[str, ProductVersion] = {}
    for version in versions:
        chosen.setdefault(version.product.line, version)
    return chosen


def cover_in_force(customer) -> dict[str, Decimal]:
    """Sums insured of the customer's policies in force or about to start, by risk-check answer
    (`life_cover`, `ci_cover`, `home_cover`), to suggest on the form."""
    rows = (
        Policy.objects.filter(
            policyholder=customer, status__in=[PolicyStatus.IN_FORCE, PolicyStatus.PENDING]
        )
        .values("product_version__product__line")
        .annotate(total=Sum("sum_insured"))
    )
    found: dict[str, Decimal] = {}
    for row in rows:
        answer = COVER_ANSWER_FOR_LINE.get(row["product_version__product__line"])
        if answer:
            found[answer] = row["total"]
    return found


def vehicle_in_force(customer) -> Decimal | None:
    """The value of the car on the customer's motor policy with us, if they have one."""
    policy = (
        Policy.objects.filter(
            policyholder=customer,
            status__in=[PolicyStatus.IN_FORCE, PolicyStatus.PENDING],
            product_version__product__line="motor",
        )
        .order_by("-start_date")
        .first()
    )
    return policy.sum_insured if policy else None


def _uuid(value) -> str:
    """A UUID as text, or a value that matches nothing (a malformed id is a 404, not a 500)."""
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return "00000000-0000-0000-0000-000000000000"
