"""Reads of policies; a customer sees only the policies they hold."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from insuredesk.catalog.models import Clause
from insuredesk.customers.roles import is_staff_member
from insuredesk.policies.models import Policy


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
            "instalments",
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
