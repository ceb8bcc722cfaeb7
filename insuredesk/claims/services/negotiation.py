"""Offers, the customer's acceptance or counter-offer, and the settlement agreement."""

from datetime import datetime
from decimal import Decimal

from django.db import transaction

from insuredesk.casework import services as casework
from insuredesk.claims.choices import ClaimStatus, DocumentKind, OfferStatus
from insuredesk.claims.models import Claim, Offer, SettlementAgreement
from insuredesk.claims.services.documents import store_document
from insuredesk.claims.services.people import (
    claim_letter,
    is_claimant,
    lock_claim,
    money,
    require_claimant_or_handler,
    require_handler,
    tell_customer,
    tell_staff,
)
from insuredesk.claims.wording import message_zh
from insuredesk.errors import Conflict, InvalidTransition, ValidationFailed


def make_offer(
    *,
    claim: Claim,
    actor,
    now: datetime,
    amount: Decimal | None = None,
    note: str = "",
) -> Offer:
    """Offer the assessed amount (or a negotiated one) with the assessment's breakdown.

    A revised offer supersedes the open or countered one; the claim stays `offered`.
    """
    with transaction.atomic(durable=True):
        claim = lock_claim(claim)
        if actor is not None:
            require_handler(actor, "make an offer")
        return _make_offer(claim, actor=actor, now=now, amount=amount, note=note)


def _make_offer(claim: Claim, *, actor, now: datetime, amount, note: str) -> Offer:
    status = claim.case.status
    if status not in (ClaimStatus.ASSESSED, ClaimStatus.OFFERED):
        raise InvalidTransition(
            f"A claim that is {status.replace('_', ' ')} cannot receive an offer.",
            reference=claim.case.reference,
            from_status=status,
        )
    assessment = claim.assessments.order_by("-number").first()
    if assessment is None:
        raise InvalidTransition("Assess the loss before making an offer.")
    amount = money(amount if amount is not None else assessment.payable)
    if amount <= 0:
        raise ValidationFailed(
            "An offer must be more than zero; refuse the claim instead.", field="amount"
        )
    if amount > claim.policy.sum_insured:
        raise ValidationFailed(
            f"An offer cannot exceed the sum insured of {claim.policy.sum_insured}.",
            field="amount",
        )
    claim.offers.filter(status=OfferStatus.OPEN).update(status=OfferStatus.SUPERSEDED)
    lines = list(assessment.lines)
    if amount != assessment.payable:
        lines.append(
            {
                "kind": "negotiated",
                "label": "Agreed adjustment",
                "amount": str(amount - assessment.payable),
                "coverage": "",
                "clause": None,
            }
        )
        lines.append(
            {
                "kind": "total",
                "label": "Offered",
                "amount": str(amount),
                "coverage": "",
                "clause": None,
            }
        )
    offer = Offer.objects.create(
        claim=claim,
        number=claim.offers.count() + 1,
        assessment=assessment,
        amount=amount,
        lines=lines,
        note=note,
        made_by=actor,
        made_at=now,
    )
    data = {"offer": offer.number, "amount": str(amount)}
    if status == ClaimStatus.ASSESSED:
        casework.transition(
            claim.case, to=ClaimStatus.OFFERED, actor=actor, now=now, data=data, reason=note
        )
    else:
        casework.record_event(
            claim.case, kind="offer_revised", actor=actor, now=now, data=data, reason=note
        )
    if actor is not None:
        tell_customer(
            claim,
            subject=f"Claim {claim.case.reference}: our offer of {claim.currency} {amount}",
            body="Please review the breakdown in your portal and accept or counter the offer.",
            key=f"claim-offer:{offer.public_id}",
            now=now,
            zh=message_zh(
                "offer", reference=claim.case.reference, currency=claim.currency, amount=amount
            ),
        )
    return offer


def _open_offer(offer: Offer) -> Claim:
    claim = lock_claim(offer.claim)
    offer.refresh_from_db()
    if offer.status != OfferStatus.OPEN or claim.case.status != ClaimStatus.OFFERED:
        raise InvalidTransition(
            f"This offer is {offer.get_status_display().lower()}; it can no longer be answered.",
            reference=claim.case.reference,
        )
    return claim


def accept_offer(*, offer: Offer, actor, now: datetime) -> SettlementAgreement:
    """The customer accepts: the offer becomes the settlement agreement (who, when, what) and
    the payment clock starts (CN-21: 10 days; CA-11: 30 days)."""
    with transaction.atomic(durable=True):
        claim = _open_offer(offer)
        require_claimant_or_handler(actor, claim, "accept an offer")
        return _agree(claim, offer, actor=actor, now=now, letter=True)


def _agree(
    claim: Claim,
    offer: Offer,
    *,
    actor,
    now: datetime,
    letter: bool,
    label: str = "",
) -> SettlementAgreement:
    moved = Offer.objects.filter(pk=offer.pk, status=OfferStatus.OPEN).update(
        status=OfferStatus.ACCEPTED, responded_at=now
    )
    if not moved:
        raise Conflict("The offer was answered by someone else first.")
    if not label:
        if actor is None:
            label = "system"
        elif is_claimant(actor, claim):
            label = f"{claim.customer.full_name} (customer)"
        else:
            label = f"{actor.get_username()} for the customer"
    agreement = SettlementAgreement.objects.create(
        claim=claim,
        offer=offer,
        amount=offer.amount,
        lines=offer.lines,
        accepted_by=actor,
        accepted_by_label=label,
        accepted_at=now,
    )
    casework.transition(
        claim.case,
        to=ClaimStatus.AGREED,
        actor=actor,
        now=now,
        data={"amount": str(offer.amount), "accepted_by": label, "offer": offer.number},
    )
    if letter:
        agreement.letter = claim_letter(
            claim,
            kind="claim_settlement",
            title="Settlement agreement",
            context={
                "amount": str(offer.amount),
                "lines": offer.lines,
                "accepted_by": label,
                "accepted_at": now.isoformat(),
                "pay_by": _payment_due(claim),
            },
            actor=actor,
            now=now,
        )
        agreement.save(update_fields=["letter"])
        tell_customer(
            claim,
            subject=f"Claim {claim.case.reference}: amount agreed",
            body=f"We agreed {claim.currency} {offer.amount}. Payment is due by "
            f"{_payment_due(claim) or 'promptly'}.",
            key=f"claim-agreed:{agreement.pk}",
            now=now,
            letter=agreement.letter,
            zh=message_zh(
                "agreed",
                reference=claim.case.reference,
                currency=claim.currency,
                amount=offer.amount,
                due=_payment_due(claim) or "尽快",
            ),
        )
    return agreement


def _payment_due(claim: Claim) -> str:
    clock = claim.case.clocks.filter(name="payment", stopped_at__isnull=True).first()
    return clock.due_date.isoformat() if clock else ""


def counter_offer(
    *,
    offer: Offer,
    amount: Decimal,
    reasons: str,
    actor,
    now: datetime,
    evidence: list | None = None,
) -> Offer:
    """The customer asks for more, with reasons and evidence; the handler revises or stands."""
    with transaction.atomic(durable=True):
        claim = _open_offer(offer)
        require_claimant_or_handler(actor, claim, "counter an offer")
        if amount is None or amount <= 0:
            raise ValidationFailed("The amount you ask for must be more than zero.", field="amount")
        if not reasons.strip():
            raise ValidationFailed("Tell us why you ask for a different amount.", field="reasons")
        amount = money(amount)
        Offer.objects.filter(pk=offer.pk).update(
            status=OfferStatus.COUNTERED,
            responded_at=now,
            counter_amount=amount,
            counter_reasons=reasons.strip(),
        )
        for index, upload in enumerate(evidence or []):
            store_document(
                claim,
                upload=upload,
                code=DocumentKind.EVIDENCE,
                actor=actor,
                now=now,
                field=f"evidence.{index}",
            )
        casework.record_event(
            claim.case,
            kind="offer_countered",
            actor=actor,
            now=now,
            reason=reasons.strip(),
            data={"offer": offer.number, "amount": str(amount)},
        )
        tell_staff(
            claim.case.assignee,
            claim,
            subject=f"{claim.case.reference}: customer countered offer {offer.number}",
            body=f"Asks {claim.currency} {amount}: {reasons.strip()[:300]}",
            key=f"claim-counter:{offer.public_id}",
            now=now,
        )
        offer.refresh_from_db()
    return offer
