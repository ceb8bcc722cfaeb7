"""Premiums after issue: which rules apply, where a policy stands (what is due or overdue, until
when cover lasts), and paying a premium with its receipt. The worker's reminders, demand notices
and suspension are in `arrears`; reinstatement and termination in `reinstatement`.

Which rules apply comes from the policy's jurisdiction profile (`premium_rules`): CN has the
statute (CN-15, CN-16); GB and US-CA have no premium rule in REGULATION.md, so their profiles
carry the insurer's own defaults, status U (SVC-12, SVC-13). The reminder (SVC-11) and the
reinstatement decision clock (SVC-14) are service standards everywhere.

The grace period applies to personal insurance after the first premium (IL Art. 36 reads "after
the first premium has been paid"): an unpaid first premium, or a property policy's, is reminded
and shown overdue to staff, but never suspends cover on its own.

Everything unpaid that ever got a demand notice belongs to the policy's arrears case (kind
"arrears"): the notices, payments, suspension, reinstatement and termination are its events.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum

from insuredesk.casework import services as casework
from insuredesk.catalog.rating import decimal_input
from insuredesk.customers.roles import Role, has_role
from insuredesk.errors import (
    InvalidTransition,
    NotPermitted,
    ValidationFailed,
    clean_text,
)
from insuredesk.policies import wording
from insuredesk.policies.choices import (
    CUSTOMER_PAYMENT_METHODS,
    ArrearsStatus,
    InstalmentStatus,
    PaymentMethod,
    PolicyStatus,
)
from insuredesk.policies.models import Arrears, Policy, PremiumInstalment, PremiumPayment
from insuredesk.policies.services.issuing import PERSONAL_LINES
from insuredesk.rules.deadlines import compute_deadline
from insuredesk.rules.registry import get_profile

ARREARS_KIND = "arrears"
RECEIPT_PREFIX = "PRM"
# Staff who take premiums: agents at the counter or on visits, supervisors, administrators.
PAYMENT_ROLES = (Role.AGENT, Role.SUPERVISOR, Role.ADMINISTRATOR)
# A policy whose premiums are still collected; a suspended one only to reinstate it.
COLLECTING = (PolicyStatus.PENDING, PolicyStatus.IN_FORCE)
MAX_REFERENCE = 60


# -- the rules of a jurisdiction -------------------------------------------------------------


@dataclass(frozen=True)
class PremiumRules:
    """Which rules of a jurisdiction govern premiums; None where its profile has none.

    `grace_after_due` is the longest a premium may stay unpaid with cover running. Under CN-15
    a demand notice may end it sooner (`grace_after_demand`: the earlier end wins); under
    US-CA's SVC-12 cover never stops sooner than 30 days after the notice (`notice_at_least`:
    the later end wins).
    """

    jurisdiction: str
    reminder: str | None = None
    grace_after_due: str | None = None
    grace_after_demand: str | None = None
    notice_at_least: str | None = None
    reinstate_within: str | None = None
    decide_reinstatement: str | None = None


# The rule ids each profile uses, by role. A rule a deployment removes from its profile simply
# switches that step off (a jurisdiction without a grace rule never suspends for arrears).
RULE_IDS: dict[str, dict[str, str]] = {
    "CN": {
        "reminder": "SVC-11",
        "grace_after_due": "CN-15.after_due",
        "grace_after_demand": "CN-15",
        "reinstate_within": "CN-16",
        "decide_reinstatement": "SVC-14",
    },
    "GB": {
        "reminder": "SVC-11",
        "grace_after_due": "SVC-12",
        "reinstate_within": "SVC-13",
        "decide_reinstatement": "SVC-14",
    },
    "US-CA": {
        "reminder": "SVC-11",
        "grace_after_due": "SVC-12",
        "notice_at_least": "SVC-12.notice",
        "reinstate_within": "SVC-13",
        "decide_reinstatement": "SVC-14",
    },
}


def premium_rules(jurisdiction: str) -> PremiumRules:
    """The premium rules of the jurisdiction's profile (only those the profile has)."""
    profile = get_profile(jurisdiction)
    found = {
        role: rule_id
        for role, rule_id in RULE_IDS.get(profile.code, {}).items()
        if profile.has_rule(rule_id)
    }
    return PremiumRules(jurisdiction=profile.code, **found)


def reminder_lead_days(jurisdiction: str) -> int:
    """How many days before a due date the reminder goes (SVC-11); 0 without the rule."""
    rule_id = premium_rules(jurisdiction).reminder
    return get_profile(jurisdiction).rule(rule_id).length_in("days") if rule_id else 0


def grace_applies(policy: Policy, instalment: PremiumInstalment) -> bool:
    """Whether an unpaid `instalment` can suspend the policy's cover: personal insurance, not
    the first premium (IL Art. 36), and a grace rule in the policy's jurisdiction."""
    return (
        policy.product_version.product.line in PERSONAL_LINES
        and instalment.due_date > policy.start_date
        and premium_rules(policy.jurisdiction).grace_after_due is not None
    )


def last_day_of_grace(
    policy: Policy, instalment: PremiumInstalment, *, demanded_at: dt.datetime | None = None
) -> dt.date | None:
    """The last day of cover while `instalment` stays unpaid; None when no grace rule applies.

    1. The period after the due date (CN-15.after_due: 60 days; SVC-12 in GB and US-CA),
       counted as the profile counts (CN moves a last day off a public holiday).
    2. CN: a demand notice ends it 30 days after the notice if that is sooner (CN-15).
    3. US-CA: never sooner than 30 days after the notice of pending lapse (SVC-12.notice).
    The notice date is `demanded_at`, or the one already recorded on the instalment.
    """
    if not grace_applies(policy, instalment):
        return None
    rules = premium_rules(policy.jurisdiction)
    assert rules.grace_after_due is not None  # grace_applies checked it
    last = last_day_of(rules.jurisdiction, rules.grace_after_due, instalment.due_date)
    notice = demanded_at or instalment.demanded_at
    if notice is not None and rules.grace_after_demand:
        last = min(last, last_day_of(rules.jurisdiction, rules.grace_after_demand, notice))
    if notice is not None and rules.notice_at_least:
        last = max(last, last_day_of(rules.jurisdiction, rules.notice_at_least, notice))
    return last


def last_day_of(jurisdiction: str, rule: str, start: dt.date | dt.datetime) -> dt.date:
    """The last day of `rule`'s period from `start`, counted as the jurisdiction counts."""
    return compute_deadline(jurisdiction=jurisdiction, rule=rule, start=start).due_date


# -- where a policy stands -------------------------------------------------------------------


@dataclass(frozen=True)
class PremiumPosition:
    """Where a policy stands with its premiums on `today` (its jurisdiction's date).

    Built from the policy's instalments as loaded (the pages prefetch them), so it costs no
    query of its own.
    """

    today: dt.date
    currency: str
    unpaid: list[PremiumInstalment]  # every instalment still due, earliest first
    overdue: list[PremiumInstalment]  # unpaid past their due date
    arrears: Decimal  # the overdue premiums added up
    covered_until: dt.date | None  # last day of cover while the overdue premiums stay unpaid
    payable: PremiumInstalment | None  # what may be paid now, if anything
    pay_from: dt.date | None  # when the next unpaid premium opens for payment, if not yet

    @property
    def suspends_on(self) -> dt.date | None:
        """The day cover is suspended if nothing is paid (the day after `covered_until`)."""
        return self.covered_until + dt.timedelta(days=1) if self.covered_until else None

    @property
    def next_due(self) -> PremiumInstalment | None:
        return self.unpaid[0] if self.unpaid else None


def premium_position(
    policy: Policy, *, now: dt.datetime, arrears: Arrears | None = None
) -> PremiumPosition:
    """Where the policy stands: unpaid and overdue premiums, the arrears, the last day of cover
    in the grace period, and which premium may be paid now (`payable_instalment`'s rules).

    `arrears` is the policy's open arrears case when the caller has it (it decides whether a
    suspended policy may pay: only once reinstatement is agreed).
    """
    today = get_profile(policy.jurisdiction).today(now)
    unpaid = sorted(
        (i for i in policy.instalments.all() if i.status == InstalmentStatus.DUE),
        key=lambda i: i.due_date,
    )
    overdue = [i for i in unpaid if i.due_date < today]
    ends = [
        day
        for day in (i.grace_ends_on or last_day_of_grace(policy, i) for i in overdue)
        if day is not None
    ]
    covered_until = (
        min(ends) if ends and policy.status == PolicyStatus.IN_FORCE else None
    )  # a suspended policy has no grace left to count
    payable, pay_from = None, None
    if unpaid and _collects(policy, arrears):
        first = unpaid[0]
        opens = first.due_date - dt.timedelta(days=reminder_lead_days(policy.jurisdiction))
        if today >= opens:
            payable = first
        else:
            pay_from = opens
    return PremiumPosition(
        today=today,
        currency=policy.currency,
        unpaid=unpaid,
        overdue=overdue,
        arrears=sum((i.amount for i in overdue), Decimal("0.00")),
        covered_until=covered_until,
        payable=payable,
        pay_from=pay_from,
    )


def _collects(policy: Policy, arrears: Arrears | None) -> bool:
    if policy.status in COLLECTING:
        return True
    return (
        policy.status == PolicyStatus.SUSPENDED
        and arrears is not None
        and arrears.case.status == ArrearsStatus.REINSTATEMENT_AGREED
    )


def arrears_on(policy: Policy, day: dt.date) -> Decimal:
    """Premiums due on or before `day` that are still unpaid: what a claim for an event on
    that day is paid less of (CN-15, IL Art. 36: a claim in the grace period is payable less
    the arrears). The first premium counts only once paid premiums have started, as Art. 36
    applies after the first premium."""
    unpaid = policy.instalments.filter(
        status=InstalmentStatus.DUE, due_date__lte=day, due_date__gt=policy.start_date
    ).aggregate(total=Sum("amount"))["total"]
    return (unpaid or Decimal("0")).quantize(Decimal("0.01"))


def premium_paid(policy: Policy) -> Decimal:
    """Every premium instalment the policyholder has paid on the policy."""
    paid = policy.instalments.filter(status=InstalmentStatus.PAID).aggregate(total=Sum("amount"))
    return (paid["total"] or Decimal("0")).quantize(Decimal("0.01"))  # SQLite drops the cents


def open_arrears(policy: Policy) -> Arrears | None:
    """The policy's arrears case that is still open, if any."""
    return (
        Arrears.objects.select_related("case")
        .filter(policy=policy, case__closed_at__isnull=True)
        .order_by("-id")
        .first()
    )


# -- paying ----------------------------------------------------------------------------------


def is_policyholder(policy: Policy, actor) -> bool:
    """Whether `actor` is the signed-in policyholder of `policy`."""
    user_id = policy.policyholder.user_id
    return user_id is not None and user_id == getattr(actor, "pk", None)


def record_premium_payment(
    *,
    actor,
    instalment: PremiumInstalment,
    amount: Any,
    currency: str,
    method: str,
    reference: str,
    now: dt.datetime,
) -> PremiumPayment:
    """Record a premium received for `instalment` and issue its receipt.

    1. The actor is the policyholder (card, transfer, direct debit), staff who take premiums
       (agent, supervisor, administrator; they may also take cash at the counter), or None for
       the system (a direct-debit collection run, the demo).
    2. The method is known and the reference given; the amount and currency are exactly the
       instalment's (no part payments, no overpayments: the error names the amount due).
    3. The instalment is unpaid, the earliest unpaid one (premiums are paid in order), and open
       for payment: overdue, or due within the reminder period (SVC-11). The policy is pending
       or in force; a suspended one only once its reinstatement is agreed (IL Art. 37).
    4. In one transaction: the instalment moves due → paid by compare-and-set (of two
       submissions one pays and the other gets 409), the payment is written with the next
       receipt number, the receipt letter is issued and sent; on an open arrears case the
       payment is an event, and the last overdue premium paid clears the arrears (in the grace
       period) or reinstates the policy (after an agreed reinstatement).
    """
    policy = instalment.policy
    is_staff = has_role(actor, *PAYMENT_ROLES)
    if actor is not None and not is_staff and not is_policyholder(policy, actor):
        raise NotPermitted("Only the policyholder, or staff who take premiums, pays a premium.")
    allowed = PaymentMethod.values if (actor is None or is_staff) else CUSTOMER_PAYMENT_METHODS
    if method not in allowed:
        raise ValidationFailed(
            f"method must be one of: {', '.join(allowed)}"
            + ("" if is_staff or actor is None else " (cash is paid at a counter, to staff)")
            + ".",
            field="method",
        )
    reference = clean_text(reference, field="reference", max_length=MAX_REFERENCE)
    paid = decimal_input(amount, "amount")
    if (currency or "").strip().upper() != policy.currency:
        raise ValidationFailed(
            f"This policy's premiums are paid in {policy.currency}.", field="currency"
        )
    if paid != instalment.amount:
        raise ValidationFailed(
            f"The premium due on {instalment.due_date.isoformat()} is {policy.currency} "
            f"{instalment.amount}; pay exactly that amount (part payments and overpayments are "
            "not taken).",
            field="amount",
            expected=str(instalment.amount),
        )
    with transaction.atomic(durable=True):
        policy = (
            Policy.objects.select_for_update()
            .select_related("policyholder", "product_version__product")
            .get(pk=policy.pk)
        )
        # Read again under the lock: a payment that committed meanwhile shows here as "paid".
        instalment = PremiumInstalment.objects.get(pk=instalment.pk)
        arrears = open_arrears(policy)
        _check_payable(policy, instalment, arrears, now=now)
        moved = PremiumInstalment.objects.filter(
            pk=instalment.pk, status=InstalmentStatus.DUE
        ).update(status=InstalmentStatus.PAID, paid_at=now, payment_reference=reference)
        if not moved:
            raise InvalidTransition(
                f"The premium due on {instalment.due_date.isoformat()} is already paid.",
                status=InstalmentStatus.PAID,
            )
        instalment.refresh_from_db()
        payment = PremiumPayment.objects.create(
            number=casework.next_reference(RECEIPT_PREFIX, now),
            instalment=instalment,
            policy=policy,
            amount=instalment.amount,
            currency=policy.currency,
            method=method,
            reference=reference,
            received_at=now,
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        payment.receipt = _receipt(payment, arrears, actor=actor, now=now)
        payment.save(update_fields=["receipt"])
        if arrears is not None:
            _after_arrears_payment(arrears, payment, actor=actor, now=now)
    return payment


def _check_payable(
    policy: Policy, instalment: PremiumInstalment, arrears: Arrears | None, *, now: dt.datetime
) -> None:
    """Step 3 of `record_premium_payment`, read with the policy row locked."""
    if instalment.policy_id != policy.pk:
        raise ValidationFailed("That premium is not on this policy.", field="due_date")
    if instalment.status != InstalmentStatus.DUE:
        raise InvalidTransition(
            f"The premium due on {instalment.due_date.isoformat()} is "
            f"{instalment.get_status_display().lower()}, not due.",
            status=instalment.status,
        )
    if policy.status == PolicyStatus.SUSPENDED and not _collects(policy, arrears):
        raise InvalidTransition(
            f"Cover of {policy.number} is suspended for unpaid premium. Apply to reinstate it "
            "first; once we agree, paying the arrears restores cover (IL Art. 37).",
            status=policy.status,
        )
    if not _collects(policy, arrears):
        raise InvalidTransition(
            f"Policy {policy.number} is {policy.get_status_display().lower()}: it takes no "
            "premium.",
            status=policy.status,
        )
    earliest = policy.instalments.filter(status=InstalmentStatus.DUE).order_by("due_date").first()
    if earliest is not None and earliest.pk != instalment.pk:
        raise ValidationFailed(
            f"Premiums are paid in order: pay the one due on {earliest.due_date.isoformat()} "
            "first.",
            field="due_date",
            earliest=earliest.due_date.isoformat(),
        )
    today = get_profile(policy.jurisdiction).today(now)
    opens = instalment.due_date - dt.timedelta(days=reminder_lead_days(policy.jurisdiction))
    if today < opens:
        raise ValidationFailed(
            f"The premium due on {instalment.due_date.isoformat()} can be paid from "
            f"{opens.isoformat()}.",
            field="due_date",
        )


def _after_arrears_payment(
    arrears: Arrears, payment: PremiumPayment, *, actor, now: dt.datetime
) -> None:
    """Record the payment on the arrears case; once nothing overdue is left, end the arrears:
    cleared in the grace period, or the policy reinstated after an agreed reinstatement."""
    from insuredesk.policies.services.reinstatement import reinstate

    policy = arrears.policy
    casework.record_event(
        arrears.case,
        kind="premium_paid",
        actor=actor,
        now=now,
        data={
            "receipt": payment.number,
            "due_date": payment.instalment.due_date.isoformat(),
            "amount": str(payment.amount),
            "currency": payment.currency,
            "method": payment.method,
        },
    )
    today = get_profile(policy.jurisdiction).today(now)
    # Reinstating needs every premium due by today; clearing, every premium already overdue.
    still = policy.instalments.filter(status=InstalmentStatus.DUE)
    status = arrears.case.status
    if status == ArrearsStatus.REINSTATEMENT_AGREED:
        if not still.filter(due_date__lte=today).exists():
            reinstate(arrears, actor=actor, now=now)
    elif status == ArrearsStatus.DEMANDED and not still.filter(due_date__lt=today).exists():
        casework.transition(
            arrears.case,
            to=ArrearsStatus.CLEARED,
            actor=actor,
            now=now,
            reason="The arrears are paid within the grace period; cover continued throughout.",
            event="cleared",
        )
        tell(policy, "cleared", key=f"arrears-cleared:{arrears.case.reference}", now=now)


def _receipt(payment: PremiumPayment, arrears: Arrears | None, *, actor, now: dt.datetime):
    """The receipt letter (`letters/premium_receipt/`), sent to the portal and by e-mail."""
    from insuredesk.documents.services import issue_letter

    policy = payment.policy
    chinese = reads_chinese(policy)
    instalment = payment.instalment
    letter = issue_letter(
        kind="premium_receipt",
        case=arrears.case if arrears is not None else None,
        customer=policy.policyholder,
        context={
            "receipt_number": payment.number,
            "policy_number": policy.number,
            "product": policy.product_version.product.name,
            "insured_name": policy.insured_name,
            "due_date": instalment.due_date,
            "amount": payment.amount,
            "currency": payment.currency,
            "method": payment.get_method_display(),
            "method_code": payment.method,
            "reference": payment.reference,
            "received_at": payment.received_at,
            "cover_start": policy.start_date,
            "cover_end": policy.end_date,
        },
        actor=actor,
        now=now,
        jurisdiction=policy.jurisdiction,
        language="zh" if chinese else "en",
        title=f"保险费收据 {payment.number}" if chinese else f"Premium receipt {payment.number}",
    )
    tell(
        policy,
        "receipt",
        key=f"premium-receipt:{payment.number}",
        now=now,
        letter=letter,
        case=arrears.case if arrears is not None else None,
        amount=f"{payment.currency} {payment.amount:,}",
        due=instalment.due_date.isoformat(),
        receipt=payment.number,
    )
    return letter


# -- telling the policyholder ----------------------------------------------------------------


def reads_chinese(policy: Policy) -> bool:
    """Letters and messages in Chinese for a CN policyholder who reads Chinese."""
    return policy.jurisdiction == "CN" and policy.policyholder.language == "zh"


def tell(
    policy: Policy,
    kind: str,
    *,
    key: str,
    now: dt.datetime,
    letter=None,
    case=None,
    **fields: Any,
) -> None:
    """A premium message (`wording.MESSAGES[kind]`) to the policyholder's portal inbox, and by
    e-mail when we have an address, through the outbox; `key` makes it once only."""
    from insuredesk.notifications.services import notify_customer

    subject, body = wording.message(
        kind, chinese=reads_chinese(policy), number=policy.number, **fields
    )
    notify_customer(
        policy.policyholder,
        subject=subject,
        body=body,
        dedupe_key=key[:190],
        case=case,
        letter=letter,
        now=now,
    )
