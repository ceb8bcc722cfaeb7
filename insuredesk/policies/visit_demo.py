"""The demo's regular visits, called from `policies.demo.load` (idempotent).

Alice: a welcome visit for her new motor policy, completed five weeks ago and not yet rated,
whose question about a courtesy car became a consultation Dave answered; the yearly review of
her term-life policy, due on its anniversary next week and arranged at her home. Dave's queue:
Zhang Wei's review and Huang Min's welcome visit, both overdue, and Mallory's welcome call
tomorrow afternoon (she is reminded the day before). The worker plans the rest of the book.

Visits are opened as the planner would have opened them, at the moments it would have (its
`plan_key`s, so it does not plan them again), then moved on through the services.
"""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from django.contrib.auth import get_user_model
from django.db import transaction

from insuredesk.policies import visiting
from insuredesk.policies.choices import VisitPurpose
from insuredesk.policies.models import Policy, Visit
from insuredesk.rules.registry import get_profile

COURTESY_CAR = "Does my motor policy give me a courtesy car while mine is being repaired?"


def load_visits(*, stdout: TextIO, now: dt.datetime) -> None:
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["alice", "dave"])}
    alice, dave = users.get("alice"), users.get("dave")
    if alice is None or dave is None:
        return  # the portfolio loaded on its own (its tests): no cast, no story to tell
    if Visit.objects.filter(customer__user=alice).exists():
        stdout.write("    visits already there\n")
        return
    policies = Policy.objects.select_related("policyholder", "product_version__product")

    def policy_of(name: str, product: str) -> Policy | None:
        return (
            policies.filter(product_version__product__code=product)
            .filter(policyholder__full_name=name)
            .order_by("issued_at")
            .first()
        )

    made = 0
    motor = policy_of("Alice Chen", "harbour-motor")
    if motor is not None:
        made += _alice_welcome(motor, dave, now)
    term = policy_of("Alice Chen", "harbour-term-life")
    if term is not None:
        made += _review(term, dave, now, arrange=True)
    zhang = policy_of("Zhang Wei", "harbour-term-life")
    if zhang is not None:
        made += _review(zhang, dave, now, arrange=False)
    for name, product in (
        ("Huang Min", "harbour-term-life"),
        ("Mallory Stone", "harbour-term-life"),
    ):
        policy = policy_of(name, product)
        if policy is not None:
            made += _welcome(policy, dave, now, call_tomorrow=name == "Mallory Stone")
    stdout.write(f"    {made} visits: Alice's welcome visit (to rate) and review, Dave's queue\n")


def _open(policy: Policy, purpose: str, *, trigger: dt.datetime, at: dt.datetime, agent, key: str):
    with transaction.atomic(durable=True):
        return visiting._open_visit(
            purpose=purpose,
            customer=policy.policyholder,
            policy=policy,
            trigger=trigger,
            actor=None,
            now=at,
            assignee=agent,
            plan_key=key,
        )


def _alice_welcome(policy: Policy, dave, now: dt.datetime) -> int:
    """Planned at issue, arranged the next day, made on the fourth; a question followed up."""
    from insuredesk.consultation.services import answer_consultation

    issued = policy.issued_at
    visit = _open(
        policy,
        VisitPurpose.WELCOME,
        trigger=issued,
        at=issued,
        agent=dave,
        key=f"welcome:{policy.number}",
    )
    issued_on = get_profile(policy.jurisdiction).today(issued)
    when = visiting._moment(issued_on + dt.timedelta(days=3), policy.jurisdiction)
    when += dt.timedelta(hours=10)
    visiting.schedule_visit(
        actor=dave,
        visit=visit,
        scheduled_at=when,
        channel="in_person",
        now=issued + dt.timedelta(days=1),
    )
    visiting.record_visit_outcome(
        actor=dave,
        visit=visit,
        outcome="completed",
        visited_at=when + dt.timedelta(minutes=50),
        notes="Delivered the policy and went through the exclusions (racing, unlicensed "
        "driver). She knows she may cancel until the end of the cooling-off period.",
        needs=["cover_gap"],
        checklist=dict.fromkeys(visiting.WELCOME_CHECKLIST, True),
        now=when + dt.timedelta(hours=1),
    )
    follow_up = visiting.raise_follow_up(
        actor=dave,
        visit=visit,
        need="cover_gap",
        action="consultation",
        note=COURTESY_CAR,
        now=when + dt.timedelta(hours=1, minutes=5),
    )
    assert follow_up.consultation is not None
    answer_consultation(
        consultation=follow_up.consultation,
        actor=dave,
        body="Not at the moment: your policy pays for the repair but not for a replacement car. "
        "We can add courtesy-car cover at your renewal; I will bring a quote to your next visit.",
        now=when + dt.timedelta(days=1),
    )
    return 1


def _review(policy: Policy, dave, now: dt.datetime, *, arrange: bool) -> int:
    """The policy's latest review due within 30 days (or already past), as the planner made it
    30 days before the anniversary."""
    jurisdiction, rule = policy.jurisdiction, visiting.PURPOSE_RULES[VisitPurpose.REVIEW]
    today = get_profile(jurisdiction).today(now)
    found = None
    for n in range(60):
        trigger = visiting._shift(policy.start_date, rule, jurisdiction, n)
        due_on = visiting._due_day(jurisdiction, rule, trigger)
        if due_on > today + dt.timedelta(days=30) or due_on > policy.end_date:
            break
        found = trigger, due_on
    if found is None:
        return 0
    trigger, due_on = found
    planned = visiting._moment(due_on, policy.jurisdiction) - dt.timedelta(days=30)
    visit = _open(
        policy,
        VisitPurpose.REVIEW,
        trigger=visiting._moment(trigger, policy.jurisdiction),
        at=min(planned, now),
        agent=dave,
        key=f"review:{policy.number}:{due_on.isoformat()}",
    )
    if arrange and due_on > today + dt.timedelta(days=2):
        at_home = visiting._moment(due_on - dt.timedelta(days=2), policy.jurisdiction)
        visiting.schedule_visit(
            actor=dave,
            visit=visit,
            scheduled_at=at_home + dt.timedelta(hours=10),
            channel="in_person",
            now=now,
        )
    return 1


def _welcome(policy: Policy, dave, now: dt.datetime, *, call_tomorrow: bool) -> int:
    visit = _open(
        policy,
        VisitPurpose.WELCOME,
        trigger=policy.issued_at,
        at=policy.issued_at,
        agent=dave,
        key=f"welcome:{policy.number}",
    )
    if call_tomorrow:
        tomorrow = get_profile(policy.jurisdiction).today(now) + dt.timedelta(days=1)
        visiting.schedule_visit(
            actor=dave,
            visit=visit,
            scheduled_at=visiting._moment(tomorrow, policy.jurisdiction) + dt.timedelta(hours=14),
            channel="phone",
            now=now,
        )
    return 1
