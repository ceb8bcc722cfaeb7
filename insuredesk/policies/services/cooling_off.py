"""Cancellation in the cooling-off period: how long it lasts and why (CN-09, CN-10, GB-01),
and undoing the contract with a refund of every premium paid."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from insuredesk.catalog.choices import Line
from insuredesk.customers.roles import has_role
from insuredesk.errors import InvalidTransition, NotPermitted, ValidationFailed
from insuredesk.policies.choices import InstalmentStatus, PolicyStatus
from insuredesk.policies.models import Cancellation, Policy
from insuredesk.policies.services.issuing import ISSUING_ROLES, PERSONAL_LINES, add_years
from insuredesk.policies.services.premiums import premium_paid
from insuredesk.policies.services.transitions import move_policy
from insuredesk.rules.deadlines import compute_deadline
from insuredesk.rules.registry import get_profile


@dataclass(frozen=True)
class CoolingOff:
    """How long the policyholder may cancel a policy for a full refund, and why that long."""

    received_on: dt.date
    ends_on: dt.date  # the last day a cancellation is accepted, local to the policy's jurisdiction
    basis: str  # e.g. "CN-09, HM Art. 15: 15 days" or "the contract: 15 days"
    rule: str | None  # the statutory rule that set the period; None when the contract did

    def is_open(self, today: dt.date) -> bool:
        return today <= self.ends_on


def statutory_cooling_off_rule(policy: Policy) -> str | None:
    """The rule of the policy's jurisdiction that gives it a cooling-off period, if any.

    CN: long-term (over a year) health cover, CN-09 (HM Art. 15); other personal insurance over
    a year, CN-10 (an unconfirmed industry default). GB: 30 days for pure protection (life and
    critical illness), 14 for other contracts (GB-01, ICOBS 7.1.1R). US-CA's profile has no such
    rule yet, so there the contract's own period applies alone.
    """
    line = policy.product_version.product.line
    over_a_year = policy.end_date >= add_years(policy.start_date, 1)
    candidates: list[str] = []
    if policy.jurisdiction == "CN" and over_a_year:
        if line == Line.CRITICAL_ILLNESS:
            candidates.append("CN-09")
        if line in PERSONAL_LINES:
            candidates.append("CN-10")
    elif policy.jurisdiction == "GB":
        candidates.append("GB-01" if line in PERSONAL_LINES else "GB-01.other")
    profile = get_profile(policy.jurisdiction)
    return next((rule_id for rule_id in candidates if profile.has_rule(rule_id)), None)


def cooling_off_period(policy: Policy) -> CoolingOff:
    """The policy's cooling-off period: the longer of the statutory one and the contract's.

    It runs from the day the policyholder received the policy. InsureDesk delivers the policy
    to the customer's portal when it is issued, so that day is the day of issue. A statutory
    last day that falls on a holiday moves as the jurisdiction's profile says (CN: to the next
    working day); the contract's period (`cooling_off_days` of the product version) counts
    calendar days.
    """
    profile = get_profile(policy.jurisdiction)
    received = profile.today(policy.issued_at)
    contract_days = policy.product_version.cooling_off_days
    contract_end = received + dt.timedelta(days=contract_days)
    rule_id = statutory_cooling_off_rule(policy)
    if rule_id is not None:
        statutory = compute_deadline(
            jurisdiction=policy.jurisdiction, rule=rule_id, start=policy.issued_at
        )
        if statutory.due_date >= contract_end:
            days = (statutory.due_date - received).days
            basis = f"{rule_id}, {statutory.source}: {days} days"
            return CoolingOff(received, statutory.due_date, basis[:200], rule_id)
    return CoolingOff(received, contract_end, f"the contract: {contract_days} days", None)


def open_cooling_off(policy: Policy, *, now: dt.datetime) -> CoolingOff | None:
    """The policy's cooling-off period while it may still be cancelled in it, else None."""
    if policy.status not in (PolicyStatus.PENDING, PolicyStatus.IN_FORCE):
        return None
    period = cooling_off_period(policy)
    return period if period.is_open(get_profile(policy.jurisdiction).today(now)) else None


def cancel_in_cooling_off(
    *, actor, policy: Policy, now: dt.datetime, reason: str = ""
) -> Cancellation:
    """Cancel a policy at its policyholder's request within the cooling-off period.

    1. The actor is the policyholder, or staff recording the policyholder's request (agent,
       underwriter, supervisor, administrator).
    2. The policy is pending or in force, no claim has been reported on it, and today (in its
       jurisdiction) is within the period of `cooling_off_period`; after it, ending the
       contract is a surrender (CN-14).
    3. In one transaction: the policy moves to cancelled (compare-and-set), premiums due are
       waived, every premium paid is owed back, and the confirmation letter with the refund is
       issued and sent to the portal (and by e-mail when we have an address).
    """
    is_holder = policy.policyholder.user_id is not None and policy.policyholder.user_id == getattr(
        actor, "pk", None
    )
    if not is_holder and not has_role(actor, *ISSUING_ROLES):
        raise NotPermitted("Only the policyholder, or staff at their request, cancels a policy.")
    reason = (reason or "").strip()
    if len(reason) > 500:
        raise ValidationFailed("The reason is longer than 500 characters.", field="reason")
    if policy.status not in (PolicyStatus.PENDING, PolicyStatus.IN_FORCE):
        raise InvalidTransition(
            "Only a pending policy or one in force can be cancelled.", status=policy.status
        )
    if policy.claims.exists():
        raise InvalidTransition(
            "A claim has been reported on this policy, so it can no longer be undone for a full "
            "refund; contact us to end it."
        )
    period = cooling_off_period(policy)
    today = get_profile(policy.jurisdiction).today(now)
    if not period.is_open(today):
        raise InvalidTransition(
            f"The cooling-off period ended on {period.ends_on.isoformat()} ({period.basis}). "
            "The policy can still be surrendered; ask us for its cash value."
        )
    with transaction.atomic(durable=True):
        policy = move_policy(policy, expected=policy.status, to=PolicyStatus.CANCELLED, now=now)
        paid = premium_paid(policy)
        policy.instalments.filter(status=InstalmentStatus.DUE).update(
            status=InstalmentStatus.WAIVED
        )
        cancellation = Cancellation.objects.create(
            policy=policy,
            requested_at=now,
            requested_by=actor if getattr(actor, "is_authenticated", False) else None,
            reason=reason,
            period_ends_on=period.ends_on,
            basis=period.basis,
            refund=paid,
            currency=policy.currency,
        )
        cancellation.letter = _cancellation_letter(cancellation, period, actor=actor, now=now)
        cancellation.save(update_fields=["letter"])
    return cancellation


def _cancellation_letter(
    cancellation: Cancellation, period: CoolingOff, *, actor, now: dt.datetime
):
    """The written confirmation: `letters/policy_cancellation/`, in Chinese for a CN policyholder
    who reads Chinese; sent to the portal inbox, and by e-mail when we have an address."""
    from insuredesk.documents.services import issue_letter
    from insuredesk.notifications.services import notify_customer

    policy = cancellation.policy
    customer = policy.policyholder
    chinese = policy.jurisdiction == "CN" and customer.language == "zh"
    amount = f"{cancellation.currency} {cancellation.refund}"
    if chinese:
        title = "犹豫期内解除保险合同确认书"
        body = (
            f"您的保单{policy.number}已在犹豫期内解除，"  # noqa: RUF001
            f"已缴保险费{amount}将全额退还。确认书已送达您的客户门户。"
        )
    else:
        title = "Your policy is cancelled in the cooling-off period"
        body = (
            f"Policy {policy.number} is cancelled as you asked, within the cooling-off period. "
            f"We refund the premium you paid, {amount}; the letter in your portal confirms it."
        )
    source = get_profile(policy.jurisdiction).rule(period.rule).source if period.rule else ""
    letter = issue_letter(
        kind="policy_cancellation",
        customer=customer,
        context={
            "policy_number": policy.number,
            "product": policy.product_version.product.name,
            "issued_on": period.received_on,
            "period_ends_on": period.ends_on,
            "period_days": (period.ends_on - period.received_on).days,
            "basis": period.basis,
            "rule": period.rule or "",
            "rule_source": source,
            "refund": cancellation.refund,
            "currency": cancellation.currency,
            "reason": cancellation.reason,
        },
        actor=actor,
        now=now,
        jurisdiction=policy.jurisdiction,
        language="zh" if chinese else "en",
        title=title,
    )
    notify_customer(
        customer,
        subject=f"{policy.number}: {title}",
        body=body,
        dedupe_key=f"policy-cancelled:{policy.number}",
        letter=letter,
        now=now,
    )
    return letter
