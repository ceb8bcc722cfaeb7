"""Identifying risks: each number comes from a rule that can be read and checked by hand."""

from decimal import Decimal

import pytest

from insuredesk.planning.assumptions import assumptions_for
from insuredesk.planning.questions import read_answers
from insuredesk.planning.risks import identify_risks, risk_level
from insuredesk.planning.tests.builders import answers
from insuredesk.rules.errors import ProfileError

CN = assumptions_for("CN")  # SVC-23 as the CN profile ships it


def risks(language="en", **overrides):
    found = identify_risks(
        read_answers(answers(**overrides)), currency="CNY", language=language, assumptions=CN
    )
    return {f.code: f for f in found}


def test_the_income_gap_is_income_times_years_plus_debts_less_life_cover():
    income = risks()["income_protection"]

    # 240,000 x 15 years + 1,200,000 of debts = 4,800,000; less 1,000,000 of life cover.
    assert income.exposure == Decimal("4800000.00")
    assert income.existing_cover == Decimal("1000000.00")
    assert income.gap == Decimal("3800000.00")
    assert income.severity == 5  # 15.8 years of income left uncovered
    assert any("15 years" in reason for reason in income.reasons)


def test_no_dependants_and_no_debts_means_no_income_risk():
    assert "income_protection" not in risks(dependants=0, debts="0")


def test_a_home_insured_below_its_value_leaves_the_uninsured_share_of_every_loss():
    found = risks(home_cover="1600000")  # half of 3,000,000 + 200,000

    fire, flood, burglary = found["home_fire"], found["home_flood"], found["home_burglary"]
    assert fire.gap == Decimal("1600000.00")  # rebuild value + contents - sum insured
    assert flood.exposure == Decimal("960000.00")  # 30% of the home's value
    assert flood.gap == Decimal("480000.00")  # paid at 50%, the rest is hers
    assert burglary.gap == Decimal("100000.00")
    assert any("50%" in reason for reason in fire.reasons)


def test_a_home_insured_at_its_value_has_no_gap_and_the_lowest_severity():
    fire = risks()["home_fire"]

    assert fire.gap == 0
    assert fire.severity == 1


def test_timber_a_heritage_listing_and_no_smoke_alarm_make_a_fire_likelier():
    assert risks()["home_fire"].likelihood == 2  # rare, plus no smoke alarms
    assert risks(construction="timber", heritage="yes")["home_fire"].likelihood == 5


def test_severity_grows_with_the_years_of_income_left_uncovered():
    def severity(cover: str) -> int:
        return risks(ci_cover=cover)["critical_illness"].severity

    # Exposure 720,000 = 3 years of 240,000; bearable loss 50,000.
    assert severity("720000") == 1  # covered
    assert severity("680000") == 1  # 40,000 left: savings bear it
    assert severity("640000") == 2  # 80,000: a third of a year's income
    assert severity("600000") == 3  # 120,000: half a year
    assert severity("240000") == 4  # 480,000: two years
    assert severity("0") == 4  # 720,000: three years


def test_smoking_and_little_exercise_raise_the_illness_likelihood_and_exercise_lowers_it():
    assert risks()["critical_illness"].likelihood == 2
    assert risks(smoker="yes", exercise="rarely")["critical_illness"].likelihood == 4
    assert risks(exercise="often")["critical_illness"].likelihood == 1


def test_a_renter_has_contents_risks_only():
    found = risks(home_status="rent", home_cover="0")

    assert found["home_fire"].exposure == Decimal("200000.00")
    assert found["home_burglary"].gap == Decimal("200000.00")


def test_motor_counts_the_car_and_liability_to_others():
    motor = risks(motor_cover="third_party")["motor"]

    assert motor.exposure == Decimal("1250000.00")
    assert motor.existing_cover == Decimal("1000000.00")
    assert motor.gap == Decimal("250000.00")


def test_a_hazardous_trade_is_a_likely_business_loss():
    business = risks(
        runs_business="yes",
        business_value="800000",
        business_activity="hazardous",
        employees=30,
        business_cover="0",
    )["business_property"]

    assert business.likelihood == 5
    assert business.gap == Decimal("800000.00")


def test_the_score_is_likelihood_times_severity_and_the_highest_comes_first():
    found = identify_risks(read_answers(answers()), currency="CNY", language="en", assumptions=CN)

    assert all(f.score == f.likelihood * f.severity for f in found)
    assert [f.score for f in found] == sorted((f.score for f in found), reverse=True)
    assert found[0].code == "critical_illness"


def test_the_matrix_bands():
    assert [risk_level(s) for s in (1, 4, 5, 9, 10, 16, 20, 25)] == [
        "low", "low", "medium", "medium", "high", "high", "severe", "severe",
    ]  # fmt: skip


def test_a_chinese_reader_gets_the_risks_in_chinese():
    income = risks(language="zh")["income_protection"]

    assert income.title == "您身故后家庭的收入"
    assert "15 年" in income.reasons[1]


# -- the assumptions are the jurisdiction's (SVC-23) ----------------------------------------------


def test_each_profile_counts_its_own_motor_liability_in_its_currency_svc_23():
    gb = assumptions_for("GB")
    found = identify_risks(
        read_answers(answers(vehicle_value="20000")),
        currency="GBP",
        language="en",
        assumptions=gb,
    )
    motor = next(f for f in found if f.code == "motor")
    assert gb.currency == "GBP"
    assert motor.exposure == Decimal("20000") + gb.motor_liability_need
    assert "GBP 5,000,000 of liability to others" in " ".join(motor.reasons)
    assert assumptions_for("US-CA").motor_liability_need == Decimal("500000")


def test_an_insurer_may_count_more_years_of_income_for_a_critical_illness(overrides):
    overrides({"CN": {"SVC-23": {"params": {"ci_income_years": 5}}}})
    five = assumptions_for("CN")
    found = identify_risks(read_answers(answers()), currency="CNY", language="en", assumptions=five)

    ci = next(f for f in found if f.code == "critical_illness")
    assert ci.exposure == read_answers(answers())["annual_income"] * 5
    assert "Needed: 5 years of your income" in " ".join(ci.reasons)


def test_unreadable_assumptions_stop_the_profile_loudly(overrides):
    overrides({"CN": {"SVC-23": {"params": {"flood_share_percent": "130"}}}})
    with pytest.raises(ProfileError, match="out of range"):
        assumptions_for("CN")
    overrides({"CN": {"SVC-23": {"params": {"ci_income_years": "three"}}}})
    with pytest.raises(ProfileError, match="whole number"):
        assumptions_for("CN")
