"""Fast-track: small, clean claims assessed, agreed and paid without a handler.

Never a refusal: a claim that is not clean goes to a handler with the reasons.
"""

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q

from insuredesk.casework import services as casework
from insuredesk.claims.choices import ClaimStatus, PaymentKind
from insuredesk.claims.models import Claim
from insuredesk.claims.services.assessment import compute_breakdown
from insuredesk.claims.services.documents import outstanding_documents
from insuredesk.claims.services.negotiation import _agree, _make_offer
from insuredesk.claims.services.payments import _approve, _order
from insuredesk.claims.services.people import fast_track_limit, lock_claim, tell_staff
from insuredesk.claims.services.reporting import (
    CLAIMABLE_POLICY_STATUSES,
    coverage_for,
    waiting_period_ends,
)
from insuredesk.customers.roles import Role

# Simple fraud indicators; any one sends the claim to a person.
EARLY_CLAIM_DAYS = 30  # loss within this many days of the cover starting
LATE_REPORT_DAYS = 90  # reported this long after the event (CN-17 asks for prompt reports)
MAX_CLAIMS_PER_YEAR = 2  # other claims on the same policy in the past year
NEAR_DATE_DAYS = 7  # another claim on the policy within a week of this event


def fast_track_checks(claim: Claim, *, now: datetime) -> list[str]:
    """Why the claim is not clean, as sentences for the handler; empty means clean."""
    reasons: list[str] = []
    policy = claim.policy
    if claim.amount_claimed is None:
        reasons.append("No amount was claimed.")
    elif claim.amount_claimed > fast_track_limit():
        reasons.append(
            f"{claim.amount_claimed} is above the fast-track limit of {fast_track_limit()}."
        )
    missing = outstanding_documents(claim)
    if missing:
        reasons.append("Documents missing: " + ", ".join(d["name"] for d in missing) + ".")
    if policy.status not in CLAIMABLE_POLICY_STATUSES or not policy.covers(claim.event_date):
        reasons.append(f"Policy {policy.number} was not in force on the event date.")
    coverage = coverage_for(policy, claim.loss_type)
    if coverage is None:
        reasons.append(f"The loss type {claim.loss_type} is not covered.")
    elif claim.event_date < waiting_period_ends(policy, coverage):
        reasons.append("The event falls in the waiting period.")
    elif claim.amount_claimed is not None:
        limit = min(coverage.sum_insured_max, policy.sum_insured)
        if claim.amount_claimed - coverage.deductible > limit:
            reasons.append("The amount is above the coverage limit.")
        if claim.amount_claimed <= coverage.deductible:
            reasons.append("The amount does not exceed the deductible.")
    if (claim.event_date - policy.start_date).days < EARLY_CLAIM_DAYS:
        reasons.append(f"The loss happened within {EARLY_CLAIM_DAYS} days of the cover starting.")
    if (claim.reported_at.date() - claim.event_date).days > LATE_REPORT_DAYS:
        reasons.append(
            f"The loss was reported more than {LATE_REPORT_DAYS} days after it happened."
        )
    others = Claim.objects.filter(policy=policy).exclude(pk=claim.pk)
    if others.filter(reported_at__gte=now - timedelta(days=365)).count() >= MAX_CLAIMS_PER_YEAR:
        reasons.append(f"{MAX_CLAIMS_PER_YEAR} or more other claims on this policy this year.")
    near = (
        claim.event_date - timedelta(days=NEAR_DATE_DAYS),
        claim.event_date + timedelta(days=NEAR_DATE_DAYS),
    )
    if others.filter(event_date__range=near).exists():
        reasons.append("Another claim on this policy is for a loss within a week of this one.")
    if claim.surveys.exists() or claim.assessments.exists():
        reasons.append("A handler is already working on the claim.")
    return reasons


def least_busy_handler():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.CLAIMS_HANDLER.value)
        .annotate(load=Count("assigned_cases", filter=Q(assigned_cases__closed_at__isnull=True)))
        .order_by("load", "username")
        .first()
    )


def fast_track_claim(*, claim: Claim, now: datetime) -> str:
    """Pay a clean claim at once, or hand it to a person with the reasons.

    Returns "paid", "declined" or "skipped" (already handled: the task is idempotent).
    1. Lock the claim; skip unless it is still reported/investigating with nothing done.
    2. Checks (fast_track_checks). Not clean → the reasons on the claim, an event for
       staff, the claim assigned to the least busy handler. Never a refusal.
    3. Clean → assessment (claimed amount less deductible, within limits), offer, agreement
       recorded as fast-track, payment order and its execution, payment advice: one
       transaction, so the customer is either paid with every record or nothing happened.
    """
    with transaction.atomic(durable=True):
        claim = lock_claim(claim)
        if claim.case.status not in (ClaimStatus.REPORTED, ClaimStatus.INVESTIGATING):
            return "skipped"
        if claim.fast_track_note:
            return "skipped"
        reasons = fast_track_checks(claim, now=now)
        if reasons:
            note = " ".join(reasons)
            Claim.objects.filter(pk=claim.pk).update(fast_track_note=note)
            casework.record_event(
                claim.case,
                kind="fast_track_declined",
                actor=None,
                now=now,
                reason=note,
                visible_to_customer=False,
            )
            handler = claim.case.assignee or least_busy_handler()
            if handler is not None and claim.case.assignee is None:
                casework.assign(
                    claim.case,
                    assignee=handler,
                    actor=None,
                    now=now,
                    reason="Fast-track declined: " + note,
                )
            tell_staff(
                handler,
                claim,
                subject=f"{claim.case.reference}: needs a handler",
                body=note,
                key=f"claim-ft-declined:{claim.case.reference}",
                now=now,
            )
            return "declined"

        items = [
            {
                "description": claim.description[:200],
                "coverage": claim.coverage.code,
                "amount": str(claim.amount_claimed),
            }
        ]
        lines, gross, payable = compute_breakdown(claim, items)
        assessment = claim.assessments.create(
            number=1,
            items=items,
            lines=lines,
            gross=gross,
            payable=payable,
            currency=claim.currency,
            note="Fast-track",
            assessed_by=None,
            assessed_at=now,
        )
        Claim.objects.filter(pk=claim.pk).update(fast_track_eligible=True)
        casework.transition(
            claim.case,
            to=ClaimStatus.ASSESSED,
            actor=None,
            now=now,
            reason="Fast-track: complete documents and clean checks.",
            data={"assessment": assessment.number, "payable": str(payable)},
        )
        offer = _make_offer(claim, actor=None, now=now, amount=payable, note="Fast-track")
        agreement = _agree(
            claim,
            offer,
            actor=None,
            now=now,
            letter=False,
            label="fast-track: the amount claimed less the deductible",
        )
        order = _order(
            claim, amount=agreement.amount, actor=None, now=now, kind=PaymentKind.SETTLEMENT
        )
        _approve(order, actor=None, now=now, system=True)
    return "paid"
