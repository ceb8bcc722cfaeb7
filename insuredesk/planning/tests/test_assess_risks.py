"""Assessing a customer's risks: who may, what is kept (the questions word for word beside the
answers), the plan stored with it, SVC-21's verdict, and a new budget."""

import datetime as dt
from decimal import Decimal

import pytest

from insuredesk.errors import NotFound, NotPermitted, ValidationFailed
from insuredesk.notifications.models import Message
from insuredesk.planning import services
from insuredesk.planning.assumptions import assumptions_for, assumptions_of
from insuredesk.planning.choices import FitStatus
from insuredesk.planning.models import IdentifiedRisk, RiskAnswer, RiskAssessment
from insuredesk.planning.questions import BY_CODE, QUESTIONS_VERSION
from insuredesk.planning.tests.builders import NOW, VILLA, agent, answers, assess
from insuredesk.tests import factories

pytestmark = pytest.mark.usefixtures("catalogue")


def test_alice_checks_her_risks_and_gets_a_plan_fitted_to_her_budget(alice):
    assessment = assess(alice)

    assert assessment.customer == alice
    assert assessment.agent is None
    assert assessment.currency == "CNY"
    assert assessment.annual_budget == Decimal("6000.00")
    assert assessment.premium_within_budget == Decimal("5996.00")
    assert assessment.budget_left == Decimal("4.00")
    assert assessment.priced_on == NOW.date()
    codes = [r.code for r in assessment.risks.all()]
    assert codes[0] == "critical_illness"  # the highest score first
    life = assessment.risks.get(code="income_protection")
    assert life.gap == Decimal("3800000.00")
    assert life.uncovered == Decimal("1520000.00")  # 3,800,000 less the 2,280,000 that fits
    assert {r.fit for r in assessment.recommendations.all()} == {
        FitStatus.FITS,
        FitStatus.REDUCED,
    }
    assert not assessment.proposal_required


def test_the_questions_are_kept_word_for_word_beside_the_answers_with_their_version(db, catalogue):
    wang = factories.make_customer("wang", full_name="Wang Fang")
    wang.language = "zh"
    wang.save()

    assessment = assess(wang)

    row = assessment.answers.get(code="home_status")
    assert row.question == BY_CODE["home_status"].zh
    assert row.answer == "自有"
    assert row.value == "own"
    assert row.questions_version == QUESTIONS_VERSION
    assert assessment.answers.get(code="debts").value == "1200000.00"
    assert assessment.risks.get(code="income_protection").title == "您身故后家庭的收入"


def test_dave_goes_through_the_check_with_alice_and_she_is_told(alice):
    dave = agent()

    assessment = assess(alice, actor=dave)

    assert assessment.agent == dave
    assert assessment.customer == alice
    told = Message.objects.filter(recipient_customer=alice)
    assert {m.channel for m in told} == {"portal", "email"}


def test_staff_who_do_not_sell_and_customers_for_another_are_refused(alice, mallory, bob):
    with pytest.raises(NotPermitted):
        assess(alice, actor=bob)
    with pytest.raises(NotFound):
        services.assess_risks(actor=mallory.user, customer=alice, answers=answers(), now=NOW)
    with pytest.raises(ValidationFailed) as unnamed:
        services.assess_risks(actor=agent(), answers=answers(), now=NOW)
    assert unnamed.value.details["field"] == "customer"


def test_a_bad_answer_names_the_question_and_writes_nothing(alice):
    with pytest.raises(ValidationFailed) as refused:
        assess(alice, rebuild_value="lots")

    assert refused.value.details["field"] == "answers.rebuild_value"
    assert not RiskAssessment.objects.exists()
    assert not RiskAnswer.objects.exists()
    assert not IdentifiedRisk.objects.exists()


def test_svc_21_a_villa_worth_twelve_million_calls_for_a_written_proposal(alice):
    assessment = assess(alice, **VILLA)

    assert assessment.proposal_required
    reason = assessment.proposal_reasons[0]
    assert reason["code"] == "large_sum"
    assert reason["risk"] == "home_fire"
    assert reason["rule"] == "SVC-21"


def test_a_new_budget_refits_the_plan_and_keeps_the_answer_as_given(alice):
    assessment = assess(alice)

    services.change_budget(actor=alice.user, assessment=assessment, annual_budget="10000", now=NOW)

    assessment.refresh_from_db()
    assert assessment.annual_budget == Decimal("10000.00")
    assert assessment.premium_within_budget == Decimal("7896.00")  # both covers in full
    assert assessment.budget_changed_at == NOW
    assert {r.fit for r in assessment.recommendations.all()} == {FitStatus.FITS}
    assert assessment.risks.get(code="income_protection").uncovered == 0
    assert assessment.answers.get(code="annual_budget").value == "6000.00"


def test_mallory_cannot_refit_alices_plan_and_a_bad_budget_names_the_field(alice, mallory):
    assessment = assess(alice)

    with pytest.raises(NotFound):
        services.change_budget(
            actor=mallory.user, assessment=assessment, annual_budget="1", now=NOW
        )
    with pytest.raises(ValidationFailed) as refused:
        services.change_budget(actor=alice.user, assessment=assessment, annual_budget="-5", now=NOW)
    assert refused.value.details["field"] == "annual_budget"


def test_a_plan_is_priced_on_the_day_it_is_made(alice):
    later = NOW + dt.timedelta(days=40)

    assessment = assess(alice, now=later)

    assert assessment.priced_on == later.date()


def test_a_gb_customers_check_is_in_pounds_and_recommends_only_uk_products(db):
    oliver = factories.make_customer("oliver", full_name="Oliver Hughes", jurisdiction="GB")

    assessment = assess(oliver, **VILLA)  # the villa's figures, read as pounds

    assert assessment.currency == "GBP"
    recommended = {
        r.product_version.product.code: r
        for r in assessment.recommendations.select_related("product_version__product")
    }
    assert set(recommended) == {"harbour-home-uk", "harbour-life-uk", "harbour-critical-illness-uk"}
    assert {r.currency for r in recommended.values()} == {"GBP"}
    home = recommended["harbour-home-uk"]
    # GBP 12,000,000 is beyond the UK home product's limits: named, not silently cut down.
    assert home.fit == "unavailable"
    assert "50000-2150000" in home.notes[-1]
    fire = assessment.risks.get(code="home_fire")
    assert fire.uncovered == fire.gap
    illness = recommended["harbour-critical-illness-uk"]  # capped at its GBP 500,000 limit
    assert illness.sum_insured == Decimal("500000.00")
    assert "220,000.00 of the gap stays uncovered" in illness.notes[-1]
    assert assessment.proposal_reasons[0]["text"].endswith(
        "at or above the GBP 1,000,000 from which we give a written proposal."
    )  # SVC-21 in the GB profile


def test_a_californian_is_told_which_gaps_no_product_of_their_market_covers(db):
    maria = factories.make_customer("maria", full_name="Maria Vega", jurisdiction="US-CA")

    assessment = assess(maria, **VILLA)

    recommended = assessment.recommendations.select_related("product_version__product")
    assert {r.product_version.product.market for r in recommended} == {"US-CA"}
    illness = assessment.risks.get(code="critical_illness")  # none sold in California yet
    assert "none of our products" in illness.treatment_reason
    assert illness.uncovered == illness.gap


def test_a_plan_keeps_the_assumptions_it_was_made_with_svc_23(alice, overrides):
    assessment = assess(alice)
    assert assessment.assumptions == assumptions_for("CN").as_dict()
    assert assessment.assumptions["flood_share_percent"] == "30.00"

    overrides({"CN": {"SVC-23": {"params": {"flood_share_percent": "90"}}}})

    # A later budget change counts with the stored share, a new check with the profile's.
    assert assumptions_of(assessment.assumptions, "CN").flood_share == Decimal("0.30")
    assert assumptions_of({}, "CN").flood_share == Decimal("0.90")
