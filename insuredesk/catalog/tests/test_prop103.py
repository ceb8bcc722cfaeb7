"""California auto rated as Proposition 103 requires (Ins. Code 1861.02, 1861.025), the
product's version 2 that carries that rate over version 1's wording (`wording_from`), and the
answer engine citing one version's clauses."""

import copy
import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from insuredesk.catalog.loading import demo_files, load_product, read_file
from insuredesk.catalog.models import Clause, Product, ProductVersion
from insuredesk.catalog.rating import check_table, rate
from insuredesk.catalog.selectors import current_version
from insuredesk.consultation import knowledge
from insuredesk.errors import ValidationFailed
from insuredesk.sales import services as sales
from insuredesk.sales.questions import questions_for
from insuredesk.tests import factories


def ca_auto() -> dict:
    return next(
        d for d in map(read_file, demo_files()) if d["product"]["code"] == "harbour-auto-ca"
    )


TABLE = ca_auto()["versions"][1]["rating_table"]
CLEAN = {  # a good driver: no points, no injury accident, licensed 20 years
    "vehicle_value": "30000",
    "violation_points": 0,
    "at_fault_injury_accidents": 0,
    "annual_miles": 12000,
    "years_licensed": 20,
}


def premium(**changes) -> Decimal:
    inputs = {**CLEAN, **changes}
    return rate(
        "auto_prop103", TABLE, sum_insured="30000", term_years=1, inputs=inputs
    ).annual_premium


# -- the rate ------------------------------------------------------------------------------------


def test_the_premium_is_the_base_adjusted_factor_by_factor_in_the_statutes_order():
    # Base: 30,000 x 4.80% = 1,440.00, plus liability 900.00 = 2,340.00.
    # 1 point x 1.30 = 3,042.00 (+702.00); 18,000 miles x 1.12 = 3,407.04 (+365.04);
    # 4 years licensed x 1.15 = 3,918.10 (+511.06). One point still leaves a good driver (at
    # most one, Ins. Code 1861.025(b)(2)): 20% of 3,918.10 is 783.62, leaving 3,134.48.
    quote = rate(
        "auto_prop103",
        TABLE,
        sum_insured="30000",
        term_years=1,
        inputs={**CLEAN, "violation_points": 1, "annual_miles": 18000, "years_licensed": 4},
    )

    assert [(line.code, line.amount) for line in quote.lines] == [
        ("physical_damage", Decimal("1440.00")),
        ("liability", Decimal("900.00")),
        ("driving_record", Decimal("702.00")),
        ("annual_mileage", Decimal("365.04")),
        ("years_licensed", Decimal("511.06")),
        ("good_driver", Decimal("-783.62")),
    ]
    assert quote.annual_premium == Decimal("3134.48") == sum(line.amount for line in quote.lines)
    assert quote.basis["good_driver"] is True


def test_a_good_driver_pays_twenty_per_cent_less_than_the_same_record_without_the_discount():
    # Ins. Code 1861.02(b)(2) and 1861.025(b)(3): an at-fault accident that injured someone
    # takes the discount away, and nothing else in this pair differs.
    good, not_good = premium(), premium(at_fault_injury_accidents=1)

    assert good == (not_good * Decimal("0.8")).quantize(Decimal("0.01"))


@pytest.mark.parametrize(
    "changes",
    [{"years_licensed": 2}, {"violation_points": 2}, {"at_fault_injury_accidents": 1}],
    ids=["licensed-under-3-years", "two-points", "injury-accident"],
)
def test_the_good_driver_discount_needs_every_condition_of_1861_025(changes):
    quote = rate(
        "auto_prop103", TABLE, sum_insured="30000", term_years=1, inputs={**CLEAN, **changes}
    )

    assert quote.basis["good_driver"] is False
    assert "good_driver" not in [line.code for line in quote.lines]


def test_age_is_no_rating_factor_years_of_experience_are():
    # 1861.02(a)(3) rates on years of driving experience; an age the method never reads changes
    # nothing, and a driver's age alone is not enough to rate.
    assert premium(driver_age=19) == premium(driver_age=55)
    with pytest.raises(ValidationFailed) as raised:
        rate(
            "auto_prop103",
            TABLE,
            sum_insured="30000",
            term_years=1,
            inputs={"vehicle_value": "30000", "driver_age": 40},
        )
    assert raised.value.details["field"] == "rating_inputs.violation_points"


def test_the_demo_table_weighs_the_record_then_mileage_then_experience():
    # Ins. Code 1861.02(a): from the best band to the worst, each factor moves the premium
    # less than the one before it.
    base = premium(at_fault_injury_accidents=1)  # no discount, so only the factor moves
    record = premium(at_fault_injury_accidents=1, violation_points=5) - base
    mileage = premium(at_fault_injury_accidents=1, annual_miles=25000) - premium(
        at_fault_injury_accidents=1, annual_miles=3000
    )
    experience = premium(at_fault_injury_accidents=1, years_licensed=0) - base

    assert record > mileage > experience > 0


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("violation_points", -1, "cannot be negative"),
        ("annual_miles", "12000.5", "whole number"),
        ("years_licensed", None, "is needed"),
        ("annual_miles", 250000, "outside the rating table"),
    ],
)
def test_bad_driving_record_inputs_name_their_field(key, value, message):
    with pytest.raises(ValidationFailed) as raised:
        premium(**{key: value})

    assert raised.value.details["field"] == f"rating_inputs.{key}"
    assert message in raised.value.message


def test_a_table_that_weighs_mileage_above_the_record_is_refused():
    table = copy.deepcopy(TABLE)
    for band in table["annual_mileage_factors"]:
        band["factor"] = str(Decimal(band["factor"]) ** 4)  # spread 1.56 -> 5.96, record 3.20

    with pytest.raises(ValidationFailed) as raised:
        check_table("auto_prop103", table)

    assert raised.value.details["field"] == "rating_table.annual_mileage_factors"
    assert "1861.02(a)" in raised.value.message


def test_a_good_driver_discount_under_twenty_per_cent_is_refused():
    table = {**TABLE, "good_driver_discount_percent": "15"}

    with pytest.raises(ValidationFailed) as raised:
        check_table("auto_prop103", table)

    assert raised.value.details["field"] == "rating_table.good_driver_discount_percent"
    assert "1861.02(b)(2)" in raised.value.message


# -- version 2: the same wording, a new rate ----------------------------------------------------


@pytest.mark.django_db
def test_version_2_takes_version_1s_wording_with_its_own_clauses_in_place(catalogue):
    product = Product.objects.get(code="harbour-auto-ca")
    one, two = (product.versions.get(version=n) for n in (1, 2))
    words = {v.version: {c.number: c.text for c in v.clauses.all()} for v in (one, two)}

    assert (one.rating_method, two.rating_method) == ("motor", "auto_prop103")
    assert sorted(words[2]) == sorted([*words[1], "5.5"])
    assert words[2]["2.1"] == words[1]["2.1"]  # carried over unchanged
    assert "good driver" in words[2]["1.1"] and "claim-free" in words[1]["1.1"]
    assert two.coverages.count() == one.coverages.count()
    assert current_version(product, dt.date(2026, 3, 2)) == two
    assert current_version(product, dt.date(2025, 6, 1)) == one


@pytest.mark.django_db
def test_wording_from_must_name_an_earlier_version_of_the_file_and_nothing_is_written():
    data = ca_auto()
    data["versions"][1]["wording_from"] = 3

    with pytest.raises(ValidationFailed) as raised:
        load_product(data)

    assert raised.value.details["field"] == "versions[1].wording_from"
    assert not Product.objects.filter(code="harbour-auto-ca").exists()


# -- selling it ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_californian_applies_with_a_driving_record_and_is_quoted_the_discount(catalogue, dave):
    maria = factories.make_customer("maria", full_name="Maria Vega", jurisdiction="US-CA")
    application = sales.submit_application(
        actor=dave,
        applicant=maria,
        channel="phone",
        product="harbour-auto-ca",
        insured_name=maria.full_name,
        insured_date_of_birth=dt.date(1985, 4, 1),
        sum_insured="30000",
        term_years=1,
        rating_inputs=CLEAN,
        start_date=dt.date(2026, 3, 2),
        declarations={q.code: {"answer": False} for q in questions_for("motor")},
        now=dt.datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("America/Los_Angeles")),
    )

    assert application.product_version.version == 2
    assert application.quoted_premium == premium() == Decimal("1872.00")
    assert application.currency == "USD"


@pytest.mark.django_db
def test_the_application_form_asks_california_for_the_record_not_the_age(client, catalogue):
    maria = factories.make_customer("maria", full_name="Maria Vega", jurisdiction="US-CA")
    client.force_login(maria.user)

    page = client.get(reverse("portal:apply", args=["harbour-auto-ca"])).content.decode()

    for key in ("violation_points", "at_fault_injury_accidents", "annual_miles", "years_licensed"):
        assert f'name="rating_{key}"' in page
    assert 'name="rating_driver_age"' not in page


# -- the answer engine cites one version ------------------------------------------------------


def found(clause: Clause) -> knowledge.Found:
    return knowledge.Found(
        ref=knowledge.clause_ref(clause),
        score=0.9,
        kind="clause",
        title=clause.title,
        answer=clause.text,
        clause=clause,
    )


@pytest.mark.django_db
def test_the_engine_cites_the_version_on_sale_or_the_policys_own(catalogue):
    versions = ProductVersion.objects.filter(product__code="harbour-auto-ca").order_by("version")
    one, two = versions
    theft = [found(v.clauses.get(number="2.2")) for v in (one, two)]
    home = found(catalogue["harbour-home"].clauses.get(number="2.1"))

    assert knowledge.one_wording([*theft, home]) == [theft[1], home]
    assert knowledge.one_wording([*theft, home], wording=one) == [theft[0], home]


# -- risk plans -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_californian_plan_prices_auto_on_a_stated_estimate_of_the_record(catalogue):
    from insuredesk.planning.tests.builders import assess

    maria = factories.make_customer("maria", full_name="Maria Vega", jurisdiction="US-CA")
    assessment = assess(
        maria, vehicle_value="30000", motor_cover="none", accidents_3y=1, annual_distance="over_20k"
    )

    auto = assessment.recommendations.get(product_version__product__code="harbour-auto-ca")
    assert auto.product_version.version == 2
    assert auto.rating_inputs == {
        "vehicle_value": "30000.00",
        "violation_points": 1,  # the one accident, counted as a point
        "at_fault_injury_accidents": 0,
        "annual_miles": 15500,  # over 20,000 km a year
        "years_licensed": 22,  # 38 years old, licensed since 16
    }
    # 2,340.00 x 1.30 = 3,042.00; 15,500 miles x 1.12 = 3,407.04; 22 years x 1.00; one point
    # leaves a good driver: less 681.41 (20%) = 2,725.63
    assert auto.full_premium == Decimal("2725.63")
    assert "estimate of your driving record" in auto.notes[-1]
