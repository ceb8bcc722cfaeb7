"""Premiums after issue: payments, suspension for arrears (IL Art. 36) and termination of a
policy suspended beyond the reinstatement period (IL Art. 37)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from insuredesk.customers.roles import has_role
from insuredesk.errors import InvalidTransition, NotPermitted, ValidationFailed
from insuredesk.policies.choices import InstalmentStatus, PolicyStatus
from insuredesk.policies.models import Policy, PremiumInstalment
from insuredesk.policies.services.issuing import PERSONAL_LINES, SERVICING_ROLES, add_years
from insuredesk.policies.services.transitions import move_policy
from insuredesk.rules.errors import UnknownRule
from insuredesk.rules.registry import get_profile


def record_premium_payment(
    *,
    actor,
    instalment: PremiumInstalment,
    reference: str,
    now: dt.datetime,
) -> PremiumInstalment:
    """Mark a due premium instalment paid. Paying arrears does not reinstate a suspended
    policy by itself: reinstatement needs the insurer's agreement (IL Art. 37)."""
    if not reference.strip():
        raise ValidationFailed("Give the payment reference.", field="reference")
    with transaction.atomic(durable=True):
        moved = PremiumInstalment.objects.filter(
            pk=instalment.pk, status=InstalmentStatus.DUE
        ).update(status=InstalmentStatus.PAID, paid_at=now, payment_reference=reference[:60])
        if not moved:
            raise InvalidTransition("This instalment is not due.", status=instalment.status)
    instalment.refresh_from_db()
    return instalment


def suspend_for_arrears(*, actor, policy: Policy, now: dt.datetime) -> Policy:
    """Suspend a personal-insurance policy whose premium is unpaid past the grace period.

    IL Art. 36 (rule CN-15 `after_due`): after the first premium, cover is suspended when a
    premium stays unpaid 60 days after its due date. The grace period comes from the policy's
    jurisdiction profile; a jurisdiction without the rule cannot suspend this way.
    """
    if actor is not None and not has_role(actor, *SERVICING_ROLES):
        raise NotPermitted("Your role does not suspend policies.")
    if policy.status != PolicyStatus.IN_FORCE:
        raise InvalidTransition("Only a policy in force can be suspended.", status=policy.status)
    if policy.product_version.product.line not in PERSONAL_LINES:
        raise InvalidTransition("Suspension for arrears applies to personal insurance only.")
    try:
        grace_days = get_profile(policy.jurisdiction).rule("CN-15.after_due").length_in("days")
    except UnknownRule:
        raise InvalidTransition(
            f"Jurisdiction {policy.jurisdiction} has no premium grace rule to suspend under."
        ) from None
    today = get_profile(policy.jurisdiction).today(now)
    overdue = (
        policy.instalments.filter(status=InstalmentStatus.DUE, due_date__gt=policy.start_date)
        .order_by("due_date")
        .first()
    )
    if overdue is None or today <= overdue.due_date + dt.timedelta(days=grace_days):
        raise InvalidTransition(
            f"No premium has been unpaid more than {grace_days} days after its due date "
            "(IL Art. 36)."
        )
    with transaction.atomic(durable=True):
        return move_policy(
            policy, expected=PolicyStatus.IN_FORCE, to=PolicyStatus.SUSPENDED, now=now
        )


def terminate_suspended_policy(*, actor, policy: Policy, now: dt.datetime) -> Policy:
    """End a policy suspended for longer than the reinstatement period (IL Art. 37, CN-16:
    2 years); the cash value is then due to the policyholder."""
    if actor is not None and not has_role(actor, *SERVICING_ROLES):
        raise NotPermitted("Your role does not terminate policies.")
    if policy.status != PolicyStatus.SUSPENDED or policy.status_changed_at is None:
        raise InvalidTransition("Only a suspended policy can be terminated.", status=policy.status)
    profile = get_profile(policy.jurisdiction)
    try:
        reinstatement_years = profile.rule("CN-16").length_in("years")
    except UnknownRule:
        raise InvalidTransition(
            f"Jurisdiction {policy.jurisdiction} has no reinstatement rule."
        ) from None
    suspended_on = profile.today(policy.status_changed_at)
    if profile.today(now) <= add_years(suspended_on, reinstatement_years):
        raise InvalidTransition(
            f"The policyholder may still reinstate it: {reinstatement_years} years from "
            "suspension have not passed (IL Art. 37)."
        )
    with transaction.atomic(durable=True):
        return move_policy(policy, expected=PolicyStatus.SUSPENDED, to=PolicyStatus.LAPSED, now=now)


def premium_paid(policy: Policy) -> Decimal:
    """Every premium instalment the policyholder has paid on the policy."""
    paid = policy.instalments.filter(status=InstalmentStatus.PAID).aggregate(total=Sum("amount"))
    return (paid["total"] or Decimal("0")).quantize(Decimal("0.01"))  # SQLite drops the cents
