"""The risk check's questions: every answer that applies is required and typed, the rest are
dropped, and a bad answer names its question."""

from decimal import Decimal

import pytest

from insuredesk.errors import ValidationFailed
from insuredesk.planning.questions import (
    BY_CODE,
    QUESTIONS,
    answer_words,
    is_asked,
    read_answers,
)
from insuredesk.planning.tests.builders import answers


def test_answers_are_typed_as_the_rules_read_them():
    typed = read_answers(answers())

    assert typed["annual_income"] == Decimal("240000.00")
    assert typed["dependants"] == 2
    assert typed["smoker"] is False
    assert typed["has_vehicle"] is True
    assert typed["home_status"] == "own"


def test_yes_and_no_may_be_given_as_booleans_or_words():
    assert read_answers(answers(smoker=True))["smoker"] is True
    assert read_answers(answers(smoker="yes"))["smoker"] is True


def test_a_renter_is_not_asked_the_rebuild_value_and_a_given_one_is_dropped():
    typed = read_answers(answers(home_status="rent", rebuild_value="999"))

    assert "rebuild_value" not in typed
    assert "construction" not in typed
    assert typed["contents_value"] == Decimal("200000.00")


def test_without_a_car_or_business_their_questions_are_not_asked():
    given = {k: v for k, v in answers(has_vehicle="no").items() if k != "vehicle_value"}

    typed = read_answers(given)

    assert not {"vehicle_value", "annual_distance", "motor_cover"} & set(typed)
    assert "business_value" not in typed


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"annual_income": ""}, "answers.annual_income"),
        ({"annual_income": "-1"}, "answers.annual_income"),
        ({"annual_income": "12.345"}, "answers.annual_income"),
        ({"annual_income": 1.5}, "answers.annual_income"),  # no float reaches money
        ({"dependants": 21}, "answers.dependants"),
        ({"dependants": "2.5"}, "answers.dependants"),
        ({"home_status": "castle"}, "answers.home_status"),
        ({"smoker": "maybe"}, "answers.smoker"),
        ({"favourite_colour": "blue"}, "answers.favourite_colour"),
    ],
)
def test_a_bad_answer_names_its_question(overrides, field):
    with pytest.raises(ValidationFailed) as refused:
        read_answers(answers(**overrides))

    assert refused.value.details["field"] == field


def test_a_missing_answer_to_a_question_that_applies_is_asked_for():
    given = answers()
    del given["rebuild_value"]

    with pytest.raises(ValidationFailed, match="rebuild") as refused:
        read_answers(given)

    assert refused.value.details["field"] == "answers.rebuild_value"


def test_every_question_has_both_languages_and_its_condition_names_an_earlier_question():
    seen = set()
    for question in QUESTIONS:
        assert question.en and question.zh, question.code
        assert all(c.en and c.zh for c in question.choices), question.code
        if question.asked_if:
            assert question.asked_if[0] in seen, question.code
        seen.add(question.code)


def test_an_answer_reads_in_the_customers_language():
    assert answer_words(BY_CODE["home_status"], "own", "zh") == "自有"
    assert answer_words(BY_CODE["smoker"], False, "en") == "No"
    assert answer_words(BY_CODE["rebuild_value"], Decimal("3000000"), "en") == "3,000,000.00"
    assert is_asked(BY_CODE["vehicle_value"], {"has_vehicle": "yes"})
