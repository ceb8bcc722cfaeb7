"""Reads of claims; who sees which claim is decided here and nowhere else."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from insuredesk.casework.models import Clock
from insuredesk.casework.selectors import work_queue
from insuredesk.claims.choices import DOCUMENTS_SETTLED, SurveyStatus
from insuredesk.claims.models import Claim, Dispute, Offer, PaymentOrder, Survey
from insuredesk.claims.services.documents import outstanding_documents, required_documents
from insuredesk.customers.roles import is_staff_member

__all__ = ["outstanding_documents", "required_documents"]


def claims_visible_to(user) -> QuerySet[Claim]:
    """Staff see every claim; a customer the claims on their own cases."""
    claims = Claim.objects.select_related(
        "case", "case__customer", "case__assignee", "policy__product_version__product", "coverage"
    )
    if is_staff_member(user):
        return claims
    if getattr(user, "is_authenticated", False):
        return claims.filter(case__customer__user=user)
    return claims.none()


def get_claim_for(user, reference: str) -> Claim:
    """One claim by reference; anything not the caller's is a 404, like a missing one."""
    claim = claims_visible_to(user).filter(case__reference=reference).first()
    if claim is None:
        raise Http404("No such claim.")
    return claim


def my_claims(user) -> QuerySet[Claim]:
    """A customer's claims, newest first, with the open clocks (what we owe by when)."""
    open_clocks = Clock.objects.filter(stopped_at__isnull=True).exclude(state="cancelled")
    return (
        claims_visible_to(user)
        .prefetch_related(Prefetch("case__clocks", queryset=open_clocks, to_attr="open_clocks"))
        .order_by("-reported_at")
    )


def claim_queue(user, *, everyone: bool = False) -> QuerySet:
    """The casework queue of claims, nearest deadline first."""
    return work_queue(user, everyone=everyone, kind="claim").select_related(
        "claim", "claim__policy", "claim__coverage"
    )


def get_offer_for(user, reference: str, number: int) -> Offer:
    claim = get_claim_for(user, reference)
    offer = claim.offers.filter(number=number).select_related("claim__case").first()
    if offer is None:
        raise Http404("No such offer.")
    return offer


def get_order_for(user, reference: str, public_id) -> PaymentOrder:
    claim = get_claim_for(user, reference)
    order = claim.payment_orders.filter(public_id=public_id).first()
    if order is None:
        raise Http404("No such payment order.")
    return order


def get_survey_for(user, reference: str, survey_id: int) -> Survey:
    claim = get_claim_for(user, reference)
    survey = claim.surveys.filter(pk=survey_id).select_related("claim").first()
    if survey is None:
        raise Http404("No such survey.")
    return survey


def disputes_visible_to(user) -> QuerySet[Dispute]:
    disputes = Dispute.objects.select_related("case", "claim__case")
    if is_staff_member(user):
        return disputes
    if getattr(user, "is_authenticated", False):
        return disputes.filter(case__customer__user=user)
    return disputes.none()


def get_dispute_for(user, reference: str) -> Dispute:
    dispute = disputes_visible_to(user).filter(case__reference=reference).first()
    if dispute is None:
        raise Http404("No such dispute.")
    return dispute


def appointments_of(user) -> QuerySet[Survey]:
    """A surveyor's scheduled visits, soonest first."""
    return (
        Survey.objects.filter(surveyor=user, status=SurveyStatus.SCHEDULED)
        .select_related("claim__case__customer", "claim__coverage")
        .order_by("appointment_at")
    )


def claim_workspace(claim: Claim) -> dict:
    """Everything the workspace and detail pages show, in a bounded number of queries."""
    return {
        "documents": list(claim.documents.select_related("uploaded_by")),
        "requests": list(claim.document_requests.all()),
        # Only while documents can still be supplied: a refused, paid, closed or withdrawn
        # claim needs nothing more from the customer.
        "outstanding": []
        if claim.case.status in DOCUMENTS_SETTLED
        else outstanding_documents(claim),
        "surveys": list(claim.surveys.select_related("surveyor")),
        "assessments": list(claim.assessments.order_by("-number")),
        "offers": list(claim.offers.order_by("-number")),
        "agreements": list(claim.agreements.all()),
        "orders": list(claim.payment_orders.select_related("payment", "approved_by")),
        "refusals": list(claim.refusals.select_related("letter")),
        "disputes": list(claim.disputes.select_related("case").prefetch_related("hearings")),
    }
