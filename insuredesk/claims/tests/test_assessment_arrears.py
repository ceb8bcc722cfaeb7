"""A claim on personal insurance for an event in the premium grace period is paid less the
unpaid premium (CN-15, IL Art. 36); property cover and premiums paid in time lose nothing."""

import datetime as dt
from decimal import Decimal

import pytest

from insuredesk.claims import services
from insuredesk.claims.tests.factories import report
from insuredesk.policies.services import send_demand_notices
from insuredesk.policies.tests.premiums import (
    SECOND_DUE,
    at,
    demo_versions,
    instalment,
    paid_first,
    pay,
)
from insuredesk.tests.factories import make_policy

DIED = dt.date(2027, 3, 20)  # 18 days after the second premium fell due, cover still running
LATER = at(dt.date(2027, 3, 25))


@pytest.fixture
def versions(db):
    return demo_versions()


def assess(claim, bob, amount="500000"):
    return services.assess_loss(
        claim=claim,
        items=[{"coverage": claim.coverage.code, "amount": amount, "description": "Death benefit"}],
        actor=bob,
        now=LATER,
    )


def test_a_death_in_the_grace_period_is_paid_less_the_unpaid_premium_cn_15(
    dave, alice, bob, versions
):
    policy = paid_first(dave, alice, versions)
    send_demand_notices(now=at(dt.date(2027, 3, 3), hour=9))
    claim = report(policy, actor=alice.user, now=LATER, event_date=DIED, loss_type="death")
    unpaid = instalment(policy, SECOND_DUE).amount

    assessment = assess(claim, bob)

    arrears = [line for line in assessment.lines if line["kind"] == "arrears"]
    assert len(arrears) == 1 and "IL Art. 36" in arrears[0]["label"]
    assert Decimal(arrears[0]["amount"]) == -unpaid
    assert assessment.payable == Decimal("500000") - unpaid


def test_nothing_is_deducted_once_the_premium_is_paid(dave, alice, bob, versions):
    policy = paid_first(dave, alice, versions)
    pay(alice.user, instalment(policy, SECOND_DUE), at(dt.date(2027, 3, 10)))
    claim = report(policy, actor=alice.user, now=LATER, event_date=DIED, loss_type="death")

    assessment = assess(claim, bob)

    assert not [line for line in assessment.lines if line["kind"] == "arrears"]
    assert assessment.payable == Decimal("500000")


def test_property_cover_is_not_paid_less_arrears(alice, bob):
    policy = make_policy(alice, start=dt.date(2026, 1, 5))  # home cover, premium never paid
    claim = report(policy, now=LATER, event_date=dt.date(2026, 3, 20))

    assessment = assess(claim, bob, amount="3000")

    assert not [line for line in assessment.lines if line["kind"] == "arrears"]
