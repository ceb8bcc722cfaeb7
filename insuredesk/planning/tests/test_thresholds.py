"""SVC-21, the insurer's own standard (U): when a written insurance proposal is owed, read from
each jurisdiction profile's parameters."""

from decimal import Decimal

import pytest

from insuredesk.planning.questions import read_answers
from insuredesk.planning.tests.builders import answers
from insuredesk.planning.thresholds import SPECIAL_RISKS, proposal_reasons, threshold_for
from insuredesk.rules import registry


@pytest.mark.parametrize(
    ("code", "amount", "currency"),
    [("CN", "5000000", "CNY"), ("GB", "1000000", "GBP"), ("US-CA", "1000000", "USD")],
)
def test_svc_21_sets_the_large_sum_per_jurisdiction(code, amount, currency):
    threshold = threshold_for(code)

    assert threshold.amount == Decimal(amount)
    assert threshold.currency == currency
    assert set(threshold.special_risks) <= set(SPECIAL_RISKS)
    assert registry.get_rule(code, "SVC-21").unconfirmed  # the insurer's standard, not law


def reasons(jurisdiction="CN", currency="CNY", exposure="4999999.99", **overrides):
    return proposal_reasons(
        jurisdiction=jurisdiction,
        currency=currency,
        answers=read_answers(answers(**overrides)),
        exposures=[("home_fire", "Fire destroys your home", Decimal(exposure))],
        language="en",
    )


def test_svc_21_a_sum_at_or_above_the_threshold_calls_for_a_proposal():
    assert reasons() == []
    found = reasons(exposure="5000000")

    assert [r.code for r in found] == ["large_sum"]
    assert found[0].risk == "home_fire"
    assert "CNY 5,000,000" in found[0].text


def test_svc_21_special_risks_call_for_a_proposal_whatever_the_amount():
    found = reasons(occupation="hazardous", heritage="yes")

    assert {r.code for r in found} == {"hazardous_occupation", "heritage_building"}


def test_svc_21_never_compares_amounts_in_another_currency():
    assert reasons(jurisdiction="GB", currency="CNY", exposure="9000000") == []


def test_svc_21_the_threshold_is_configurable_as_an_unconfirmed_rule(settings):
    settings.INSUREDESK_RULE_OVERRIDES = {
        "CN": {"SVC-21": {"params": {"sum_insured_at_least": "8000000"}}}
    }
    registry.reload()
    try:
        assert reasons(exposure="6000000") == []
        assert threshold_for("CN").amount == Decimal("8000000")
    finally:
        del settings.INSUREDESK_RULE_OVERRIDES
        registry.reload()
