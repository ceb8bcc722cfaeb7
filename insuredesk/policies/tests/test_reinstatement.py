"""Reinstating a suspended policy by agreement, and terminating one that was not reinstated
within the period (CN-16, IL Art. 37)."""

from __future__ import annotations

import datetime as dt

import pytest

from insuredesk.casework.models import Clock
from insuredesk.errors import InvalidTransition, NotPermitted, ValidationFailed
from insuredesk.notifications.models import Message
from insuredesk.policies.choices import ArrearsStatus, PolicyStatus
from insuredesk.policies.models import Arrears, Policy, Reinstatement
from insuredesk.policies.services import (
    apply_for_reinstatement,
    decide_reinstatement,
    send_demand_notices,
    suspend_unpaid_policies,
    terminate_suspended_policy,
    terminate_unreinstated_policies,
)
from insuredesk.policies.tests.premiums import (
    SECOND_DUE,
    at,
    demo_versions,
    instalment,
    paid_first,
    pay,
    ursula,
)

SUSPENDED_ON = dt.date(2027, 4, 3)  # demand on 3 March 2027, 30 days (CN-15)
APPLIED = at(dt.date(2027, 4, 12))  # a Monday
REINSTATE_BY = dt.date(2029, 4, 3)  # CN-16: 2 years from the suspension


@pytest.fixture
def versions(db):
    return demo_versions()


@pytest.fixture
def suspended(dave, alice, versions) -> Policy:
    policy = paid_first(dave, alice, versions)
    send_demand_notices(now=at(dt.date(2027, 3, 3), hour=9))
    suspend_unpaid_policies(now=at(SUSPENDED_ON, hour=1))
    policy.refresh_from_db()
    assert policy.status == PolicyStatus.SUSPENDED
    return policy


def case_of(policy: Policy):
    return Arrears.objects.get(policy=policy).case


def test_the_policyholder_applies_and_the_decision_clock_starts_svc_14(alice, suspended):
    reinstatement = apply_for_reinstatement(
        actor=alice.user,
        policy=suspended,
        now=APPLIED,
        statement="The insured's health has not changed since the policy started.",
    )

    case = case_of(suspended)
    assert case.status == ArrearsStatus.REINSTATEMENT_REQUESTED
    assert reinstatement.applied_by == alice.user and "health" in reinstatement.statement
    clock = Clock.objects.get(case=case, name="decide")
    assert (clock.rule, clock.due_date) == ("SVC-14", dt.date(2027, 4, 19))
    assert case.next_deadline == clock.deadline
    told = Message.objects.get(dedupe_key__startswith="reinstatement-received", channel="portal")
    assert "2027-04-19" in told.body


def test_agreed_then_paid_the_policy_is_in_force_again_il_37(alice, suspended):
    reinstatement = apply_for_reinstatement(actor=alice.user, policy=suspended, now=APPLIED)
    decided = decide_reinstatement(
        actor=ursula(),
        reinstatement=reinstatement,
        decision="agreed",
        reasons="",
        now=APPLIED + dt.timedelta(days=1),
    )

    assert case_of(suspended).status == ArrearsStatus.REINSTATEMENT_AGREED
    letter = decided.letter
    assert letter.kind == "reinstatement_decision" and letter.context["agreed"] is True
    due = instalment(suspended, SECOND_DUE)
    assert letter.context["total"] == str(due.amount)
    assert letter.context["pay_by"] == REINSTATE_BY.isoformat()
    assert Clock.objects.get(case=case_of(suspended), name="decide").state == "met"

    pay(alice.user, due, APPLIED + dt.timedelta(days=2))

    suspended.refresh_from_db()
    assert suspended.status == PolicyStatus.IN_FORCE
    case = case_of(suspended)
    assert case.status == ArrearsStatus.REINSTATED and case.closed_at
    assert list(case.events.values_list("kind", flat=True))[-3:] == [
        "reinstatement_agreed",
        "premium_paid",
        "reinstated",
    ]
    reinstated = case.events.get(kind="reinstated")
    assert (reinstated.from_status, reinstated.to_status) == (
        "reinstatement_agreed",
        "reinstated",
    )


def test_declined_with_reasons_the_policy_stays_suspended_and_may_apply_again(
    alice, carol, suspended
):
    reinstatement = apply_for_reinstatement(actor=alice.user, policy=suspended, now=APPLIED)

    decided = decide_reinstatement(
        actor=carol,
        reinstatement=reinstatement,
        decision="declined",
        reasons="The insured was diagnosed with a listed illness while the policy was suspended.",
        now=APPLIED + dt.timedelta(days=1),
    )

    assert decided.letter.context["agreed"] is False
    assert "diagnosed" in decided.letter.context["reasons"]
    assert case_of(suspended).status == ArrearsStatus.SUSPENDED
    again = apply_for_reinstatement(
        actor=alice.user, policy=suspended, now=APPLIED + dt.timedelta(days=30)
    )
    assert Reinstatement.objects.filter(arrears__policy=suspended).count() == 2
    assert again.decision == ""


def test_a_decline_must_give_its_reasons(alice, carol, suspended):
    reinstatement = apply_for_reinstatement(actor=alice.user, policy=suspended, now=APPLIED)

    with pytest.raises(ValidationFailed) as refused:
        decide_reinstatement(
            actor=carol, reinstatement=reinstatement, decision="declined", reasons=" ", now=APPLIED
        )

    assert refused.value.details["field"] == "reasons"
    reinstatement.refresh_from_db()
    assert reinstatement.decision == ""


def test_an_unknown_decision_is_refused(alice, carol, suspended):
    reinstatement = apply_for_reinstatement(actor=alice.user, policy=suspended, now=APPLIED)

    with pytest.raises(ValidationFailed) as refused:
        decide_reinstatement(
            actor=carol, reinstatement=reinstatement, decision="maybe", reasons="", now=APPLIED
        )

    assert refused.value.details["field"] == "decision"


def test_an_agent_does_not_decide_a_reinstatement(alice, dave, suspended):
    reinstatement = apply_for_reinstatement(actor=alice.user, policy=suspended, now=APPLIED)

    with pytest.raises(NotPermitted):
        decide_reinstatement(
            actor=dave, reinstatement=reinstatement, decision="agreed", reasons="", now=APPLIED
        )


def test_an_application_is_decided_once(alice, carol, suspended):
    reinstatement = apply_for_reinstatement(actor=alice.user, policy=suspended, now=APPLIED)
    decide_reinstatement(
        actor=carol, reinstatement=reinstatement, decision="agreed", reasons="", now=APPLIED
    )

    with pytest.raises(InvalidTransition):
        decide_reinstatement(
            actor=carol,
            reinstatement=reinstatement,
            decision="declined",
            reasons="Second thoughts.",
            now=APPLIED,
        )


def test_one_application_waits_at_a_time(alice, suspended):
    apply_for_reinstatement(actor=alice.user, policy=suspended, now=APPLIED)

    with pytest.raises(InvalidTransition):
        apply_for_reinstatement(actor=alice.user, policy=suspended, now=APPLIED)

    assert Reinstatement.objects.count() == 1


def test_mallory_cannot_apply_for_alices_policy(mallory, suspended):
    with pytest.raises(NotPermitted):
        apply_for_reinstatement(actor=mallory.user, policy=suspended, now=APPLIED)


def test_a_policy_in_force_has_nothing_to_reinstate(dave, alice, versions):
    policy = paid_first(dave, alice, versions)

    with pytest.raises(InvalidTransition):
        apply_for_reinstatement(actor=alice.user, policy=policy, now=APPLIED)


def test_an_application_on_the_last_day_of_the_period_is_taken_cn_16(alice, suspended):
    reinstatement = apply_for_reinstatement(
        actor=alice.user, policy=suspended, now=at(REINSTATE_BY, hour=23)
    )

    assert reinstatement.pk is not None


def test_an_application_the_day_after_the_period_is_refused_cn_16(alice, suspended):
    with pytest.raises(InvalidTransition) as refused:
        apply_for_reinstatement(
            actor=alice.user, policy=suspended, now=at(REINSTATE_BY + dt.timedelta(days=1))
        )

    assert refused.value.details["rule"] == "CN-16"


def test_not_reinstated_in_two_years_the_worker_terminates_it_il_37(alice, suspended):
    assert terminate_unreinstated_policies(now=at(REINSTATE_BY, hour=23)) == 0

    assert terminate_unreinstated_policies(now=at(REINSTATE_BY + dt.timedelta(days=1))) == 1

    suspended.refresh_from_db()
    assert suspended.status == PolicyStatus.LAPSED
    arrears = Arrears.objects.get(policy=suspended)
    assert arrears.case.status == ArrearsStatus.TERMINATED
    letter = arrears.termination_letter
    assert letter.kind == "policy_termination"
    # The demo term life's surrender terms give the cash value the letter states (CN-16);
    # test_surrender.py checks the figure.
    assert letter.context["cash_value_known"] is True
    assert letter.context["cash_value"]["method"] == "cash_value"
    assert letter.context["reinstate_by"] == REINSTATE_BY.isoformat()


def test_termination_waits_for_a_pending_application_to_be_decided(alice, carol, suspended):
    apply_for_reinstatement(actor=alice.user, policy=suspended, now=at(REINSTATE_BY))
    after = at(REINSTATE_BY + dt.timedelta(days=3))

    assert terminate_unreinstated_policies(now=after) == 0
    with pytest.raises(InvalidTransition):
        terminate_suspended_policy(actor=carol, policy=suspended, now=after)


def test_an_agreed_reinstatement_never_paid_ends_with_the_period(alice, carol, suspended):
    reinstatement = apply_for_reinstatement(actor=alice.user, policy=suspended, now=APPLIED)
    decide_reinstatement(
        actor=carol, reinstatement=reinstatement, decision="agreed", reasons="", now=APPLIED
    )

    assert terminate_unreinstated_policies(now=at(REINSTATE_BY + dt.timedelta(days=1))) == 1
    assert case_of(suspended).status == ArrearsStatus.TERMINATED


def test_an_agent_does_not_terminate(dave, suspended):
    with pytest.raises(NotPermitted):
        terminate_suspended_policy(
            actor=dave, policy=suspended, now=at(REINSTATE_BY + dt.timedelta(days=1))
        )


def test_staff_may_apply_at_the_policyholders_request(dave, suspended):
    reinstatement = apply_for_reinstatement(
        actor=dave, policy=suspended, now=APPLIED, statement="Asked by phone on 12 April."
    )

    assert reinstatement.applied_by == dave
