"""Reporting a claim (with the checks of the issue), withdrawing, closing, delay notices."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction

from insuredesk.casework import services as casework
from insuredesk.casework.models import Clock
from insuredesk.claims.choices import ClaimStatus, OfferStatus, ReportChannel
from insuredesk.claims.models import Claim
from insuredesk.claims.services.people import (
    claim_letter,
    lock_claim,
    money,
    require_claimant_or_handler,
    require_handler,
    tell_customer,
)
from insuredesk.claims.wording import NEEDED_ZH, documents_zh, message_zh
from insuredesk.errors import Conflict, InvalidTransition, ValidationFailed
from insuredesk.policies.choices import PolicyStatus
from insuredesk.policies.models import Policy
from insuredesk.rules.registry import get_profile

# A policy whose term has ended still answers for losses during the term.
CLAIMABLE_POLICY_STATUSES = {PolicyStatus.IN_FORCE, PolicyStatus.EXPIRED}
UNDECIDED = {ClaimStatus.REPORTED, ClaimStatus.AWAITING_DOCUMENTS, ClaimStatus.INVESTIGATING}


def open_key(policy: Policy, event_date: date, loss_type: str) -> str:
    return f"{policy.pk}:{event_date.isoformat()}:{loss_type}"


def coverage_for(policy: Policy, loss_type: str):
    """The coverage of the policy's own product version that answers the loss type, or None."""
    for coverage in policy.product_version.coverages.all():
        if loss_type in (coverage.loss_types or []):
            return coverage
    return None


def waiting_period_ends(policy: Policy, coverage) -> date:
    """The first day a loss is covered: the day after the waiting period."""
    return policy.start_date + timedelta(days=coverage.waiting_period_days)


def check_report(*, policy: Policy, event_date: date, loss_type: str, now: datetime):
    """The report checks, in order; returns the coverage or raises naming the field."""
    if event_date > get_profile(policy.jurisdiction).today(now):
        raise ValidationFailed("The date of the event cannot be in the future.", field="event_date")
    if not policy.covers(event_date):
        raise ValidationFailed(
            f"Policy {policy.number} did not cover {event_date:%Y-%m-%d}: it runs from "
            f"{policy.start_date:%Y-%m-%d} to {policy.end_date:%Y-%m-%d}.",
            field="event_date",
            code="not_covered_on_date",
        )
    if policy.status not in CLAIMABLE_POLICY_STATUSES:
        raise ValidationFailed(
            f"Policy {policy.number} is {policy.get_status_display().lower()}, not in force.",
            field="policy",
            code="policy_not_in_force",
        )
    coverage = coverage_for(policy, loss_type)
    if coverage is None:
        covered = sorted(
            {t for c in policy.product_version.coverages.all() for t in (c.loss_types or [])}
        )
        raise ValidationFailed(
            f"Policy {policy.number} does not cover {loss_type.replace('_', ' ')} losses; "
            f"it covers: {', '.join(covered) or 'nothing listed'}.",
            field="loss_type",
            code="loss_type_not_covered",
            covered=covered,
        )
    first_day = waiting_period_ends(policy, coverage)
    if event_date < first_day:
        raise ValidationFailed(
            f"The event falls in the {coverage.waiting_period_days}-day waiting period of "
            f"{coverage.name}; cover starts on {first_day:%Y-%m-%d}.",
            field="event_date",
            code="in_waiting_period",
        )
    return coverage


def _duplicate(existing: Claim) -> Conflict:
    return Conflict(
        f"Claim {existing.case.reference} for this loss is already open.",
        code="duplicate_claim",
        reference=existing.case.reference,
        field="event_date",
    )


def report_claim(
    *,
    policy: Policy,
    event_date: date,
    event_place: str,
    loss_type: str,
    description: str,
    actor,
    now: datetime,
    amount_claimed: Decimal | None = None,
    contact_phone: str = "",
    contact_email: str = "",
    channel: str = ReportChannel.PORTAL,
) -> Claim:
    """Record a reported loss (CN-17: the customer reports promptly) and acknowledge it.

    1. Check the policy covered the date and is in force, the loss type is covered by its
       product version, and the waiting period is over.
    2. Refuse a duplicate: an open claim on the same policy, date and loss type; the error
       names the existing reference (the database's unique `open_key` settles races).
    3. Open the claim case (starts the CN decision clock and the US-CA acknowledgement clock).
    4. Acknowledge: US-CA gets the acknowledgement letter with the Fair Claims notice at once
       (CA-01, CA-02); everyone gets a message with the reference and the documents needed.
    """
    if amount_claimed is not None and amount_claimed <= 0:
        raise ValidationFailed("The amount claimed must be more than zero.", field="amount_claimed")
    if not event_place.strip():
        raise ValidationFailed("Say where it happened.", field="event_place")
    if not description.strip():
        raise ValidationFailed("Describe what happened.", field="description")
    if channel == ReportChannel.PHONE:
        require_handler(actor, "record a phone report")
    coverage = check_report(policy=policy, event_date=event_date, loss_type=loss_type, now=now)
    key = open_key(policy, event_date, loss_type)
    existing = Claim.objects.select_related("case").filter(open_key=key).first()
    if existing is not None:
        raise _duplicate(existing)

    with transaction.atomic(durable=True):
        customer = policy.policyholder
        case = casework.open_case(
            kind="claim",
            title=f"{coverage.name}: {loss_type.replace('_', ' ')} on {event_date:%Y-%m-%d}",
            actor=actor,
            now=now,
            customer=customer,
            jurisdiction=policy.jurisdiction,
            data={
                "policy": policy.number,
                "loss_type": loss_type,
                "event_date": event_date.isoformat(),
                "channel": channel,
            },
            event="opened",
        )
        claim = Claim(
            case=case,
            policy=policy,
            coverage=coverage,
            loss_type=loss_type,
            event_date=event_date,
            event_place=event_place.strip()[:300],
            description=description.strip(),
            amount_claimed=money(amount_claimed) if amount_claimed is not None else None,
            currency=policy.currency,
            contact_phone=contact_phone or customer.phone,
            contact_email=contact_email or customer.email,
            channel=channel,
            reported_by=actor,
            reported_at=now,
            open_key=key,
        )
        try:
            with transaction.atomic():
                claim.save()
        except IntegrityError:
            existing = Claim.objects.select_related("case").filter(open_key=key).first()
            if existing is None:
                raise
            raise _duplicate(existing) from None
        _acknowledge(claim, actor=actor, now=now)
        from insuredesk.claims.services.documents import after_documents_change

        after_documents_change(claim, actor=actor, now=now)
    return claim


def _acknowledge(claim: Claim, *, actor, now: datetime) -> None:
    needed = [d["name"] for d in claim.coverage.required_documents or []]
    letter = None
    if claim.case.jurisdiction == "US-CA":
        letter = claim_letter(
            claim,
            kind="claim_acknowledgement",
            title="We have received your claim",
            context={"documents_needed": needed},
            actor=actor,
            now=now,
        )
        casework.record_event(
            claim.case,
            kind="acknowledged",
            actor=actor,
            now=now,
            data={"letter": str(letter.public_id), "rule": "CA-01"},
        )
    body = f"We have your claim {claim.case.reference} for {claim.coverage.name}."
    if needed:
        body += " Please upload: " + ", ".join(needed) + "."
    tell_customer(
        claim,
        subject=f"Claim {claim.case.reference} received",
        body=body,
        key=f"claim-ack:{claim.case.reference}",
        now=now,
        letter=letter,
        zh=message_zh(
            "acknowledgement",
            reference=claim.case.reference,
            coverage=claim.coverage.name,
            needed=NEEDED_ZH.format(documents=documents_zh(needed)) if needed else "",
        ),
    )


def withdraw_claim(*, claim: Claim, actor, reason: str, now: datetime) -> Claim:
    """The customer (or a handler for them) withdraws the claim; the duplicate guard lifts."""
    with transaction.atomic(durable=True):
        claim = lock_claim(claim)
        require_claimant_or_handler(actor, claim, "withdraw a claim")
        casework.transition(
            claim.case, to=ClaimStatus.WITHDRAWN, actor=actor, now=now, reason=reason
        )
        claim.offers.filter(status=OfferStatus.OPEN).update(status=OfferStatus.WITHDRAWN)
        Claim.objects.filter(pk=claim.pk).update(open_key=None)
        claim.open_key = None
    return claim


def close_claim(*, claim: Claim, actor, now: datetime, reason: str = "") -> Claim:
    """Close a paid claim, or a refused one whose notice has gone out."""
    with transaction.atomic(durable=True):
        claim = lock_claim(claim)
        require_handler(actor, "close a claim")
        if claim.case.status == ClaimStatus.REFUSED:
            refusal = claim.refusals.order_by("-decided_at").first()
            if refusal is None or refusal.notice_sent_at is None:
                raise InvalidTransition(
                    "Send the refusal notice before closing (CN-22).",
                    reference=claim.case.reference,
                )
        casework.transition(claim.case, to=ClaimStatus.CLOSED, actor=actor, now=now, reason=reason)
        Claim.objects.filter(pk=claim.pk).update(open_key=None)
        claim.open_key = None
    return claim


def send_delay_notice(*, claim: Claim, actor, reasons: str, now: datetime):
    """CA-08 (10 CCR 2695.7(c)(1)): tell the claimant in writing why more time is needed."""
    with transaction.atomic(durable=True):
        claim = lock_claim(claim)
        if claim.case.jurisdiction != "US-CA":
            raise ValidationFailed("Delay notices are a US-CA letter (CA-08).", field="claim")
        if claim.case.status not in UNDECIDED:
            raise InvalidTransition(
                "The claim is decided; no delay notice is due.", reference=claim.case.reference
            )
        if not reasons.strip():
            raise ValidationFailed("Give the reasons more time is needed.", field="reasons")
        letter = claim_letter(
            claim,
            kind="claim_delay_notice",
            title="We need more time to decide your claim",
            context={"reasons": reasons.strip()},
            actor=actor,
            now=now,
        )
        casework.record_event(
            claim.case,
            kind="delay_notice_sent",
            actor=actor,
            now=now,
            reason=reasons.strip(),
            data={"letter": str(letter.public_id), "rule": "CA-08"},
        )
        tell_customer(
            claim,
            subject=f"Claim {claim.case.reference}: we need more time",
            body=reasons.strip(),
            key=f"claim-delay:{letter.public_id}",
            now=now,
            letter=letter,
        )
    return letter


DELAY_REASON = (
    "We have not yet been able to complete our investigation of your claim. We are still "
    "reviewing the information received and will write again within 30 days."
)


def send_due_delay_notices(*, now: datetime, lead: timedelta = timedelta(days=3)) -> int:
    """The sweep: send each US-CA delay notice falling due within `lead` (CA-08)."""
    due = (
        Clock.objects.filter(
            name__in=["delay_notice", "delay_notice_next"],
            stopped_at__isnull=True,
            state__in=["running", "breached"],
            deadline__lte=now + lead,
            case__kind="claim",
        )
        .values_list("case__claim", flat=True)
        .distinct()
    )
    sent = 0
    for claim in Claim.objects.filter(pk__in=list(due)).select_related("case"):
        try:
            send_delay_notice(claim=claim, actor=None, reasons=DELAY_REASON, now=now)
            sent += 1
        except (InvalidTransition, ValidationFailed):
            continue
    return sent
