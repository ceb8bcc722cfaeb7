"""Surrender: the policyholder ends the contract after the cooling-off period, and we pay back
what the policy is worth that day (CN-14, IL Art. 47: the cash value within 30 days of the
notice; property insurance: the unexpired premium as the contract says, IL Art. 54).

The amount comes from the product version's surrender terms (`catalog.surrender`). A version
without terms has no value the desk can work out, so the surrender is still taken (the right
to end the contract does not wait for our tables) and staff state the amount when they pay.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction

from insuredesk.casework import services as casework
from insuredesk.catalog.surrender import (
    PaidPeriod,
    SurrenderValue,
    YearEnd,
    cash_value_table,
    surrender_value,
)
from insuredesk.customers.roles import has_role
from insuredesk.errors import Conflict, InvalidTransition, NotPermitted, ValidationFailed
from insuredesk.policies import wording
from insuredesk.policies.choices import (
    ArrearsStatus,
    InstalmentStatus,
    PolicyStatus,
    SurrenderStatus,
)
from insuredesk.policies.models import Policy, PremiumInstalment, Surrender
from insuredesk.policies.services.arrears import close_arrears
from insuredesk.policies.services.cooling_off import open_cooling_off
from insuredesk.policies.services.issuing import ISSUING_ROLES
from insuredesk.policies.services.premiums import (
    PAYMENT_ROLES,
    open_arrears,
    reads_chinese,
    tell,
)
from insuredesk.policies.services.transitions import move_policy
from insuredesk.rules.registry import get_profile

SURRENDER_KIND = "surrender"
SURRENDERABLE = (PolicyStatus.IN_FORCE, PolicyStatus.SUSPENDED)
REFUND_ROLES = PAYMENT_ROLES  # the staff who take money in also record money paid out
MAX_ACCOUNT = 120
MAX_REASON = 500
MAX_PAYMENT_REFERENCE = 60


def _paid_periods(policy: Policy, instalments: list[PremiumInstalment]) -> list[PaidPeriod]:
    """Each premium paid with the days it pays for: from its due date to the next one's (the
    last one's to the day after the policy ends). `instalments` in due-date order."""
    periods = []
    for index, instalment in enumerate(instalments):
        if instalment.status != InstalmentStatus.PAID:
            continue
        following = instalments[index + 1].due_date if index + 1 < len(instalments) else None
        ends = following or policy.end_date + dt.timedelta(days=1)
        periods.append(PaidPeriod(instalment.due_date, ends, instalment.amount))
    return periods


def _in_order(policy: Policy, instalments: list[PremiumInstalment] | None):
    return instalments if instalments is not None else list(policy.instalments.order_by("due_date"))


def surrender_quote(
    policy: Policy, *, on: dt.date, instalments: list[PremiumInstalment] | None = None
) -> SurrenderValue | None:
    """What surrendering the policy at the close of `on` pays back; None when its product
    version holds no surrender terms. `instalments`, in due-date order, saves reading them."""
    return surrender_value(
        policy.product_version.surrender_terms,
        start=policy.start_date,
        end=policy.end_date,
        on=max(on, policy.start_date),
        paid=_paid_periods(policy, _in_order(policy, instalments)),
        currency=policy.currency,
    )


def cash_values(
    policy: Policy, *, instalments: list[PremiumInstalment] | None = None
) -> list[YearEnd] | None:
    """The policy's table of year-end cash values (its schedule), premiums paid when due; None
    for a product whose surrender pays no cash value table."""
    return cash_value_table(
        policy.product_version.surrender_terms,
        start=policy.start_date,
        end=policy.end_date,
        premiums_due=[(i.due_date, i.amount) for i in _in_order(policy, instalments)],
    )


def why_not_surrender(policy: Policy, *, now: dt.datetime) -> str | None:
    """Why the policy cannot be surrendered now, in words for the customer; None if it can."""
    if hasattr(policy, "surrender"):
        return f"Policy {policy.number} is already surrendered ({policy.surrender.case.reference})."
    if policy.status not in SURRENDERABLE:
        return (
            f"Only a policy in force or suspended can be surrendered; this one is "
            f"{policy.get_status_display().lower()}."
        )
    if open_cooling_off(policy, now=now) is not None:
        return (
            "The policy is still in its cooling-off period: cancel it instead and every premium "
            "paid comes back."
        )
    if policy.claims.filter(case__closed_at__isnull=True).exists():
        return "A claim on this policy is still open: we decide it first, as it may change the sum."
    arrears = open_arrears(policy)
    if arrears is not None and arrears.case.status == ArrearsStatus.REINSTATEMENT_REQUESTED:
        return "An application to reinstate the policy waits for our decision: it is decided first."
    return None


def _text(value: str, *, field: str, limit: int, required: bool, label: str) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(f"Give {label}.", field=field)
    if len(value) > limit:
        raise ValidationFailed(f"{label.capitalize()} is over {limit} characters.", field=field)
    return value


def amount_text(amount: Decimal | None, currency: str) -> str:
    """The amount as messages and letters write it, e.g. CNY 1,234.50; empty while unknown."""
    return f"{currency} {amount:,.2f}" if amount is not None else ""


def request_surrender(
    *, actor, policy: Policy, now: dt.datetime, refund_account: str, reason: str = ""
) -> Surrender:
    """Take the policyholder's surrender notice: the contract ends today, the value is fixed.

    1. The actor is the policyholder, or staff recording the notice given at a counter or by
       phone (agent, underwriter, supervisor, administrator).
    2. The policy is in force or suspended, past its cooling-off period (within it, cancelling
       refunds every premium), with no open claim and no reinstatement application waiting.
    3. In one transaction: the policy moves to surrendered (compare-and-set), premiums not yet
       paid are waived, an open arrears case ends, the surrender case opens with its refund
       clock (CN-14: 30 days), and the confirmation letter with the amount and how it is
       worked out is issued and sent. A policy worth nothing that day closes at once.
    """
    is_holder = policy.policyholder.user_id is not None and policy.policyholder.user_id == getattr(
        actor, "pk", None
    )
    if not is_holder and not has_role(actor, *ISSUING_ROLES):
        raise NotPermitted("Only the policyholder, or staff at their request, surrenders a policy.")
    account = _text(
        refund_account,
        field="refund_account",
        limit=MAX_ACCOUNT,
        required=True,
        label="the bank and account to pay the refund into",
    )
    reason = _text(reason, field="reason", limit=MAX_REASON, required=False, label="the reason")
    with transaction.atomic(durable=True):
        policy = (
            Policy.objects.select_for_update()
            .select_related("policyholder", "product_version__product")
            .get(pk=policy.pk)
        )
        refusal = why_not_surrender(policy, now=now)
        if refusal is not None:
            raise InvalidTransition(refusal, status=policy.status)
        today = get_profile(policy.jurisdiction).today(now)
        quote = surrender_quote(policy, on=today)
        arrears = open_arrears(policy)
        policy = move_policy(policy, expected=policy.status, to=PolicyStatus.SURRENDERED, now=now)
        policy.instalments.filter(status=InstalmentStatus.DUE).update(
            status=InstalmentStatus.WAIVED
        )
        if arrears is not None:
            close_arrears(
                arrears,
                to=ArrearsStatus.TERMINATED,
                actor=actor,
                now=now,
                reason=f"The policyholder surrendered policy {policy.number}.",
                event="surrendered",
            )
        case = casework.open_case(
            kind=SURRENDER_KIND,
            title=f"Surrender of {policy.number}",
            actor=actor,
            now=now,
            customer=policy.policyholder,
            jurisdiction=policy.jurisdiction,
            data={"policy": policy.number},
        )
        clock = casework.open_clock(case, "refund")
        surrender = Surrender.objects.create(
            case=case,
            policy=policy,
            requested_at=now,
            requested_by=actor if getattr(actor, "is_authenticated", False) else None,
            reason=reason,
            refund_account=account,
            ended_on=today,
            value=quote.as_dict() if quote else {},
            amount=quote.amount if quote else None,
            currency=policy.currency,
            refund_by=clock.due_date if clock else None,
        )
        surrender.letter = _confirmation_letter(surrender, quote, clock, actor=actor, now=now)
        surrender.save(update_fields=["letter"])
        fields = {
            "ended_on": today.isoformat(),
            "refund_by": surrender.refund_by.isoformat() if surrender.refund_by else "",
            "account": account,
        }
        if quote is not None and quote.amount == 0:
            casework.transition(
                case,
                to=SurrenderStatus.NOTHING_DUE,
                actor=actor,
                now=now,
                reason="The policy had no surrender value on the day it ended.",
                event="nothing_due",
            )
            tell(
                policy,
                "surrender_nothing_due",
                key=f"surrender:{case.reference}",
                now=now,
                letter=surrender.letter,
                case=case,
                **fields,
            )
        else:
            amount = (
                amount_text(surrender.amount, surrender.currency)
                or wording.VALUE_TO_BE_STATED["zh" if reads_chinese(policy) else "en"]
            )
            tell(
                policy,
                "surrender_received",
                key=f"surrender:{case.reference}",
                now=now,
                letter=surrender.letter,
                case=case,
                amount=amount,
                **fields,
            )
    return surrender


def record_surrender_refund(
    *,
    actor,
    surrender: Surrender,
    now: dt.datetime,
    reference: str,
    amount: Decimal | str | None = None,
) -> Surrender:
    """Record the refund paid, and tell the policyholder the amount.

    1. The actor is staff who handle money (agent, supervisor, administrator).
    2. The refund is still due. Where the value was worked out, `amount` may be left out and
       must otherwise equal it; where it was not, `amount` is required (what staff worked out
       from the policy schedule).
    3. In one transaction: the amount and the payment reference are kept, the case moves to
       refunded (compare-and-set, which stops the refund clock) and the policyholder is told
       the amount paid.
    """
    if not has_role(actor, *REFUND_ROLES):
        raise NotPermitted("Your role does not record refunds.")
    reference = _text(
        reference,
        field="reference",
        limit=MAX_PAYMENT_REFERENCE,
        required=True,
        label="the payment reference",
    )
    stated = _amount(amount)
    with transaction.atomic(durable=True):
        surrender = (
            Surrender.objects.select_for_update()
            .select_related("case", "policy__policyholder")
            .get(pk=surrender.pk)
        )
        if surrender.case.status != SurrenderStatus.REFUND_DUE:
            raise Conflict(
                f"{surrender.case.reference} is {surrender.case.status_label.lower()}: "
                "no refund is due.",
                reference=surrender.case.reference,
            )
        if surrender.amount is None and stated is None:
            raise ValidationFailed(
                "No surrender terms were held for this product: state the amount paid.",
                field="amount",
            )
        if surrender.amount is not None and stated is not None and stated != surrender.amount:
            raise ValidationFailed(
                f"The refund due is {amount_text(surrender.amount, surrender.currency)}; pay that "
                "amount.",
                field="amount",
            )
        paid = surrender.amount if surrender.amount is not None else stated
        surrender.amount = paid
        surrender.paid_at = now
        surrender.paid_by = actor
        surrender.payment_reference = reference
        surrender.save(update_fields=["amount", "paid_at", "paid_by", "payment_reference"])
        casework.transition(
            surrender.case,
            to=SurrenderStatus.REFUNDED,
            actor=actor,
            now=now,
            reason=f"{amount_text(paid, surrender.currency)} paid, reference {reference}.",
            event="refunded",
            data={"amount": str(paid), "currency": surrender.currency, "reference": reference},
        )
        tell(
            surrender.policy,
            "surrender_refunded",
            key=f"surrender-refunded:{surrender.case.reference}",
            now=now,
            case=surrender.case,
            amount=amount_text(paid, surrender.currency),
            account=surrender.refund_account,
            reference=reference,
        )
    return surrender


def _amount(value: Decimal | str | None) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ValidationFailed(f"{value!r} is not an amount.", field="amount") from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationFailed("Give an amount to the cent, not below 0.", field="amount")
    if amount >= Decimal("1e10"):
        raise ValidationFailed("The amount is too large.", field="amount")
    return amount


def _confirmation_letter(
    surrender: Surrender, quote: SurrenderValue | None, clock, *, actor, now: dt.datetime
):
    """`letters/policy_surrender/`: the contract ended, the amount and how it is made up, the
    account and the day it is paid by; in Chinese for a CN policyholder who reads Chinese."""
    from insuredesk.documents.services import issue_letter

    policy = surrender.policy
    chinese = reads_chinese(policy)
    profile = get_profile(policy.jurisdiction)
    rule = profile.rule(clock.rule) if clock is not None and clock.rule else None
    return issue_letter(
        kind="policy_surrender",
        case=surrender.case,
        customer=policy.policyholder,
        context={
            "policy_number": policy.number,
            "product": policy.product_version.product.name,
            "insured_name": policy.insured_name,
            "received_on": profile.today(surrender.requested_at),
            "ended_on": surrender.ended_on,
            "value": quote.as_dict() if quote else None,
            "amount": surrender.amount,
            "currency": surrender.currency,
            "account": surrender.refund_account,
            "refund_by": surrender.refund_by,
            "rule": rule.cited() if rule else None,
        },
        actor=actor,
        now=now,
        jurisdiction=policy.jurisdiction,
        language="zh" if chinese else "en",
        title="退保确认书" if chinese else "Confirmation of your surrender",
    )
