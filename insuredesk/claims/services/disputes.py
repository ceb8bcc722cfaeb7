"""Disputes: the customer contests a refusal, an offer or a payment; hearings; the outcome."""

from datetime import datetime

from django.db import transaction

from insuredesk.casework import services as casework
from insuredesk.claims.choices import (
    DISPUTABLE,
    ClaimStatus,
    DisputeChannel,
    DisputeStatus,
    DocumentKind,
    OfferStatus,
)
from insuredesk.claims.models import Claim, Dispute, Hearing
from insuredesk.claims.services.documents import store_document
from insuredesk.claims.services.people import (
    claim_letter,
    lock_claim,
    require_claimant_or_handler,
    require_handler,
    tell_customer,
)
from insuredesk.claims.wording import message_zh
from insuredesk.errors import InvalidTransition, ValidationFailed


def open_dispute(
    *,
    claim: Claim,
    channel: str,
    grounds: str,
    actor,
    now: datetime,
    evidence: list | None = None,
) -> Dispute:
    """Open a dispute case (DSP-…) on the claim and move the claim to `disputed`."""
    with transaction.atomic(durable=True):
        claim = lock_claim(claim)
        require_claimant_or_handler(actor, claim, "open a dispute")
        if channel not in DisputeChannel.values:
            raise ValidationFailed(f"Unknown channel {channel!r}.", field="channel")
        if not grounds.strip():
            raise ValidationFailed("Say what you contest and why.", field="grounds")
        before = claim.case.status
        if before not in DISPUTABLE:
            raise InvalidTransition(
                f"A claim that is {before.replace('_', ' ')} cannot be contested yet.",
                reference=claim.case.reference,
                from_status=before,
            )
        case = casework.open_case(
            kind="claim_dispute",
            title=f"Dispute on {claim.case.reference} ({DisputeChannel(channel).label})",
            actor=actor,
            now=now,
            customer=claim.case.customer,
            jurisdiction=claim.case.jurisdiction,
            assignee=claim.case.assignee,
            data={"claim": claim.case.reference, "channel": channel},
            reason=grounds.strip(),
        )
        dispute = Dispute.objects.create(
            case=case,
            claim=claim,
            channel=channel,
            grounds=grounds.strip(),
            claim_status_before=before,
            opened_by=actor,
            opened_at=now,
        )
        for index, upload in enumerate(evidence or []):
            store_document(
                claim,
                upload=upload,
                code=DocumentKind.EVIDENCE,
                actor=actor,
                now=now,
                dispute=dispute,
                field=f"evidence.{index}",
            )
        casework.transition(
            claim.case,
            to=ClaimStatus.DISPUTED,
            actor=actor,
            now=now,
            reason=grounds.strip(),
            data={"dispute": case.reference, "channel": channel},
        )
        tell_customer(
            claim,
            subject=f"Claim {claim.case.reference}: we received your dispute {case.reference}",
            body="We will review the decision and keep you informed. Where a clause can be read "
            "more than one way, the reading favouring you prevails (IL Art. 30).",
            key=f"claim-dispute:{case.reference}",
            now=now,
            zh=message_zh(
                "dispute_received", reference=claim.case.reference, dispute=case.reference
            ),
        )
    return dispute


def record_hearing(
    *,
    dispute: Dispute,
    held_at: datetime,
    place: str,
    actor,
    now: datetime,
    notes: str = "",
) -> Hearing:
    with transaction.atomic(durable=True):
        require_handler(actor, "record a hearing")
        case = dispute.case
        case.refresh_from_db()
        if not case.is_open:
            raise InvalidTransition(
                f"Dispute {case.reference} is decided.", reference=case.reference
            )
        if not place.strip():
            raise ValidationFailed("Where was (or will be) the hearing?", field="place")
        hearing = Hearing.objects.create(
            dispute=dispute,
            held_at=held_at,
            place=place.strip(),
            notes=notes.strip(),
            recorded_by=actor,
        )
        data = {"held_at": held_at.isoformat(), "place": place.strip()}
        if case.status == DisputeStatus.OPEN:
            casework.transition(case, to=DisputeStatus.HEARING, actor=actor, now=now, data=data)
        else:
            casework.record_event(case, kind="hearing_recorded", actor=actor, now=now, data=data)
    return hearing


def decide_dispute(
    *,
    dispute: Dispute,
    upheld: bool,
    reasons: str,
    actor,
    now: datetime,
) -> Dispute:
    """Upheld: the claim goes back to investigation for reassessment and payment.
    Dismissed: the claim returns where it was and a reasons letter goes out."""
    with transaction.atomic(durable=True):
        require_handler(actor, "decide a dispute")
        claim = lock_claim(dispute.claim)
        if not reasons.strip():
            raise ValidationFailed("Give the reasons for the outcome.", field="reasons")
        case = dispute.case
        case.refresh_from_db()
        outcome = DisputeStatus.UPHELD if upheld else DisputeStatus.DISMISSED
        casework.transition(case, to=outcome, actor=actor, now=now, reason=reasons.strip())
        if upheld:
            claim.offers.filter(status=OfferStatus.OPEN).update(status=OfferStatus.WITHDRAWN)
            casework.transition(
                claim.case,
                to=ClaimStatus.INVESTIGATING,
                actor=actor,
                now=now,
                event="dispute_upheld",
                reason=reasons.strip(),
                data={"dispute": case.reference},
            )
        else:
            casework.transition(
                claim.case,
                to=dispute.claim_status_before,
                actor=actor,
                now=now,
                event="dispute_dismissed",
                reason=reasons.strip(),
                data={"dispute": case.reference},
            )
        letter = claim_letter(
            claim,
            kind="claim_dispute_outcome",
            title="The outcome of your dispute",
            context={
                "dispute": case.reference,
                "upheld": upheld,
                "reasons": reasons.strip(),
                "channel": DisputeChannel(dispute.channel).label,
            },
            actor=actor,
            now=now,
        )
        Dispute.objects.filter(pk=dispute.pk).update(
            outcome_reasons=reasons.strip(), decided_by=actor, decided_at=now, letter=letter
        )
        tell_customer(
            claim,
            subject=f"Dispute {case.reference}: {'upheld' if upheld else 'dismissed'}",
            body=reasons.strip()[:500],
            key=f"claim-dispute-outcome:{case.reference}",
            now=now,
            letter=letter,
            zh=message_zh(
                "dispute_outcome",
                dispute=case.reference,
                outcome="异议成立" if upheld else "异议不成立",
                reasons=reasons.strip()[:500],
            ),
        )
        dispute.refresh_from_db()
    return dispute
