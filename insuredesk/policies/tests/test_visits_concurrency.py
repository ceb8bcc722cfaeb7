"""Two people (or two workers) acting on one visit at once: exactly one wins, the other gets
Conflict and nothing of theirs is written. Row locking is exercised on PostgreSQL."""

import datetime as dt
import threading

import pytest
from django.db import connection

from insuredesk.casework.models import CaseEvent
from insuredesk.errors import Conflict
from insuredesk.policies import visiting
from insuredesk.policies.models import Visit
from insuredesk.policies.tests.visit_factories import NOW, fresh, sold_policy, welcome_visit
from insuredesk.tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(*actions) -> list[str]:
    """Run each action in its own thread and connection, released together."""
    if connection.vendor != "postgresql":
        pytest.skip("row locking is exercised on PostgreSQL")
    barrier = threading.Barrier(len(actions))
    outcomes: list[str] = []

    def run(action):
        try:
            barrier.wait()
            action()
            outcomes.append("won")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def test_two_supervisors_moving_one_appointment_at_once_exactly_one_wins(alice, dave, carol):
    visit = welcome_visit(alice, dave)
    visiting.schedule_visit(
        actor=dave, visit=visit, scheduled_at=NOW + dt.timedelta(days=1), channel="phone", now=NOW
    )
    olga = factories.make_user("olga", factories.Role.SUPERVISOR)
    copies = [fresh(visit), fresh(visit)]  # both read "scheduled", version 1
    times = [NOW + dt.timedelta(days=2), NOW + dt.timedelta(days=3)]

    def move(actor, copy, when):
        return lambda: visiting.schedule_visit(
            actor=actor, visit=copy, scheduled_at=when, channel="phone", now=NOW
        )

    outcomes = race(move(carol, copies[0], times[0]), move(olga, copies[1], times[1]))

    visit = fresh(visit)
    assert outcomes == ["conflict", "won"]
    assert visit.scheduled_at in times
    assert CaseEvent.objects.filter(case=visit.case, kind="rescheduled").count() == 1


def test_the_customer_proposing_while_the_agent_schedules_one_wins(alice, dave):
    visit = welcome_visit(alice, dave)
    customer_copy, agent_copy = fresh(visit), fresh(visit)
    when = NOW + dt.timedelta(days=1)

    outcomes = race(
        lambda: visiting.propose_visit_time(
            actor=alice.user, visit=customer_copy, scheduled_at=when, channel="video", now=NOW
        ),
        lambda: visiting.schedule_visit(
            actor=dave, visit=agent_copy, scheduled_at=when, channel="phone", now=NOW
        ),
    )

    assert outcomes == ["conflict", "won"]
    assert fresh(visit).case.events.count() == 2  # planned, and the winner's


def test_two_workers_planning_at_once_plan_each_visit_once(alice, dave):
    policy = sold_policy(alice, dave)

    outcomes = race(lambda: visiting.plan_visits(now=NOW), lambda: visiting.plan_visits(now=NOW))

    assert outcomes == ["won", "won"]  # the loser of each visit skips it quietly
    assert Visit.objects.filter(policy=policy).count() == 1
