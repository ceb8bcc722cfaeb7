"""Reads of policies; a customer sees only the policies they hold. Premium reads (payments,
arrears, the staff work list) are at the end."""

from dataclasses import dataclass
from datetime import date

from django.db.models import F, Prefetch, QuerySet
from django.http import Http404

from insuredesk.casework.models import Clock
from insuredesk.casework.selectors import get_case_for
from insuredesk.catalog.models import Clause
from insuredesk.customers.roles import is_staff_member
from insuredesk.errors import ValidationFailed
from insuredesk.policies.choices import (
    ArrearsStatus,
    InstalmentStatus,
    PolicyStatus,
    SurrenderStatus,
)
from insuredesk.policies.models import (
    Arrears,
    Policy,
    PremiumInstalment,
    PremiumPayment,
    Reinstatement,
    Surrender,
)


def policies_visible_to(user) -> QuerySet[Policy]:
    """Staff see every policy; a customer the policies they hold; anyone else none."""
    policies = Policy.objects.select_related("product_version__product", "policyholder")
    if is_staff_member(user):
        return policies
    if getattr(user, "is_authenticated", False):
        return policies.filter(policyholder__user=user)
    return policies.none()


def get_policy_for(user, number: str) -> Policy:
    """One policy by number, or 404 when it does not exist or is not the caller's."""
    policy = (
        policies_visible_to(user)
        .select_related("cancellation__letter")
        .prefetch_related(
            "beneficiaries",
            Prefetch(
                "instalments",
                queryset=PremiumInstalment.objects.select_related(
                    "payment__receipt", "demand_letter"
                ),
            ),
            Prefetch(
                "product_version__clauses", queryset=Clause.objects.order_by("position", "id")
            ),
            "product_version__coverages",
        )
        .filter(number=number)
        .first()
    )
    if policy is None:
        raise Http404("No such policy.")
    return policy


# -- premiums ------------------------------------------------------------------------------------


def policy_only_for(user, number: str) -> Policy:
    """One policy by number without its clauses and schedule (lists under a policy need only
    the row), or 404 when it does not exist or is not the caller's."""
    policy = policies_visible_to(user).filter(number=number).first()
    if policy is None:
        raise Http404("No such policy.")
    return policy


def instalment_of(policy: Policy, due_date: date) -> PremiumInstalment:
    """The policy's premium due on `due_date` (from its loaded instalments), or the error says
    which dates it has."""
    for instalment in policy.instalments.all():
        if instalment.due_date == due_date:
            return instalment
    raise ValidationFailed(
        f"No premium of policy {policy.number} falls due on {due_date.isoformat()}.",
        field="due_date",
    )


def payments_of(policy: Policy) -> QuerySet[PremiumPayment]:
    """The policy's payments with their receipts, newest first."""
    return policy.payments.select_related("instalment", "receipt").order_by("-received_at", "-id")


def arrears_of(policy: Policy) -> Arrears | None:
    """The policy's latest arrears case (open, or how the last one ended), with its letters and
    its reinstatement applications, or None."""
    return (
        Arrears.objects.select_related("case", "suspension_letter", "termination_letter")
        .prefetch_related(
            Prefetch(
                "reinstatements",
                queryset=Reinstatement.objects.select_related("letter", "applied_by", "decided_by"),
            )
        )
        .filter(policy=policy)
        .order_by("-id")
        .first()
    )


def get_reinstatement_for(user, number: str) -> Reinstatement:
    """The application waiting for a decision on the policy, or 404."""
    policy = get_policy_for(user, number)
    reinstatement = (
        Reinstatement.objects.select_related("arrears__case")
        .filter(arrears__policy=policy, decision="")
        .first()
    )
    if reinstatement is None:
        raise Http404("No application to reinstate this policy waits for a decision.")
    return reinstatement


def get_surrender_for(user, number: str) -> Surrender:
    """The surrender of a policy the user may see, or 404."""
    surrender = (
        Surrender.objects.select_related("case", "policy")
        .filter(policy=get_policy_for(user, number))
        .first()
    )
    if surrender is None:
        raise Http404(f"Policy {number} has not been surrendered.")
    return surrender


def policy_number_of_case(user, reference: str, model: type[Arrears] | type[Surrender]) -> str:
    """The policy an arrears or surrender case the user may see is about; 404 for any other
    case (a claim's reference in an arrears URL finds nothing, rather than failing)."""
    case = get_case_for(user, reference)
    row = model.objects.filter(case=case).select_related("policy").first()
    if row is None:
        raise Http404("No such case here.")
    return row.policy.number


@dataclass(frozen=True)
class PremiumWorklist:
    """The console's "Premiums" page: what needs staff, each list in the order to work it."""

    overdue: list[PremiumInstalment]  # unpaid past the due date, oldest first
    suspending: list[PremiumInstalment]  # demanded, cover stops soonest first
    reinstatements: list[Reinstatement]  # applications waiting, oldest first
    agreed: list[Arrears]  # agreed reinstatements waiting for the arrears
    refunds: list[Surrender]  # surrender values to pay, the nearest deadline first


WORKLIST_LIMIT = 200


def premium_worklist(*, today: date) -> PremiumWorklist:
    """Staff's premium work: overdue premiums of policies still collected, policies in force
    approaching suspension ordered by the day cover stops, reinstatement applications to decide
    (with their SVC-14 decision clock), agreed ones waiting for payment, and surrender values to
    pay (CN-14). Six queries, whatever the length of the lists."""
    instalments = PremiumInstalment.objects.select_related(
        "policy__policyholder", "policy__product_version__product"
    )
    overdue = instalments.filter(
        status=InstalmentStatus.DUE,
        due_date__lt=today,
        policy__status__in=[PolicyStatus.PENDING, PolicyStatus.IN_FORCE],
    ).order_by("due_date", "pk")
    suspending = instalments.filter(
        status=InstalmentStatus.DUE,
        grace_ends_on__isnull=False,
        policy__status=PolicyStatus.IN_FORCE,
    ).order_by("grace_ends_on", "due_date", "pk")
    reinstatements = (
        Reinstatement.objects.filter(
            decision="", arrears__case__status=ArrearsStatus.REINSTATEMENT_REQUESTED
        )
        .select_related(
            "arrears__case",
            "arrears__policy__policyholder",
            "arrears__policy__product_version__product",
        )
        .prefetch_related(
            Prefetch(
                "arrears__case__clocks",
                queryset=Clock.objects.filter(name="decide", stopped_at__isnull=True),
                to_attr="decision_clocks",
            )
        )
        .order_by("applied_at", "pk")
    )
    agreed = (
        Arrears.objects.filter(case__status=ArrearsStatus.REINSTATEMENT_AGREED)
        .select_related("case", "policy__policyholder", "policy__product_version__product")
        .order_by("reinstate_by", "pk")
    )
    refunds = (
        Surrender.objects.filter(case__status=SurrenderStatus.REFUND_DUE)
        .select_related("case", "policy__policyholder", "policy__product_version__product")
        .order_by(F("refund_by").asc(nulls_last=True), "requested_at")
    )
    return PremiumWorklist(
        refunds=list(refunds[:WORKLIST_LIMIT]),
        overdue=list(overdue[:WORKLIST_LIMIT]),
        suspending=list(suspending[:WORKLIST_LIMIT]),
        reinstatements=list(reinstatements[:WORKLIST_LIMIT]),
        agreed=list(agreed[:WORKLIST_LIMIT]),
    )


def receipts_of(user, *, limit: int = 100) -> QuerySet[PremiumPayment]:
    """The premiums a customer has paid on their policies, newest first, with receipts."""
    return (
        PremiumPayment.objects.filter(policy__in=policies_visible_to(user))
        .select_related("policy", "instalment", "receipt")
        .order_by("-received_at", "-id")[:limit]
    )
