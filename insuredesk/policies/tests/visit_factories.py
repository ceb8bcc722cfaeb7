"""Builders for the visit tests: policies sold by an agent, visits planned the way the worker
plans them (`plan_visits`), and the moment everything happens at."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction

from insuredesk.policies import visiting
from insuredesk.policies.choices import VisitPurpose
from insuredesk.policies.models import Policy, Visit
from insuredesk.tests import factories

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Monday morning in Shanghai, away from public holidays.
NOW = dt.datetime(2026, 3, 9, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()


def sold_policy(
    holder,
    agent=None,
    *,
    issued_at: dt.datetime = NOW,
    start: dt.date | None = None,
    years: int = 1,
    **fields,
) -> Policy:
    """A policy in force sold by `agent`, issued at `issued_at`, running `years` from `start`."""
    start = start or issued_at.astimezone(SHANGHAI).date()
    policy = factories.make_policy(holder, start=start, **fields)
    policy.agent = agent
    policy.issued_at = issued_at
    policy.end_date = visiting._shift(start, "SVC-03.review", "CN", years) - dt.timedelta(days=1)
    policy.save(update_fields=["agent", "issued_at", "end_date"])
    return policy


def welcome_visit(holder, agent=None, *, now: dt.datetime = NOW) -> Visit:
    """A new policy and its welcome visit, planned by the worker's job."""
    policy = sold_policy(holder, agent, issued_at=now)
    visiting.plan_visits(now=now)
    return Visit.objects.select_related("case", "customer", "policy").get(
        policy=policy, purpose=VisitPurpose.WELCOME
    )


def requested_visit(holder, *, now: dt.datetime = NOW, policy=None) -> Visit:
    """A visit the customer asked for in the portal, without a time."""
    return visiting.request_visit(actor=holder.user, policy=policy, now=now)


def open_visit(holder, policy, purpose: str, *, trigger: dt.datetime, now=NOW, agent=None):
    """Any purpose of visit, opened directly (for purposes the plan makes only from events)."""
    with transaction.atomic():
        return visiting._open_visit(
            purpose=purpose,
            customer=holder,
            policy=policy,
            trigger=trigger,
            actor=None,
            now=now,
            assignee=agent,
        )


def fresh(visit: Visit) -> Visit:
    return Visit.objects.select_related("case__assignee", "customer", "policy").get(pk=visit.pk)
