"""Moving a policy from one status to another, by compare-and-set."""

from __future__ import annotations

import datetime as dt

from insuredesk.errors import Conflict, InvalidTransition
from insuredesk.policies.choices import POLICY_TRANSITIONS, PolicyStatus
from insuredesk.policies.models import Policy


def move_policy(policy: Policy, *, expected: str, to: str, now: dt.datetime) -> Policy:
    """`UPDATE … WHERE status = expected`: of two movers (a person and the worker, say) one
    wins and the other gets Conflict. Only the moves of `POLICY_TRANSITIONS` are allowed.
    Call it inside the caller's transaction."""
    if to not in POLICY_TRANSITIONS.get(expected, set()):
        raise InvalidTransition(
            f"A policy that is {PolicyStatus(expected).label.lower()} cannot become "
            f"{PolicyStatus(to).label.lower()}.",
            from_status=expected,
            to_status=to,
        )
    moved = Policy.objects.filter(pk=policy.pk, status=expected).update(
        status=to, status_changed_at=now
    )
    if not moved:
        raise Conflict("The policy changed status meanwhile; reload it.")
    policy.refresh_from_db()
    return policy
