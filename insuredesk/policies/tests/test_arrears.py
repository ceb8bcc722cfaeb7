"""Reminders before a premium falls due (SVC-11), the demand notice once it is overdue and
suspension of cover when it stays unpaid (CN-15, IL Art. 36), run by the worker's sweep."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from insuredesk.casework.models import CaseEvent
from insuredesk.documents.models import Letter
from insuredesk.errors import InvalidTransition, NotPermitted
from insuredesk.notifications.management.commands import worker
from insuredesk.notifications.models import Message
from insuredesk.policies.choices import ArrearsStatus, InstalmentStatus, PolicyStatus
from insuredesk.policies.models import Arrears, Policy
from insuredesk.policies.services import (
    arrears_on,
    demand_premium,
    premium_position,
    send_demand_notices,
    send_premium_reminders,
    suspend_for_arrears,
    suspend_unpaid_policies,
    sweep_premiums,
)
from insuredesk.policies.tests.premiums import (
    ISSUED,
    LONDON,
    LOS_ANGELES,
    SECOND_DUE,
    at,
    demo_versions,
    first,
    home,
    instalment,
    paid_first,
    pay,
    term_life,
)
from insuredesk.rules import registry
from insuredesk.tests import factories

DEMANDED = at(dt.date(2027, 3, 3), hour=9)  # the first day the second premium is overdue
GRACE_ENDS = dt.date(2027, 4, 2)  # CN-15: 30 days after the demand notice


@pytest.fixture
def versions(db):
    return demo_versions()


@pytest.fixture
def policy(dave, alice, versions) -> Policy:
    return paid_first(dave, alice, versions)


def reminders(policy):
    return Message.objects.filter(dedupe_key__startswith=f"premium-reminder:{policy.number}")


# -- reminders (SVC-11) ----------------------------------------------------------------------


def test_the_worker_reminds_once_15_days_before_the_premium_falls_due_svc_11(policy):
    assert send_premium_reminders(now=at(dt.date(2027, 2, 14))) == 0

    assert send_premium_reminders(now=at(dt.date(2027, 2, 15))) == 1
    assert send_premium_reminders(now=at(dt.date(2027, 2, 16))) == 0

    assert {m.channel for m in reminders(policy)} == {"portal", "email"}
    message = reminders(policy).get(channel="portal")
    assert "2027-03-02" in message.subject and "portal" in message.body
    assert instalment(policy, SECOND_DUE).reminded_at == at(dt.date(2027, 2, 15))


def test_a_premium_paid_early_gets_no_reminder(alice, policy):
    pay(alice.user, instalment(policy, SECOND_DUE), at(dt.date(2027, 2, 15), hour=8))

    assert send_premium_reminders(now=at(dt.date(2027, 2, 20))) == 0
    assert not reminders(policy).exists()


def test_a_premium_already_overdue_gets_a_demand_not_a_reminder(policy):
    assert send_premium_reminders(now=DEMANDED) == 0


def test_the_reminder_lead_is_the_insurers_configurable_default_svc_11(settings, policy):
    settings.INSUREDESK_RULE_OVERRIDES = {"CN": {"SVC-11": {"days": 30}}}
    registry.reload()
    try:
        assert registry.get_rule("CN", "SVC-11").unconfirmed
        assert send_premium_reminders(now=at(dt.date(2027, 1, 31))) == 1
    finally:
        settings.INSUREDESK_RULE_OVERRIDES = {}
        registry.reload()


def test_the_reminder_day_is_the_policyholders_local_day(dave, versions):
    oliver = factories.make_customer("oliver", full_name="Oliver Hughes", jurisdiction="GB")
    issued = dt.datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)
    policy = paid_first(dave, oliver, versions, issued=issued, jurisdiction="GB")

    # 2027-02-15 00:30 in Shanghai is still 14 February in London.
    assert send_premium_reminders(now=at(dt.date(2027, 2, 15), hour=0)) == 0
    assert send_premium_reminders(now=dt.datetime(2027, 2, 15, 9, tzinfo=LONDON)) == 1
    assert reminders(policy).exists()


# -- demand notice (CN-15) -------------------------------------------------------------------


def test_an_overdue_premium_gets_a_demand_notice_the_day_after_it_fell_due_cn_15(alice, policy):
    assert send_demand_notices(now=at(SECOND_DUE, hour=23)) == 0

    assert send_demand_notices(now=DEMANDED) == 1

    due = instalment(policy, SECOND_DUE)
    assert due.demanded_at == DEMANDED and due.grace_ends_on == GRACE_ENDS
    letter = due.demand_letter
    assert letter.kind == "premium_demand" and letter.language == "en"
    assert letter.context["last_day"] == "2027-04-02"
    assert letter.context["suspends_on"] == "2027-04-03"
    assert [r["id"] for r in letter.context["rules"]] == ["CN-15", "CN-15.after_due"]
    arrears = Arrears.objects.get(policy=policy)
    assert arrears.case.status == ArrearsStatus.DEMANDED
    assert arrears.case.customer == alice and letter.case == arrears.case
    event = arrears.case.events.get(kind="demand_notice_sent")
    assert event.data["covered_until"] == "2027-04-02" and event.data["rule"] == "CN-15"
    message = Message.objects.get(letter=letter, channel="portal")
    assert "2027-04-02" in message.body


def test_a_demand_is_sent_once(policy):
    assert send_demand_notices(now=DEMANDED) == 1
    assert send_demand_notices(now=DEMANDED + dt.timedelta(days=1)) == 0
    with pytest.raises(InvalidTransition):
        demand_premium(instalment=instalment(policy, SECOND_DUE), actor=None, now=DEMANDED)

    assert Letter.objects.filter(kind="premium_demand").count() == 1


def test_a_demand_sent_late_still_ends_cover_60_days_after_the_due_date_cn_15(policy):
    demanded = at(dt.date(2027, 4, 20))

    due = demand_premium(instalment=instalment(policy, SECOND_DUE), actor=None, now=demanded)

    # 30 days after this demand would be 20 May; 60 days after the due date come first
    # (1 May, a public holiday, moves to the next working day, 5 May: CC Art. 203).
    assert due.grace_ends_on == dt.date(2027, 5, 5)


def test_the_first_premium_and_property_insurance_get_no_demand_il_36(dave, alice, versions):
    term_life(dave, alice, versions)  # first premium never paid
    home(dave, alice, versions)  # monthly property cover, none paid

    assert send_demand_notices(now=at(dt.date(2026, 6, 1))) == 0
    assert not Arrears.objects.exists()


def test_an_agent_does_not_send_demands(dave, policy):
    with pytest.raises(NotPermitted):
        demand_premium(instalment=instalment(policy, SECOND_DUE), actor=dave, now=DEMANDED)


# -- suspension (CN-15) ----------------------------------------------------------------------


def test_cover_is_suspended_the_day_after_the_demand_period_ends_cn_15(policy):
    send_demand_notices(now=DEMANDED)

    assert suspend_unpaid_policies(now=at(GRACE_ENDS, hour=23)) == 0
    assert suspend_unpaid_policies(now=at(dt.date(2027, 4, 3), hour=0)) == 1

    policy.refresh_from_db()
    assert policy.status == PolicyStatus.SUSPENDED
    arrears = Arrears.objects.get(policy=policy)
    assert arrears.case.status == ArrearsStatus.SUSPENDED
    # CN-16: reinstatement within 2 years of the suspension.
    assert arrears.reinstate_by == dt.date(2029, 4, 3)
    letter = arrears.suspension_letter
    assert letter.kind == "policy_suspension" and letter.case == arrears.case
    assert letter.context["covered_until"] == "2027-04-02"
    assert letter.context["arrears"] == str(instalment(policy, SECOND_DUE).amount)
    assert letter.context["reinstate_by"] == "2029-04-03"
    event = arrears.case.events.get(kind="suspended")
    assert (event.from_status, event.to_status) == ("demanded", "suspended")


def test_without_a_demand_cover_lasts_60_days_after_the_due_date_cn_15(policy):
    # 60 days after 2 March 2027 is 1 May, Labour Day: the period ends on the next working
    # day, 5 May (CN day counting, CC Art. 203), so cover is suspended from 6 May.
    with pytest.raises(InvalidTransition):
        suspend_for_arrears(actor=None, policy=policy, now=at(dt.date(2027, 5, 5), hour=23))

    policy = suspend_for_arrears(actor=None, policy=policy, now=at(dt.date(2027, 5, 6), hour=0))

    assert policy.status == PolicyStatus.SUSPENDED
    assert Arrears.objects.get(policy=policy).case.status == ArrearsStatus.SUSPENDED


def test_a_supervisor_may_suspend_but_an_agent_may_not(dave, carol, policy):
    after = at(dt.date(2027, 5, 7))
    with pytest.raises(NotPermitted):
        suspend_for_arrears(actor=dave, policy=policy, now=after)

    assert suspend_for_arrears(actor=carol, policy=policy, now=after).status == "suspended"


def test_property_policies_are_not_suspended_il_36_is_for_personal_insurance(dave, alice, versions):
    policy = home(dave, alice, versions)

    with pytest.raises(InvalidTransition):
        suspend_for_arrears(actor=None, policy=policy, now=ISSUED + dt.timedelta(days=200))


def test_paying_the_arrears_in_the_grace_period_clears_them_and_cover_continues(alice, policy):
    send_demand_notices(now=DEMANDED)

    pay(alice.user, instalment(policy, SECOND_DUE), at(dt.date(2027, 3, 20)))

    arrears = Arrears.objects.get(policy=policy)
    assert arrears.case.status == ArrearsStatus.CLEARED and arrears.case.closed_at
    kinds = list(arrears.case.events.values_list("kind", flat=True))
    assert kinds == ["opened", "demand_notice_sent", "premium_paid", "cleared"]
    assert suspend_unpaid_policies(now=at(dt.date(2027, 4, 10))) == 0
    policy.refresh_from_db()
    assert policy.status == PolicyStatus.IN_FORCE
    receipt = arrears.case.letters.get(kind="premium_receipt")
    assert receipt.context["due_date"] == "2027-03-02"


def test_the_arrears_figure_is_what_a_claim_in_the_grace_period_is_paid_less_cn_15(policy):
    due = instalment(policy, SECOND_DUE)

    assert arrears_on(policy, dt.date(2027, 3, 1)) == Decimal("0.00")
    assert arrears_on(policy, dt.date(2027, 3, 15)) == due.amount
    position = premium_position(policy, now=at(dt.date(2027, 3, 15)))
    assert position.arrears == due.amount and [i.pk for i in position.overdue] == [due.pk]


# -- GB and US-CA: the insurer's own defaults (SVC-12, status U) ------------------------------


def test_gb_suspends_30_days_after_the_due_date_under_the_insurers_default_svc_12(dave, versions):
    oliver = factories.make_customer("oliver", full_name="Oliver Hughes", jurisdiction="GB")
    issued = dt.datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)
    policy = paid_first(dave, oliver, versions, issued=issued, jurisdiction="GB")
    assert registry.get_rule("GB", "SVC-12").unconfirmed

    demand_premium(
        instalment=instalment(policy, SECOND_DUE),
        actor=None,
        now=dt.datetime(2027, 3, 3, 9, tzinfo=LONDON),
    )

    due = instalment(policy, SECOND_DUE)
    assert due.grace_ends_on == dt.date(2027, 4, 1)  # no demand rule: the due date decides
    assert due.demand_letter.context["unconfirmed"] is True
    assert suspend_unpaid_policies(now=dt.datetime(2027, 4, 1, 23, tzinfo=LONDON)) == 0
    assert suspend_unpaid_policies(now=dt.datetime(2027, 4, 2, 0, 5, tzinfo=LONDON)) == 1


def test_us_ca_never_stops_cover_sooner_than_30_days_after_the_notice_svc_12(dave, versions):
    maria = factories.make_customer("maria", full_name="Maria Gonzalez", jurisdiction="US-CA")
    issued = dt.datetime(2026, 3, 2, 10, 0, tzinfo=LOS_ANGELES)
    policy = paid_first(dave, maria, versions, issued=issued, jurisdiction="US-CA")
    assert "10113.71" in registry.get_rule("US-CA", "SVC-12").source

    on_time = demand_premium(
        instalment=instalment(policy, SECOND_DUE),
        actor=None,
        now=dt.datetime(2027, 3, 3, 9, tzinfo=LOS_ANGELES),
    )
    assert on_time.grace_ends_on == dt.date(2027, 5, 1)  # 60 days after the due date


def test_us_ca_a_late_notice_extends_cover_to_30_days_after_it_svc_12(dave, versions):
    maria = factories.make_customer("maria", full_name="Maria Gonzalez", jurisdiction="US-CA")
    issued = dt.datetime(2026, 3, 2, 10, 0, tzinfo=LOS_ANGELES)
    policy = paid_first(dave, maria, versions, issued=issued, jurisdiction="US-CA")

    late = demand_premium(
        instalment=instalment(policy, SECOND_DUE),
        actor=None,
        now=dt.datetime(2027, 4, 21, 9, tzinfo=LOS_ANGELES),
    )

    assert late.grace_ends_on == dt.date(2027, 5, 21)


# -- the worker ------------------------------------------------------------------------------


def test_the_worker_sweep_runs_the_premium_jobs(policy):
    assert "premiums" in [name for name, _ in worker.periodic_jobs()]

    assert worker.sweep_once(now=DEMANDED)["premiums"] == {
        "reminders": 0,
        "demands": 1,
        "suspended": 0,
        "terminated": 0,
    }
    assert sweep_premiums(now=at(dt.date(2027, 4, 3), hour=1))["suspended"] == 1


def test_a_sweep_with_nothing_due_reads_little(policy, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert sweep_premiums(now=at(dt.date(2026, 9, 1))) == {
            "reminders": 0,
            "demands": 0,
            "suspended": 0,
            "terminated": 0,
        }


def test_every_step_is_on_the_customers_timeline(alice, policy):
    send_demand_notices(now=DEMANDED)
    suspend_unpaid_policies(now=at(dt.date(2027, 4, 3), hour=1))

    seen = CaseEvent.objects.filter(case__customer=alice, visible_to_customer=True)

    assert list(seen.values_list("kind", flat=True)) == [
        "opened",
        "demand_notice_sent",
        "suspended",
    ]
    assert instalment(policy, SECOND_DUE).status == InstalmentStatus.DUE
    assert first(policy).status == InstalmentStatus.PAID
