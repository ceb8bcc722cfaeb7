"""Reinstating a policy suspended for unpaid premium, by agreement (IL Art. 37, CN-16), and
terminating one that was not reinstated within the period.

The steps are transitions of the policy's arrears case (`premiums`): suspended → reinstatement
requested → agreed (then reinstated when the arrears are paid) or, declined, back to suspended;
and suspended (or agreed but never paid) → terminated once the period is over.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from insuredesk.casework import services as casework
from insuredesk.customers.roles import has_role
from insuredesk.errors import (
    Conflict,
    InvalidTransition,
    NotPermitted,
    ValidationFailed,
    clean_text,
)
from insuredesk.policies.choices import (
    ArrearsStatus,
    InstalmentStatus,
    PolicyStatus,
    ReinstatementDecision,
)
from insuredesk.policies.models import Arrears, Policy, Reinstatement
from insuredesk.policies.services.arrears import (
    close_arrears,
    open_arrears_case,
    sweep_day_bounds,
)
from insuredesk.policies.services.issuing import ISSUING_ROLES, SERVICING_ROLES
from insuredesk.policies.services.premiums import (
    is_policyholder,
    last_day_of,
    open_arrears,
    premium_rules,
    reads_chinese,
    tell,
)
from insuredesk.policies.services.surrender import surrender_quote
from insuredesk.policies.services.transitions import move_policy
from insuredesk.rules.registry import get_profile

# Who decides a reinstatement: the people who underwrite (a reinstatement is underwriting again).
DECIDING_ROLES = SERVICING_ROLES
MAX_STATEMENT = 2000
MAX_REASONS = 4000


def reinstatement_deadline(policy: Policy, arrears: Arrears | None) -> dt.date | None:
    """The last day the policy may be reinstated: as fixed at suspension, or (for a policy
    suspended before arrears cases existed) counted from its status change; None where the
    jurisdiction has no reinstatement rule."""
    if arrears is not None and arrears.reinstate_by is not None:
        return arrears.reinstate_by
    rule = premium_rules(policy.jurisdiction).reinstate_within
    if rule is None or policy.status_changed_at is None:
        return None
    return last_day_of(policy.jurisdiction, rule, policy.status_changed_at)


def outstanding(policy: Policy, *, now: dt.datetime) -> tuple[list, Decimal]:
    """The premiums due by today that reinstatement requires paid, and their total."""
    today = get_profile(policy.jurisdiction).today(now)
    unpaid = list(
        policy.instalments.filter(status=InstalmentStatus.DUE, due_date__lte=today).order_by(
            "due_date"
        )
    )
    return unpaid, sum((i.amount for i in unpaid), Decimal("0.00"))


def can_apply_for_reinstatement(policy: Policy, arrears: Arrears | None) -> bool:
    """Cheap guard for pages: suspended, with no application waiting or agreed (`arrears` is
    the policy's open arrears case, if any). `apply_for_reinstatement` checks it all again."""
    return policy.status == PolicyStatus.SUSPENDED and (
        arrears is None or arrears.case.status == ArrearsStatus.SUSPENDED
    )


def apply_for_reinstatement(
    *, actor, policy: Policy, now: dt.datetime, statement: str = ""
) -> Reinstatement:
    """The policyholder applies to reinstate a suspended policy (IL Art. 37).

    1. The actor is the policyholder, or staff who sell recording the policyholder's request.
    2. The policy is suspended and no application is waiting or agreed; today is within the
       reinstatement period (CN-16: 2 years from the suspension).
    3. In one transaction: the arrears case moves suspended → reinstatement requested
       (compare-and-set: a double submission applies once; the event starts the SVC-14
       decision clock), the application is written with the policyholder's statement, and
       the policyholder is told by when we decide.
    """
    if not is_policyholder(policy, actor) and not has_role(actor, *ISSUING_ROLES):
        raise NotPermitted("Only the policyholder, or staff at their request, applies.")
    statement = clean_text(statement, field="statement", max_length=MAX_STATEMENT, required=False)
    if policy.status != PolicyStatus.SUSPENDED:
        raise InvalidTransition(
            "Only a policy whose cover is suspended can be reinstated.", status=policy.status
        )
    with transaction.atomic(durable=True):
        policy = Policy.objects.select_for_update().select_related("policyholder").get(pk=policy.pk)
        arrears = open_arrears(policy) or _legacy_arrears(policy, now=now)
        status = arrears.case.status
        if status != ArrearsStatus.SUSPENDED:
            raise InvalidTransition(
                "An application to reinstate this policy is already "
                f"{'agreed' if status == ArrearsStatus.REINSTATEMENT_AGREED else 'waiting'}.",
                status=status,
            )
        last_day = reinstatement_deadline(policy, arrears)
        today = get_profile(policy.jurisdiction).today(now)
        if last_day is not None and today > last_day:
            raise InvalidTransition(
                f"The reinstatement period ended on {last_day.isoformat()} (IL Art. 37).",
                rule=premium_rules(policy.jurisdiction).reinstate_within,
            )
        casework.transition(
            arrears.case,
            to=ArrearsStatus.REINSTATEMENT_REQUESTED,
            actor=actor,
            now=now,
            reason=statement,
            event="reinstatement_requested",
        )
        reinstatement = Reinstatement.objects.create(
            arrears=arrears,
            applied_at=now,
            applied_by=actor if getattr(actor, "is_authenticated", False) else None,
            statement=statement,
        )
        clock = casework.open_clock(arrears.case, "decide")
        tell(
            policy,
            "reinstatement_received",
            key=f"reinstatement-received:{reinstatement.public_id}",
            now=now,
            case=arrears.case,
            decide_by=clock.due_date.isoformat() if clock else "—",
        )
    return reinstatement


def _legacy_arrears(policy: Policy, *, now: dt.datetime) -> Arrears:
    # A policy suspended before arrears cases existed: open its case now, as suspended, so the
    # application has a case to live on.
    arrears = open_arrears_case(policy, actor=None, now=now)
    casework.transition(
        arrears.case,
        to=ArrearsStatus.SUSPENDED,
        actor=None,
        now=now,
        reason="Suspended before this record was kept.",
        event="suspended",
        visible_to_customer=False,
    )
    arrears.suspended_at = policy.status_changed_at
    arrears.reinstate_by = reinstatement_deadline(policy, None)
    arrears.save(update_fields=["suspended_at", "reinstate_by"])
    return arrears


def decide_reinstatement(
    *,
    actor,
    reinstatement: Reinstatement,
    decision: str,
    reasons: str,
    now: dt.datetime,
) -> Reinstatement:
    """An underwriter's (or supervisor's) decision on an application to reinstate.

    1. The actor underwrites (underwriter, supervisor, administrator).
    2. The decision is agreed or declined; a decline gives its reasons (they go in the letter).
    3. The application is waiting for a decision.
    4. In one transaction: the application takes the decision by compare-and-set, the arrears
       case moves to agreed or back to suspended (the decision clock stops), and the decision
       letter is issued and sent: an agreement states the arrears to pay and the last day to
       pay them, a decline its reasons and how to ask us to look again. An agreement with
       nothing left to pay reinstates the policy at once.
    """
    if not has_role(actor, *DECIDING_ROLES):
        raise NotPermitted("Only underwriters and supervisors decide reinstatements.")
    if decision not in ReinstatementDecision.values:
        raise ValidationFailed(
            f"decision must be one of: {', '.join(ReinstatementDecision.values)}.",
            field="decision",
        )
    reasons = clean_text(reasons, field="reasons", max_length=MAX_REASONS, required=False)
    if decision == ReinstatementDecision.DECLINED and not reasons:
        raise ValidationFailed("Give the reasons for declining.", field="reasons")
    with transaction.atomic(durable=True):
        arrears = Arrears.objects.select_related("case", "policy__policyholder").get(
            pk=reinstatement.arrears_id
        )
        policy = Policy.objects.select_for_update().get(pk=arrears.policy_id)
        decided = Reinstatement.objects.filter(pk=reinstatement.pk, decision="").update(
            decision=decision, reasons=reasons, decided_at=now, decided_by=actor
        )
        if not decided:
            raise InvalidTransition("This application is already decided.")
        reinstatement.refresh_from_db()
        agreed = decision == ReinstatementDecision.AGREED
        casework.transition(
            arrears.case,
            to=ArrearsStatus.REINSTATEMENT_AGREED if agreed else ArrearsStatus.SUSPENDED,
            actor=actor,
            now=now,
            reason=reasons,
            event="reinstatement_agreed" if agreed else "reinstatement_declined",
        )
        unpaid, total = outstanding(policy, now=now)
        last_day = reinstatement_deadline(policy, arrears)
        reinstatement.letter = _decision_letter(
            policy, arrears, reinstatement, unpaid, total, last_day, actor=actor, now=now
        )
        reinstatement.save(update_fields=["letter"])
        tell(
            policy,
            "reinstatement_agreed" if agreed else "reinstatement_declined",
            key=f"reinstatement-decided:{reinstatement.public_id}",
            now=now,
            letter=reinstatement.letter,
            case=arrears.case,
            amount=f"{policy.currency} {total:,}",
            reinstate_by=last_day.isoformat() if last_day else "—",
        )
        if agreed and not unpaid:
            reinstate(arrears, actor=actor, now=now)
    return reinstatement


def _decision_letter(
    policy: Policy,
    arrears: Arrears,
    reinstatement: Reinstatement,
    unpaid: list,
    total: Decimal,
    last_day: dt.date | None,
    *,
    actor,
    now: dt.datetime,
):
    from insuredesk.documents.services import issue_letter

    agreed = reinstatement.decision == ReinstatementDecision.AGREED
    chinese = reads_chinese(policy)
    rule_id = premium_rules(policy.jurisdiction).reinstate_within
    rule = get_profile(policy.jurisdiction).rule(rule_id) if rule_id else None
    if chinese:
        title = "同意恢复合同效力通知书" if agreed else "不同意恢复合同效力通知书"
    else:
        title = "Reinstatement agreed" if agreed else "We cannot reinstate your policy"
    return issue_letter(
        kind="reinstatement_decision",
        case=arrears.case,
        customer=policy.policyholder,
        context={
            "agreed": agreed,
            "policy_number": policy.number,
            "product": policy.product_version.product.name,
            "insured_name": policy.insured_name,
            "applied_on": reinstatement.applied_at.date(),
            "reasons": reinstatement.reasons,
            "unpaid": [{"due_date": i.due_date, "amount": i.amount} for i in unpaid],
            "total": total,
            "currency": policy.currency,
            "pay_by": last_day,
            "rule": rule.cited() if rule else None,
        },
        actor=actor,
        now=now,
        jurisdiction=policy.jurisdiction,
        language="zh" if chinese else "en",
        title=title,
    )


def reinstate(arrears: Arrears, *, actor, now: dt.datetime) -> Policy:
    """The arrears of an agreed reinstatement are paid: the policy is in force again.

    Runs inside the caller's transaction (the payment that paid the last premium, or the
    agreement when nothing was left to pay): policy suspended → in force and the arrears case
    → reinstated, both by compare-and-set, with the event on the case.
    """
    policy = move_policy(
        arrears.policy, expected=PolicyStatus.SUSPENDED, to=PolicyStatus.IN_FORCE, now=now
    )
    close_arrears(
        arrears,
        to=ArrearsStatus.REINSTATED,
        actor=actor,
        now=now,
        reason="The reinstatement was agreed and the arrears are paid (IL Art. 37).",
        event="reinstated",
    )
    tell(policy, "reinstated", key=f"policy-reinstated:{arrears.case.reference}", now=now)
    return policy


def terminate_suspended_policy(*, actor, policy: Policy, now: dt.datetime) -> Policy:
    """End a policy suspended for longer than the reinstatement period (IL Art. 37, CN-16:
    2 years); its cash value is then due to the policyholder.

    1. The actor is None (the worker) or servicing staff.
    2. The policy is suspended and the reinstatement period is over; an application still
       waiting for our decision is decided first.
    3. In one transaction: the policy moves suspended → lapsed (compare-and-set), the arrears
       case → terminated, and the termination letter is issued and sent. The catalogue holds
       the letter states the cash value from the product version's surrender terms, or, for
       a version without them, says that we write with the amount; it invents no figure.
    """
    if actor is not None and not has_role(actor, *SERVICING_ROLES):
        raise NotPermitted("Your role does not terminate policies.")
    if policy.status != PolicyStatus.SUSPENDED or policy.status_changed_at is None:
        raise InvalidTransition("Only a suspended policy can be terminated.", status=policy.status)
    rule_id = premium_rules(policy.jurisdiction).reinstate_within
    if rule_id is None:
        raise InvalidTransition(f"Jurisdiction {policy.jurisdiction} has no reinstatement rule.")
    with transaction.atomic(durable=True):
        policy = (
            Policy.objects.select_for_update()
            .select_related("policyholder", "product_version__product")
            .get(pk=policy.pk)
        )
        arrears = open_arrears(policy) or _legacy_arrears(policy, now=now)
        last_day = reinstatement_deadline(policy, arrears)
        today = get_profile(policy.jurisdiction).today(now)
        if last_day is None or today <= last_day:
            raise InvalidTransition(
                f"The policyholder may still reinstate it until {last_day} (IL Art. 37)."
            )
        if arrears.case.status == ArrearsStatus.REINSTATEMENT_REQUESTED:
            raise InvalidTransition(
                "An application to reinstate waits for a decision: decide it first."
            )
        policy = move_policy(
            policy, expected=PolicyStatus.SUSPENDED, to=PolicyStatus.LAPSED, now=now
        )
        close_arrears(
            arrears,
            to=ArrearsStatus.TERMINATED,
            actor=actor,
            now=now,
            reason=f"Not reinstated by {last_day.isoformat()} (IL Art. 37).",
            event="terminated",
        )
        arrears.termination_letter = _termination_letter(
            policy, arrears, last_day, actor=actor, now=now
        )
        arrears.save(update_fields=["termination_letter"])
        tell(
            policy,
            "terminated",
            key=f"policy-terminated:{arrears.case.reference}",
            now=now,
            letter=arrears.termination_letter,
            case=arrears.case,
        )
    return policy


def _termination_letter(
    policy: Policy, arrears: Arrears, last_day: dt.date, *, actor, now: dt.datetime
):
    from insuredesk.documents.services import issue_letter

    chinese = reads_chinese(policy)
    profile = get_profile(policy.jurisdiction)
    rule_id = premium_rules(policy.jurisdiction).reinstate_within
    rule = profile.rule(rule_id) if rule_id else None
    quote = surrender_quote(policy, on=profile.today(now))
    return issue_letter(
        kind="policy_termination",
        case=arrears.case,
        customer=policy.policyholder,
        context={
            "policy_number": policy.number,
            "product": policy.product_version.product.name,
            "insured_name": policy.insured_name,
            "suspended_on": profile.today(arrears.suspended_at or now)
            if arrears.suspended_at
            else profile.today(policy.status_changed_at or now),
            "reinstate_by": last_day,
            "terminated_on": profile.today(now),
            # From the product version's surrender terms; without them the letter says that
            # we write with the amount rather than guess a figure.
            "cash_value_known": quote is not None,
            "cash_value": quote.as_dict() if quote else None,
            "currency": policy.currency,
            "rule": rule.cited() if rule else None,
        },
        actor=actor,
        now=now,
        jurisdiction=policy.jurisdiction,
        language="zh" if chinese else "en",
        title="解除保险合同通知书" if chinese else "Notice of termination of your policy",
    )


def terminate_unreinstated_policies(*, now: dt.datetime) -> int:
    """The worker's job (IL Art. 37): terminate suspended policies not reinstated by the last
    day of the period. Policies with an application waiting for a decision are left for staff.
    Returns how many were terminated."""
    _, latest = sweep_day_bounds(now)
    rows = Arrears.objects.filter(
        case__status__in=[ArrearsStatus.SUSPENDED, ArrearsStatus.REINSTATEMENT_AGREED],
        reinstate_by__lt=latest,
        policy__status=PolicyStatus.SUSPENDED,
    ).select_related("policy")
    terminated = 0
    for arrears in rows:
        try:
            terminate_suspended_policy(actor=None, policy=arrears.policy, now=now)
        except (Conflict, InvalidTransition):
            continue  # still within the period in its own time zone, or moved meanwhile
        terminated += 1
    return terminated
