"""Keeping the claimant informed without being asked: GB-04 progress updates and the CA-10
limitation-period warning. Both are run by the claims sweep (claims/tasks.py) and are
idempotent: each writes a customer-visible event that a repeat run finds."""

import calendar
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q

from insuredesk.casework import services as casework
from insuredesk.casework.models import CaseEvent
from insuredesk.claims.choices import ClaimStatus, PaymentKind
from insuredesk.claims.models import Claim, Payment
from insuredesk.claims.services.people import claim_letter, lock_claim, setting, tell_customer
from insuredesk.rules.registry import get_profile, get_rule

# GB-04 (ICOBS 8.1.1R): statuses in which the claimant waits on us, with what happens next.
NEXT_STEP: dict[str, str] = {
    ClaimStatus.REPORTED: "We are checking your claim against your policy and the documents "
    "you sent.",
    ClaimStatus.AWAITING_DOCUMENTS: "We are waiting for the documents listed in our notice; "
    "you can upload them on your claim page.",
    ClaimStatus.INVESTIGATING: "We are investigating the loss; where a surveyor is involved "
    "they will contact you.",
    ClaimStatus.ASSESSED: "We have worked out the amount and will send you our offer.",
    ClaimStatus.AGREED: "We have agreed the amount and are arranging the payment.",
    ClaimStatus.DISPUTED: "We are reviewing your dispute and will write with the outcome.",
}
LIMITATION_WARNING = "limitation_warning_sent"


def progress_update_days() -> int:
    """GB-04 sets no fixed period; the insurer's own (setting CLAIMS_GB_PROGRESS_UPDATE_DAYS)."""
    return int(setting("CLAIMS_GB_PROGRESS_UPDATE_DAYS", 10))


def send_progress_updates(*, now: datetime, quiet_days: int | None = None) -> int:
    """GB-04 (ICOBS 8.1.1R): tell each GB claimant where their claim stands when nothing they
    can see has happened on it for `quiet_days` (default: the setting, 10 days).

    1. Find open GB claims waiting on us whose last customer-visible event is older.
    2. For each, under the claim's lock, check again (another sweep may have sent it).
    3. Record a visible "progress_update" event (it restarts the quiet period) and message.
    """
    quiet = timedelta(days=quiet_days if quiet_days is not None else progress_update_days())
    due = (
        Claim.objects.filter(
            case__jurisdiction="GB",
            case__closed_at__isnull=True,
            case__status__in=list(NEXT_STEP),
        )
        .annotate(
            last_seen=Max(
                "case__events__created_at", filter=Q(case__events__visible_to_customer=True)
            )
        )
        .filter(last_seen__lte=now - quiet)
        .values_list("pk", flat=True)
    )
    sent = 0
    for claim_id in list(due):
        with transaction.atomic(durable=True):
            claim = lock_claim(Claim(pk=claim_id))
            last = (
                claim.case.events.filter(visible_to_customer=True)
                .order_by("-sequence")
                .values_list("created_at", flat=True)
                .first()
            )
            if claim.case.status not in NEXT_STEP or (last and last > now - quiet):
                continue
            status = claim.case.status_label
            text = f"Your claim is {status.lower()}. {NEXT_STEP[claim.case.status]}"
            casework.record_event(
                claim.case,
                kind="progress_update",
                actor=None,
                now=now,
                reason=text,
                data={"rule": "GB-04", "quiet_days": quiet.days},
            )
            tell_customer(
                claim,
                subject=f"Claim {claim.case.reference}: where it stands",
                body=text + " Reply or use your claim page if you have a question.",
                key=f"claim-progress:{claim.case.reference}:{now:%Y%m%d}",
                now=now,
            )
            sent += 1
    return sent


def _add_months(day: date, months: int) -> date:
    years, month = divmod(day.month - 1 + months, 12)
    year = day.year + years
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def suit_limit_months() -> int:
    """The US-CA policy's time limit to sue, from the loss (setting CLAIMS_CA_SUIT_LIMIT_MONTHS;
    12 months is the California standard fire policy's, Ins. Code 2071)."""
    return int(setting("CLAIMS_CA_SUIT_LIMIT_MONTHS", 12))


def limitation_expiry(claim: Claim) -> date:
    """When the claimant's time to sue expires, counted from the date of the loss. Counting
    from the loss ignores any tolling while the claim was open, so the warning comes early,
    never late."""
    return _add_months(claim.event_date, suit_limit_months())


def send_limitation_warnings(*, now: datetime) -> int:
    """CA-10 (10 CCR 2695.7(f)): warn the claimant in writing of the time limit at least
    60 days before it expires, unless the claim was settled by payment.

    1. The lead comes from the rule profile: CA-10's period counts *before* its trigger.
    2. Candidates: US-CA claims not withdrawn, with no settlement payment and no warning yet,
       whose time limit expires within the lead and has not yet expired.
    3. For each, under the claim's lock: the letter, a visible event and a message.
    """
    rule = get_rule("US-CA", "CA-10")
    lead = rule.period.amount if rule.period and rule.period.before else 60
    today = get_profile("US-CA").today(now)
    months = suit_limit_months()
    # Coarse bounds on the loss date (a month is 28 to 31 days); the exact date is checked below.
    latest = today + timedelta(days=lead) - timedelta(days=28 * months)
    earliest = today - timedelta(days=31 * months + 1)
    settled = Payment.objects.filter(
        order__claim=OuterRef("pk"), order__kind=PaymentKind.SETTLEMENT
    )
    warned = CaseEvent.objects.filter(case=OuterRef("case"), kind=LIMITATION_WARNING)
    candidates = (
        Claim.objects.filter(
            case__jurisdiction="US-CA", event_date__lte=latest, event_date__gte=earliest
        )
        .exclude(case__status=ClaimStatus.WITHDRAWN)
        .exclude(Exists(settled))
        .exclude(Exists(warned))
        .only("pk", "event_date")
    )
    sent = 0
    for candidate in list(candidates):
        expires = limitation_expiry(candidate)
        if not (expires - timedelta(days=lead) <= today < expires):
            continue
        with transaction.atomic(durable=True):
            claim = lock_claim(candidate)
            if claim.case.events.filter(kind=LIMITATION_WARNING).exists():
                continue
            if Payment.objects.filter(
                order__claim=claim, order__kind=PaymentKind.SETTLEMENT
            ).exists():
                continue
            letter = claim_letter(
                claim,
                kind="claim_limitation_warning",
                title="The time limit on your claim",
                context={
                    "expires": expires.isoformat(),
                    "months": months,
                    "days_left": (expires - today).days,
                },
                actor=None,
                now=now,
            )
            casework.record_event(
                claim.case,
                kind=LIMITATION_WARNING,
                actor=None,
                now=now,
                data={
                    "rule": "CA-10",
                    "expires": expires.isoformat(),
                    "letter": str(letter.public_id),
                },
            )
            tell_customer(
                claim,
                subject=f"Claim {claim.case.reference}: time limit ends {expires.isoformat()}",
                body=f"The time limit to bring a legal action over this claim ends on "
                f"{expires.isoformat()}. The enclosed letter explains it.",
                key=f"claim-limitation:{claim.case.reference}",
                now=now,
                letter=letter,
            )
            sent += 1
    return sent
