"""What the worker does with premiums on each pass, and the services behind it: the reminder
before a premium falls due (SVC-11), the demand notice once it is overdue, and suspension of
cover when it stays unpaid past the grace period (CN-15, IL Art. 36).

The rules, the premium position and paying live in `premiums`; reinstatement and termination
(IL Art. 37) in `reinstatement`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import F

from insuredesk.casework import services as casework
from insuredesk.customers.roles import has_role
from insuredesk.errors import Conflict, InvalidTransition, NotPermitted
from insuredesk.policies.choices import ArrearsStatus, InstalmentStatus, PolicyStatus
from insuredesk.policies.models import Arrears, Policy, PremiumInstalment
from insuredesk.policies.services.issuing import PERSONAL_LINES, SERVICING_ROLES
from insuredesk.policies.services.premiums import (
    ARREARS_KIND,
    COLLECTING,
    RULE_IDS,
    grace_applies,
    last_day_of,
    last_day_of_grace,
    open_arrears,
    premium_rules,
    reads_chinese,
    reminder_lead_days,
    tell,
)
from insuredesk.policies.services.transitions import move_policy
from insuredesk.rules.registry import get_profile


def sweep_day_bounds(now: dt.datetime) -> tuple[dt.date, dt.date]:
    """The earliest and latest date any jurisdiction has at `now`."""
    # Every jurisdiction's date at `now` lies within a day either side of UTC's, so the sweep's
    # queries can bound due dates without knowing the row's time zone; each row is then checked
    # against its own jurisdiction's date.
    utc_day = now.astimezone(dt.UTC).date()
    return utc_day - dt.timedelta(days=1), utc_day + dt.timedelta(days=1)


def send_premium_reminders(*, now: dt.datetime) -> int:
    """The worker's job (SVC-11): remind the policyholder of each premium once, from the
    reminder day (15 days before it falls due) until the due date. Returns how many were sent.

    Each reminder claims its instalment by compare-and-set on `reminded_at` in the same
    transaction as its outbox message, so two sweeps never send one twice and a crash loses
    none.
    """
    earliest, latest = sweep_day_bounds(now)
    longest = max((reminder_lead_days(code) for code in RULE_IDS), default=0)
    rows = (
        PremiumInstalment.objects.filter(
            status=InstalmentStatus.DUE,
            reminded_at__isnull=True,
            due_date__gte=earliest,
            due_date__lte=latest + dt.timedelta(days=longest),
            policy__status__in=COLLECTING,
        )
        .select_related("policy__policyholder")
        .order_by("due_date", "pk")
    )
    sent = 0
    for instalment in rows:
        policy = instalment.policy
        today = get_profile(policy.jurisdiction).today(now)
        lead = reminder_lead_days(policy.jurisdiction)
        if not lead or not today <= instalment.due_date <= today + dt.timedelta(days=lead):
            continue
        with transaction.atomic(durable=True):
            claimed = PremiumInstalment.objects.filter(
                pk=instalment.pk, status=InstalmentStatus.DUE, reminded_at__isnull=True
            ).update(reminded_at=now)
            if not claimed:
                continue  # paid, or reminded by another sweep, meanwhile
            tell(
                policy,
                "reminder",
                key=f"premium-reminder:{policy.number}:{instalment.due_date.isoformat()}",
                now=now,
                amount=f"{policy.currency} {instalment.amount:,}",
                due=instalment.due_date.isoformat(),
            )
        sent += 1
    return sent


def send_demand_notices(*, now: dt.datetime) -> int:
    """The worker's job (CN-15): a premium demand notice for every premium under a grace rule
    on the first day it is overdue. Returns how many notices were issued."""
    _, latest = sweep_day_bounds(now)
    rows = (
        PremiumInstalment.objects.filter(
            status=InstalmentStatus.DUE,
            demanded_at__isnull=True,
            due_date__lt=latest,
            due_date__gt=F("policy__start_date"),
            policy__status=PolicyStatus.IN_FORCE,
            policy__product_version__product__line__in=PERSONAL_LINES,
        )
        .select_related("policy__product_version__product")
        .order_by("due_date", "pk")
    )
    issued = 0
    for instalment in rows:
        policy = instalment.policy
        if get_profile(policy.jurisdiction).today(now) <= instalment.due_date:
            continue  # not yet overdue where the policy is
        if not grace_applies(policy, instalment):
            continue
        try:
            demand_premium(instalment=instalment, actor=None, now=now)
        except (Conflict, InvalidTransition):
            continue  # paid or suspended meanwhile
        issued += 1
    return issued


def demand_premium(*, instalment: PremiumInstalment, actor, now: dt.datetime) -> PremiumInstalment:
    """Send the premium demand notice for an overdue premium (CN-15, IL Art. 36).

    1. The premium is unpaid, overdue, not yet demanded, and under a grace rule (personal
       insurance, after the first premium); the policy is in force.
    2. The last day of cover is fixed now: the earlier of 30 days after this notice and 60 days
       after the due date (CN), or as the jurisdiction's SVC-12 says; it is printed on the
       notice and kept on the instalment.
    3. In one transaction: the policy's arrears case is opened (or found), the notice letter is
       issued on it and sent, and the instalment records the notice by compare-and-set.
    The worker calls this (`send_demand_notices`); staff see its result, they do not send it.
    """
    if actor is not None and not has_role(actor, *SERVICING_ROLES):
        raise NotPermitted("Your role does not send premium demands.")
    with transaction.atomic(durable=True):
        policy = (
            Policy.objects.select_for_update()
            .select_related("policyholder", "product_version__product")
            .get(pk=instalment.policy_id)
        )
        instalment = PremiumInstalment.objects.get(pk=instalment.pk)
        today = get_profile(policy.jurisdiction).today(now)
        if instalment.status != InstalmentStatus.DUE or instalment.demanded_at is not None:
            raise InvalidTransition("This premium is paid or already demanded.")
        if policy.status != PolicyStatus.IN_FORCE:
            raise InvalidTransition(
                "Only a policy in force gets a premium demand.", status=policy.status
            )
        if today <= instalment.due_date:
            raise InvalidTransition("This premium is not overdue yet.")
        last_day = last_day_of_grace(policy, instalment, demanded_at=now)
        if last_day is None:
            raise InvalidTransition(
                "No grace rule applies to this premium (the first premium, property "
                "insurance, or a jurisdiction without one)."
            )
        arrears = open_arrears(policy) or open_arrears_case(policy, actor=actor, now=now)
        letter = _demand_letter(policy, instalment, arrears, last_day, actor=actor, now=now)
        claimed = PremiumInstalment.objects.filter(
            pk=instalment.pk, status=InstalmentStatus.DUE, demanded_at__isnull=True
        ).update(demanded_at=now, demand_letter=letter, grace_ends_on=last_day)
        if not claimed:
            raise Conflict("The premium was paid or demanded meanwhile.")
        rules = premium_rules(policy.jurisdiction)
        casework.record_event(
            arrears.case,
            kind="demand_notice_sent",
            actor=actor,
            now=now,
            data={
                "due_date": instalment.due_date.isoformat(),
                "amount": str(instalment.amount),
                "currency": policy.currency,
                "covered_until": last_day.isoformat(),
                "rule": rules.grace_after_demand or rules.grace_after_due,
                "letter": str(letter.public_id),
            },
        )
        tell(
            policy,
            "demand",
            key=f"premium-demand:{policy.number}:{instalment.due_date.isoformat()}",
            now=now,
            letter=letter,
            case=arrears.case,
            amount=f"{policy.currency} {instalment.amount:,}",
            due=instalment.due_date.isoformat(),
            last_day=last_day.isoformat(),
            suspends_on=(last_day + dt.timedelta(days=1)).isoformat(),
        )
    instalment.refresh_from_db()
    return instalment


def open_arrears_case(policy: Policy, *, actor, now: dt.datetime) -> Arrears:
    """Open the policy's arrears case (status "demanded"); inside the caller's transaction,
    with the policy row locked so that no second one opens beside it."""
    case = casework.open_case(
        kind=ARREARS_KIND,
        title=f"Premium arrears on {policy.number}",
        actor=actor,
        now=now,
        customer=policy.policyholder,
        jurisdiction=policy.jurisdiction,
        data={"policy": policy.number},
    )
    return Arrears.objects.create(case=case, policy=policy)


def close_arrears(
    arrears: Arrears, *, to: str, actor, now: dt.datetime, reason: str, event: str
) -> None:
    """End the arrears case: move it to closing status `to` (compare-and-set, an event on its
    timeline) and stamp when it ended; inside the caller's transaction."""
    casework.transition(arrears.case, to=to, actor=actor, now=now, reason=reason, event=event)
    arrears.ended_at = now
    Arrears.objects.filter(pk=arrears.pk).update(ended_at=now)


def _demand_letter(
    policy: Policy,
    instalment: PremiumInstalment,
    arrears: Arrears,
    last_day: dt.date,
    *,
    actor,
    now: dt.datetime,
):
    from insuredesk.documents.services import issue_letter

    rules = premium_rules(policy.jurisdiction)
    profile = get_profile(policy.jurisdiction)
    rule_ids = [r for r in (rules.grace_after_demand, rules.grace_after_due) if r]
    chinese = reads_chinese(policy)
    return issue_letter(
        kind="premium_demand",
        case=arrears.case,
        customer=policy.policyholder,
        context={
            "policy_number": policy.number,
            "product": policy.product_version.product.name,
            "insured_name": policy.insured_name,
            "due_date": instalment.due_date,
            "amount": instalment.amount,
            "currency": policy.currency,
            "last_day": last_day,
            "suspends_on": last_day + dt.timedelta(days=1),
            "rules": [
                {"id": r, "text": profile.rule(r).text, "source": profile.rule(r).source}
                for r in rule_ids
            ],
            "unconfirmed": any(profile.rule(r).unconfirmed for r in rule_ids),
            "statutory": rules.grace_after_demand is not None,
        },
        actor=actor,
        now=now,
        jurisdiction=policy.jurisdiction,
        language="zh" if chinese else "en",
        title="保险费催告通知书" if chinese else "Premium demand notice",
    )


def suspend_unpaid_policies(*, now: dt.datetime) -> int:
    """The worker's job: suspend cover of every policy in force whose demanded premium is still
    unpaid after the last day of its grace period (CN-15). Returns how many were suspended.

    Only premiums that had their demand notice are read, so cover never stops before the
    policyholder was told the day it would (the demand job runs first in each pass).
    """
    _, latest = sweep_day_bounds(now)
    policy_ids = (
        PremiumInstalment.objects.filter(
            status=InstalmentStatus.DUE,
            grace_ends_on__lt=latest,
            policy__status=PolicyStatus.IN_FORCE,
        )
        .values_list("policy_id", flat=True)
        .distinct()
    )
    suspended = 0
    for policy in Policy.objects.filter(pk__in=list(policy_ids)).select_related(
        "product_version__product", "policyholder"
    ):
        try:
            suspend_for_arrears(actor=None, policy=policy, now=now)
        except (Conflict, InvalidTransition):
            continue  # paid meanwhile, or its grace has not ended in its own time zone
        suspended += 1
    return suspended


def suspension_due(policy: Policy, *, now: dt.datetime) -> PremiumInstalment | None:
    """The earliest unpaid premium whose grace period ended before today, if any."""
    today = get_profile(policy.jurisdiction).today(now)
    for instalment in policy.instalments.filter(status=InstalmentStatus.DUE, due_date__lt=today):
        last = instalment.grace_ends_on or last_day_of_grace(policy, instalment)
        if last is not None and last < today:
            return instalment
    return None


def suspend_for_arrears(*, actor, policy: Policy, now: dt.datetime) -> Policy:
    """Suspend cover of a policy whose premium is unpaid past its grace period.

    IL Art. 36 (CN-15): after the first premium, cover is suspended when a premium stays unpaid
    30 days after the insurer's demand notice or 60 days after its due date, whichever ends
    first (`last_day_of_grace`; GB and US-CA by their SVC-12). Personal insurance only.

    1. The actor is None (the worker) or servicing staff (underwriter, supervisor,
       administrator).
    2. The policy is in force and some premium's grace period has ended.
    3. In one transaction: the policy moves in force → suspended (compare-and-set), its arrears
       case (opened now if the premium was never demanded) becomes suspended with the last day
       to reinstate (CN-16: 2 years), and the suspension notice is issued and sent.
    """
    if actor is not None and not has_role(actor, *SERVICING_ROLES):
        raise NotPermitted("Your role does not suspend policies.")
    if policy.status != PolicyStatus.IN_FORCE:
        raise InvalidTransition("Only a policy in force can be suspended.", status=policy.status)
    if policy.product_version.product.line not in PERSONAL_LINES:
        raise InvalidTransition("Suspension for arrears applies to personal insurance only.")
    rules = premium_rules(policy.jurisdiction)
    if rules.grace_after_due is None:
        raise InvalidTransition(
            f"Jurisdiction {policy.jurisdiction} has no premium grace rule to suspend under."
        )
    overdue = suspension_due(policy, now=now)
    if overdue is None:
        raise InvalidTransition(
            "No premium is unpaid past its grace period: cover continues "
            f"({rules.grace_after_demand or rules.grace_after_due}, "
            f"{get_profile(policy.jurisdiction).rule(rules.grace_after_due).source})."
        )
    with transaction.atomic(durable=True):
        policy = move_policy(
            policy, expected=PolicyStatus.IN_FORCE, to=PolicyStatus.SUSPENDED, now=now
        )
        arrears = open_arrears(policy) or open_arrears_case(policy, actor=actor, now=now)
        reinstate_by = (
            last_day_of(rules.jurisdiction, rules.reinstate_within, now)
            if rules.reinstate_within
            else None
        )
        last_day = overdue.grace_ends_on or last_day_of_grace(policy, overdue)
        casework.transition(
            arrears.case,
            to=ArrearsStatus.SUSPENDED,
            actor=actor,
            now=now,
            reason=f"The premium due on {overdue.due_date.isoformat()} is unpaid after "
            f"{last_day.isoformat() if last_day else 'its grace period'}.",
            event="suspended",
            data={
                "due_date": overdue.due_date.isoformat(),
                "covered_until": last_day.isoformat() if last_day else None,
                "reinstate_by": reinstate_by.isoformat() if reinstate_by else None,
            },
        )
        arrears.suspended_at = now
        arrears.reinstate_by = reinstate_by
        arrears.suspension_letter = _suspension_letter(
            policy, arrears, overdue, actor=actor, now=now
        )
        arrears.save(update_fields=["suspended_at", "reinstate_by", "suspension_letter"])
        tell(
            policy,
            "suspended",
            key=f"policy-suspended:{arrears.case.reference}",
            now=now,
            letter=arrears.suspension_letter,
            case=arrears.case,
            suspends_on=get_profile(policy.jurisdiction).today(now).isoformat(),
            reinstate_by=reinstate_by.isoformat() if reinstate_by else "—",
        )
    return policy


def _suspension_letter(
    policy: Policy, arrears: Arrears, overdue: PremiumInstalment, *, actor, now: dt.datetime
):
    from insuredesk.documents.services import issue_letter

    rules = premium_rules(policy.jurisdiction)
    profile = get_profile(policy.jurisdiction)
    unpaid = list(
        policy.instalments.filter(status=InstalmentStatus.DUE, due_date__lt=profile.today(now))
    )
    chinese = reads_chinese(policy)
    reinstate_rule = profile.rule(rules.reinstate_within) if rules.reinstate_within else None
    grace_rule = profile.rule(rules.grace_after_demand or rules.grace_after_due or "")
    return issue_letter(
        kind="policy_suspension",
        case=arrears.case,
        customer=policy.policyholder,
        context={
            "policy_number": policy.number,
            "product": policy.product_version.product.name,
            "insured_name": policy.insured_name,
            "due_date": overdue.due_date,
            "covered_until": overdue.grace_ends_on or last_day_of_grace(policy, overdue),
            "suspended_on": profile.today(now),
            "demanded_on": profile.today(overdue.demanded_at) if overdue.demanded_at else None,
            "unpaid": [{"due_date": i.due_date, "amount": i.amount} for i in unpaid],
            "arrears": sum((i.amount for i in unpaid), Decimal("0.00")),
            "currency": policy.currency,
            "reinstate_by": arrears.reinstate_by,
            "grace_rule": {"id": grace_rule.id, "source": grace_rule.source},
            "reinstate_rule": (
                {"id": reinstate_rule.id, "source": reinstate_rule.source}
                if reinstate_rule
                else None
            ),
            "unconfirmed": grace_rule.unconfirmed,
        },
        actor=actor,
        now=now,
        jurisdiction=policy.jurisdiction,
        language="zh" if chinese else "en",
        title="合同效力中止通知书" if chinese else "Notice of suspension of cover",
    )


def sweep_premiums(*, now: dt.datetime) -> dict[str, int]:
    """One pass of the worker: reminders, demand notices, suspensions, terminations, in that
    order (a premium gets its demand before its policy can be suspended)."""
    from insuredesk.policies.services.reinstatement import terminate_unreinstated_policies

    return {
        "reminders": send_premium_reminders(now=now),
        "demands": send_demand_notices(now=now),
        "suspended": suspend_unpaid_policies(now=now),
        "terminated": terminate_unreinstated_policies(now=now),
    }
