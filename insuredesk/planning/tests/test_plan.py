"""The risk plan: a treatment for every risk by fixed rules, prevention measures, and cover
priced by the catalogue's rating and fitted to the customer's budget, saying what stays
uncovered."""

import datetime as dt
from decimal import Decimal

import pytest

from insuredesk.catalog.models import ProductVersion
from insuredesk.catalog.rating import quote_for
from insuredesk.planning import plan
from insuredesk.planning.assumptions import assumptions_for
from insuredesk.planning.choices import FitStatus, Treatment
from insuredesk.planning.questions import read_answers
from insuredesk.planning.risks import identify_risks
from insuredesk.planning.selectors import versions_on_sale
from insuredesk.planning.tests.builders import answers

pytestmark = pytest.mark.usefixtures("catalogue")
DAY = dt.date(2026, 3, 2)

CN = assumptions_for("CN")  # SVC-23 as the CN profile ships it


def uncovered(found, recs, code: str) -> Decimal:
    return plan.uncovered(found[code], list(recs.values()), flood_share=CN.flood_share)


def make_plan(**overrides):
    typed = read_answers(answers(**overrides))
    found = identify_risks(typed, currency="CNY", language="en", assumptions=CN)
    versions = versions_on_sale("CNY", DAY)
    treatments = {
        f.code: plan.treatment_for(
            f, can_insure=plan.transferable(f.code, typed, versions), language="en"
        )[0]
        for f in found
    }
    recs = plan.recommend(
        found, treatments=treatments, answers=typed, versions=versions, language="en"
    )
    fitted = plan.fit_to_budget(recs, budget=typed["annual_budget"], language="en", currency="CNY")
    return {f.code: f for f in found}, treatments, {r.line: r for r in fitted}


def test_risks_already_insured_stay_with_their_cover_and_the_big_gaps_are_insured():
    _, treatments, _ = make_plan()

    assert treatments["home_fire"] == Treatment.TRANSFER  # insured at its value already
    assert treatments["income_protection"] == Treatment.TRANSFER  # 15.8 years of income
    assert treatments["critical_illness"] == Treatment.TRANSFER


def test_a_small_likely_gap_is_reduced_by_prevention_and_a_small_unlikely_one_retained():
    # Contents of 60,000 uninsured: a quarter of a year's income, above the 50,000 savings bear.
    found, treatments, _ = make_plan(home_status="rent", home_cover="0", contents_value="60000")

    assert found["home_burglary"].severity == 2
    assert treatments["home_burglary"] == Treatment.RETAIN  # secure locks: unlikely
    _, treatments, _ = make_plan(
        home_status="rent", home_cover="0", contents_value="60000", security="basic"
    )
    assert treatments["home_burglary"] == Treatment.REDUCE  # ordinary locks: likely


def test_a_likely_large_risk_no_product_carries_is_to_be_avoided():
    found, treatments, _ = make_plan(
        runs_business="yes",
        business_value="2000000",
        business_activity="hazardous",
        employees=5,
        business_cover="0",
    )

    assert found["business_property"].likelihood >= 4
    assert treatments["business_property"] == Treatment.AVOID


def test_the_recommended_premium_is_the_catalogue_rating_of_the_recommended_cover():
    _, _, recs = make_plan(annual_budget="100000")
    life = recs["term_life"]

    expected = quote_for(
        life.version, sum_insured=Decimal("3800000"), term_years=20, inputs={"age": 38}
    )
    assert life.full_sum_insured == Decimal("3800000")  # the gap, in round ten-thousands
    assert life.term_years == 20  # the shortest term offered that lasts the 15 years
    assert life.premium == expected.annual_premium == Decimal("4800.00")
    assert life.fit == FitStatus.FITS


def test_the_budget_goes_to_the_highest_score_first_and_life_cover_is_reduced_to_fit():
    _, _, recs = make_plan()  # budget 6,000

    illness, life = recs["critical_illness"], recs["term_life"]
    assert illness.fit == FitStatus.FITS  # score 8, first: 3,096.00
    assert illness.premium == Decimal("3096.00")
    assert life.fit == FitStatus.REDUCED  # 4,800 does not fit the 2,904 left
    assert life.sum_insured == Decimal("2280000")  # six tenths of 3,800,000
    assert life.premium == Decimal("2900.00")
    assert plan.spent(list(recs.values())) == Decimal("5996.00")
    assert "the full cover would cost CNY 4,800.00" in life.notes[-1]


def test_a_budget_too_small_for_anything_shows_every_cover_beyond_it():
    _, _, recs = make_plan(annual_budget="100")

    assert {r.fit for r in recs.values()} == {FitStatus.OVER_BUDGET}
    assert plan.spent(list(recs.values())) == 0


def test_an_under_insured_home_that_does_not_fit_is_insured_for_the_building_alone():
    found, _, recs = make_plan(home_cover="0", annual_budget="1500")

    home = recs["home"]
    assert home.full_sum_insured == Decimal("3200000.00")
    assert home.fit == FitStatus.REDUCED
    assert home.sum_insured == Decimal("3000000")
    assert home.rating_inputs["contents_value"] == "0"
    assert uncovered(found, recs, "home_burglary") == Decimal("200000.00")
    assert uncovered(found, recs, "home_fire") == Decimal("200000.00")


def test_a_cover_the_product_cannot_give_is_unavailable_and_its_gap_stays_uncovered():
    # At 65 no term life ends by the product's age limit of 70.
    found, _, recs = make_plan(age=65, annual_budget="50000")

    life = recs["term_life"]
    assert life.fit == FitStatus.UNAVAILABLE
    assert "70" in life.notes[0]
    assert uncovered(found, recs, "income_protection") == (found["income_protection"].gap)


def test_motor_cover_carries_the_car_and_liability_to_others():
    found, _, recs = make_plan(motor_cover="none", annual_budget="50000")

    motor = recs["motor"]
    assert motor.sum_insured == Decimal("250000.00")
    assert motor.fit == FitStatus.FITS
    assert uncovered(found, recs, "motor") == 0


def test_a_gap_above_the_products_limit_says_what_stays_uncovered():
    found, _, recs = make_plan(annual_income="900000", annual_budget="100000")

    life = recs["term_life"]
    assert life.full_sum_insured == Decimal("5000000")  # Harbour Term Life's most
    assert "stays uncovered" in life.notes[0]
    left = uncovered(found, recs, "income_protection")
    assert left == found["income_protection"].gap - Decimal("5000000")


def test_measures_are_the_ones_the_answers_call_for():
    codes = [m["code"] for m in plan.measures_of("home_fire", read_answers(answers()), "en")]

    assert "smoke_alarms" in codes  # she has none
    assert "wiring" not in codes  # concrete, not listed
    zh = plan.measures_of("home_fire", read_answers(answers()), "zh")
    assert zh[0]["text"].startswith("在每层楼")


def test_only_products_in_the_assessments_currency_are_recommended():
    assert set(versions_on_sale("CNY", DAY)) == {"term_life", "critical_illness", "motor", "home"}
    uk = versions_on_sale("GBP", DAY)
    assert {line: v.product.code for line, v in uk.items()} == {
        "term_life": "harbour-life-uk",
        "critical_illness": "harbour-critical-illness-uk",
        "motor": "harbour-motor-uk",
        "home": "harbour-home-uk",
    }
    assert {v.product.market for v in versions_on_sale("USD", DAY).values()} == {"US-CA"}
    assert versions_on_sale("EUR", DAY) == {}
    assert all(isinstance(v, ProductVersion) for v in versions_on_sale("CNY", DAY).values())
