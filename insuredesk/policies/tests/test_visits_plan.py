"""The visit plan the worker follows (rule SVC-03, the insurer's own standard, status U): a
welcome visit after issue, a review on each anniversary, a visit before the term ends, a care
visit after a claim and one after a complaint; each once, never two open of one purpose."""

import datetime as dt

import pytest

from insuredesk.casework.choices import ClockState
from insuredesk.casework.models import Case
from insuredesk.claims.tests.factories import report
from insuredesk.complaints.services import submit_complaint
from insuredesk.notifications.models import Message
from insuredesk.policies import visiting
from insuredesk.policies.choices import PolicyStatus, VisitPurpose, VisitStatus
from insuredesk.policies.models import Visit
from insuredesk.policies.tests.visit_factories import NOW, TODAY, sold_policy
from insuredesk.rules.registry import get_rule

pytestmark = pytest.mark.django_db


def visits_of(policy, purpose=None):
    rows = Visit.objects.filter(policy=policy).select_related("case__assignee")
    return list(rows.filter(purpose=purpose) if purpose else rows)


def test_a_new_policy_gets_a_welcome_visit_due_ten_days_after_issue_with_its_agent(alice, dave):
    policy = sold_policy(alice, dave)

    counts = visiting.plan_visits(now=NOW)

    [visit] = visits_of(policy)
    assert counts["planned"] == 1
    assert get_rule("CN", "SVC-03").unconfirmed  # the insurer's own standard, configurable
    assert (visit.purpose, visit.case.status) == (VisitPurpose.WELCOME, VisitStatus.PLANNED)
    assert visit.due_on == TODAY + dt.timedelta(days=10)  # 19 March 2026, a Thursday
    assert visit.case.assignee == dave
    assert visit.case.reference.startswith("VIS-2026-")
    clock = visit.case.clocks.get()
    assert (clock.rule, clock.due_date, clock.state) == ("SVC-03", visit.due_on, ClockState.RUNNING)
    assert visit.case.next_deadline == clock.deadline  # the work queues order by it
    told = Message.objects.filter(recipient_customer=alice, case=visit.case)
    assert {m.channel for m in told} == {"portal", "email"}
    assert "cooling-off" in told.first().body


def test_planning_again_plans_nothing_more(alice, dave):
    policy = sold_policy(alice, dave)
    visiting.plan_visits(now=NOW)

    again = visiting.plan_visits(now=NOW + dt.timedelta(minutes=1))

    assert again == {"planned": 0, "cancelled": 0}
    assert len(visits_of(policy)) == 1


def test_a_policy_without_an_agent_waits_in_the_agents_queue(alice):
    policy = sold_policy(alice, None)

    visiting.plan_visits(now=NOW)

    assert visits_of(policy)[0].case.assignee is None


def test_a_policy_whose_agent_left_waits_in_the_agents_queue(alice, dave):
    dave.is_active = False
    dave.save()
    policy = sold_policy(alice, dave)

    visiting.plan_visits(now=NOW)

    assert visits_of(policy)[0].case.assignee is None


def test_the_annual_review_is_planned_thirty_days_ahead_and_due_on_the_anniversary(alice, dave):
    policy = sold_policy(
        alice, dave, issued_at=NOW - dt.timedelta(days=300), start=dt.date(2025, 4, 1), years=20
    )

    visiting.plan_visits(now=NOW - dt.timedelta(days=2))  # 7 March: the anniversary is 25 days off
    visiting.plan_visits(now=NOW)  # 9 March: 23 days off, within SVC-03.notice (30 days)

    [review] = visits_of(policy, VisitPurpose.REVIEW)
    assert review.due_on == dt.date(2026, 4, 1)
    assert review.plan_key == f"review:{policy.number}:2026-04-01"
    assert review.case.clocks.get().rule == "SVC-03.review"


def test_a_review_forty_days_off_is_not_planned_yet(alice, dave):
    policy = sold_policy(
        alice, dave, issued_at=NOW - dt.timedelta(days=300), start=dt.date(2025, 4, 18), years=5
    )

    visiting.plan_visits(now=NOW)

    assert visits_of(policy, VisitPurpose.REVIEW) == []
    assert visiting.upcoming_plan(policy, today=TODAY)[0] == ("review", dt.date(2026, 4, 20))


def test_a_review_still_open_covers_the_next_anniversary(alice, dave):
    policy = sold_policy(
        alice, dave, issued_at=NOW - dt.timedelta(days=700), start=dt.date(2024, 4, 1), years=20
    )
    visiting.plan_visits(now=dt.datetime(2025, 3, 20, 10, 0, tzinfo=NOW.tzinfo))
    [old] = visits_of(policy, VisitPurpose.REVIEW)

    visiting.plan_visits(now=NOW)

    assert visits_of(policy, VisitPurpose.REVIEW) == [old]  # still the 2025 one, overdue


def test_the_visit_before_renewal_is_due_thirty_days_before_the_term_ends(alice, dave):
    policy = sold_policy(
        alice, dave, issued_at=NOW - dt.timedelta(days=320), start=dt.date(2025, 4, 24)
    )

    visiting.plan_visits(now=NOW)

    [renewal] = visits_of(policy, VisitPurpose.RENEWAL)
    assert policy.end_date == dt.date(2026, 4, 23)
    assert renewal.due_on == dt.date(2026, 3, 24)  # SVC-03.renewal: 30 days before, no roll
    assert renewal.case.clocks.get().due_date == renewal.due_on


def test_nothing_already_past_due_is_planned_when_first_seen(alice, dave):
    policy = sold_policy(alice, dave, issued_at=NOW - dt.timedelta(days=40))

    visiting.plan_visits(now=NOW)

    assert visits_of(policy) == []  # its welcome visit was due 30 days ago


def test_a_closed_claim_gets_a_care_visit_within_seven_days(alice, dave):
    policy = sold_policy(alice, dave, issued_at=NOW - dt.timedelta(days=100))
    claim = report(policy, now=NOW - dt.timedelta(days=3))
    Case.objects.filter(pk=claim.case.pk).update(
        status="closed", closed_at=NOW - dt.timedelta(days=1)
    )

    visiting.plan_visits(now=NOW)

    [care] = visits_of(policy, VisitPurpose.CARE)
    assert care.source_case == claim.case
    # Closed on 8 March + 7 days = Sunday 15 March: CN moves the last day to the next working day.
    assert care.due_on == dt.date(2026, 3, 16)
    assert care.case.assignee == dave
    assert claim.case.reference in Message.objects.filter(case=care.case).first().body


def test_a_withdrawn_claim_gets_no_care_visit(alice, dave):
    policy = sold_policy(alice, dave, issued_at=NOW - dt.timedelta(days=100))
    claim = report(policy, now=NOW - dt.timedelta(days=3))
    Case.objects.filter(pk=claim.case.pk).update(status="withdrawn", closed_at=NOW)

    visiting.plan_visits(now=NOW)

    assert visits_of(policy, VisitPurpose.CARE) == []


def test_a_resolved_complaint_gets_a_visit_within_fourteen_days(alice, dave):
    policy = sold_policy(alice, dave, issued_at=NOW - dt.timedelta(days=100))
    complaint = submit_complaint(
        customer=alice,
        actor=alice.user,
        now=NOW - dt.timedelta(days=10),
        channel="portal",
        description="Nobody told me about the exclusion.",
        desired_outcome="An explanation.",
        policy=policy,
    )
    Case.objects.filter(pk=complaint.case.pk).update(status="resolved", closed_at=NOW)

    visiting.plan_visits(now=NOW)

    [after] = visits_of(policy, VisitPurpose.AFTER_COMPLAINT)
    assert after.due_on == TODAY + dt.timedelta(days=14)
    assert after.source_case == complaint.case


def test_open_plan_visits_of_a_policy_that_ended_are_cancelled_and_an_appointment_called_off(
    alice, dave
):
    policy = sold_policy(alice, dave)
    visiting.plan_visits(now=NOW)
    [visit] = visits_of(policy)
    visiting.schedule_visit(
        actor=dave,
        visit=visit,
        scheduled_at=NOW + dt.timedelta(days=2),
        channel="phone",
        now=NOW,
    )
    policy.status = PolicyStatus.CANCELLED
    policy.save()

    counts = visiting.plan_visits(now=NOW + dt.timedelta(hours=1))

    visit.refresh_from_db()
    visit.case.refresh_from_db()
    assert counts["cancelled"] == 1
    assert visit.case.status == VisitStatus.CANCELLED
    assert visit.open_key is None
    assert visit.case.clocks.get().stopped_at is not None
    assert Message.objects.filter(case=visit.case, subject__contains="Visit cancelled").exists()


def test_a_gb_policy_is_planned_under_the_gb_profile(dave):
    from insuredesk.tests import factories

    oliver = factories.make_customer("oliver", jurisdiction="GB")
    policy = sold_policy(oliver, dave, jurisdiction="GB", issued_at=NOW)

    visiting.plan_visits(now=NOW)

    [visit] = visits_of(policy)
    assert visit.case.jurisdiction == "GB"
    assert visit.case.clocks.get().rule == "SVC-03"
    assert visit.due_on == TODAY + dt.timedelta(days=10)


def test_the_worker_sweep_plans_visits_and_sends_reminders(alice, dave):
    from insuredesk.notifications.management.commands.worker import sweep_once

    policy = sold_policy(alice, dave)

    results = sweep_once(NOW)

    assert results["visit_plan"] == {"planned": 1, "cancelled": 0}
    assert results["visit_reminders"] == {"reminded": 0}
    assert len(visits_of(policy)) == 1


def test_an_insurer_that_changes_its_visit_standard_plans_by_the_new_one(alice, dave, settings):
    from insuredesk.rules import registry

    settings.INSUREDESK_RULE_OVERRIDES = {"CN": {"SVC-03": {"days": 4}}}
    registry.reload()
    try:
        policy = sold_policy(alice, dave)
        visiting.plan_visits(now=NOW)
    finally:
        settings.INSUREDESK_RULE_OVERRIDES = {}
        registry.reload()

    assert visits_of(policy)[0].due_on == TODAY + dt.timedelta(days=4)  # Friday 13 March
