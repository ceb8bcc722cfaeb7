"""Premium rating from the demo tables: figures checked by hand (shown in each test)."""

from decimal import Decimal

import pytest

from insuredesk.catalog.loading import demo_files, read_file
from insuredesk.catalog.rating import age_on, money, rate
from insuredesk.errors import ValidationFailed


def table(code: str) -> dict:
    for path in demo_files():
        data = read_file(path)
        if data["product"]["code"] == code:
            return data["versions"][0]["rating_table"]
    raise LookupError(code)


TERM = table("harbour-term-life")
CI = table("harbour-critical-illness")
MOTOR = table("harbour-motor")
HOME = table("harbour-home")


def field_of(excinfo) -> str:
    return excinfo.value.details["field"]


def test_term_life_is_the_rate_per_mille_of_the_age_band_and_term_plus_the_policy_fee():
    # 1,000,000 / 1,000 x 1.25 (age 31-40, 20 years) = 1,250.00; + fee 50.00 = 1,300.00
    quote = rate("term_life", TERM, sum_insured="1000000", term_years=20, inputs={"age": 35})
    assert quote.annual_premium == Decimal("1300.00")
    assert [(line.code, line.amount) for line in quote.lines] == [
        ("risk_premium", Decimal("1250.00")),
        ("policy_fee", Decimal("50.00")),
    ]
    assert quote.basis["age_band"] == "31-40"


@pytest.mark.parametrize(
    ("age", "premium"),
    [(30, Decimal("200.00")), (31, Decimal("287.50"))],  # 250 x 0.60 + 50; 250 x 0.95 + 50
)
def test_term_life_age_bands_are_inclusive_at_both_ends(age, premium):
    quote = rate(
        "term_life", TERM, sum_insured=Decimal("250000"), term_years=10, inputs={"age": age}
    )
    assert quote.annual_premium == premium


def test_premium_lines_round_half_up_to_the_cent():
    # 100,004 / 1,000 x 1.25 = 125.005 -> 125.01 (half-up; banker's rounding would give 125.00)
    quote = rate("term_life", TERM, sum_insured="100004", term_years=20, inputs={"age": 35})
    assert quote.lines[0].amount == Decimal("125.01")
    assert quote.annual_premium == Decimal("175.01")
    assert money(Decimal("0.005")) == Decimal("0.01")


@pytest.mark.parametrize("age", [17, 61])
def test_an_age_outside_the_table_is_refused_naming_the_field(age):
    with pytest.raises(ValidationFailed) as excinfo:
        rate("term_life", TERM, sum_insured="500000", term_years=10, inputs={"age": age})
    assert field_of(excinfo) == "rating_inputs.age"


def test_cover_may_not_run_past_the_maximum_age_at_expiry():
    # age 41 + 30 years = 71 > 70
    with pytest.raises(ValidationFailed) as excinfo:
        rate("term_life", TERM, sum_insured="500000", term_years=30, inputs={"age": 41})
    assert field_of(excinfo) == "term_years"
    # age 50 + 20 = 70 is allowed: 500 x 2.90 + 50 = 1,500.00
    quote = rate("term_life", TERM, sum_insured="500000", term_years=20, inputs={"age": 50})
    assert quote.annual_premium == Decimal("1500.00")


def test_a_term_the_band_does_not_offer_is_refused():
    with pytest.raises(ValidationFailed) as excinfo:
        rate("term_life", TERM, sum_insured="500000", term_years=15, inputs={"age": 35})
    assert field_of(excinfo) == "term_years"


def test_a_sum_insured_outside_the_product_limits_is_refused():
    with pytest.raises(ValidationFailed) as excinfo:
        rate("term_life", TERM, sum_insured="5000001", term_years=10, inputs={"age": 35})
    assert field_of(excinfo) == "sum_insured"
    with pytest.raises(ValidationFailed) as excinfo:
        rate("term_life", TERM, sum_insured="-1", term_years=10, inputs={"age": 35})
    assert field_of(excinfo) == "sum_insured"


def test_critical_illness_has_no_policy_fee():
    # 300,000 / 1,000 x 4.30 (age 31-40, 20 years) = 1,290.00
    quote = rate("critical_illness", CI, sum_insured="300000", term_years=20, inputs={"age": 38})
    assert quote.annual_premium == Decimal("1290.00")
    assert [line.code for line in quote.lines] == ["risk_premium"]


def test_critical_illness_refuses_applicants_over_55():
    with pytest.raises(ValidationFailed) as excinfo:
        rate("critical_illness", CI, sum_insured="100000", term_years=10, inputs={"age": 56})
    assert field_of(excinfo) == "rating_inputs.age"


@pytest.mark.parametrize(
    ("value", "driver_age", "claim_free", "premium"),
    [
        # 250,000 x 2.70% x 1.00 x (1 - 30%) = 4,725.00 + 1,050.00 = 5,775.00
        ("250000", 42, 3, Decimal("5775.00")),
        # 80,000 x 3.80% x 1.45 x 1 = 4,408.00 + 1,050.00 = 5,458.00 (young driver)
        ("80000", 22, 0, Decimal("5458.00")),
        # 500,000 x 2.30% x 1.00 x (1 - 45%, capped at 5 years) = 6,325.00 + 1,050.00
        ("500000", 35, 9, Decimal("7375.00")),
        # 20,000 x 3.80% x 1.00 x 0.55 = 418.00 + 1,050.00 = 1,468.00 -> minimum 1,500.00
        ("20000", 40, 5, Decimal("1500.00")),
    ],
)
def test_motor_is_value_band_times_driver_factor_less_no_claims_plus_liability(
    value, driver_age, claim_free, premium
):
    quote = rate(
        "motor",
        MOTOR,
        sum_insured=value,
        term_years=1,
        inputs={"vehicle_value": value, "driver_age": driver_age, "claim_free_years": claim_free},
    )
    assert quote.annual_premium == premium
    assert sum(line.amount for line in quote.lines) == quote.annual_premium


def test_motor_value_band_boundary_is_exact_to_the_cent():
    # 100,000.00 is in the first band (3.80%), 100,000.01 in the second (3.20%)
    inputs = {"driver_age": 40, "claim_free_years": 0}
    first = rate(
        "motor",
        MOTOR,
        sum_insured="100000",
        term_years=1,
        inputs={**inputs, "vehicle_value": "100000"},
    )
    second = rate(
        "motor",
        MOTOR,
        sum_insured="100000",
        term_years=1,
        inputs={**inputs, "vehicle_value": "100000.01"},
    )
    assert first.basis["base_percent"] == "3.80"
    assert second.basis["base_percent"] == "3.20"


def test_motor_sum_insured_may_not_exceed_the_vehicle_value_il_55():
    with pytest.raises(ValidationFailed) as excinfo:
        rate(
            "motor",
            MOTOR,
            sum_insured="300000",
            term_years=1,
            inputs={"vehicle_value": "250000", "driver_age": 40},
        )
    assert field_of(excinfo) == "sum_insured"


@pytest.mark.parametrize(
    ("inputs", "field"),
    [
        ({"vehicle_value": "1200000", "driver_age": 40}, "rating_inputs.vehicle_value"),
        ({"vehicle_value": "900000", "driver_age": 17}, "rating_inputs.driver_age"),
        ({"vehicle_value": "900000", "driver_age": 76}, "rating_inputs.driver_age"),
        ({"vehicle_value": "900000"}, "rating_inputs.driver_age"),
        ({"vehicle_value": "nine", "driver_age": 40}, "rating_inputs.vehicle_value"),
        ({"vehicle_value": 900000.5, "driver_age": 40}, "rating_inputs.vehicle_value"),
        (
            {"vehicle_value": "900000", "driver_age": 40, "claim_free_years": -1},
            "rating_inputs.claim_free_years",
        ),
    ],
)
def test_motor_inputs_outside_the_table_name_their_field(inputs, field):
    with pytest.raises(ValidationFailed) as excinfo:
        rate("motor", MOTOR, sum_insured="500000", term_years=1, inputs=inputs)
    assert field_of(excinfo) == field


@pytest.mark.parametrize(
    ("inputs", "premium"),
    [
        # 3,000,000 x 0.45 per mille = 1,350.00; contents 200,000 x 1.20 = 240.00
        (
            {
                "building_value": "3000000",
                "construction": "reinforced_concrete",
                "contents_value": "200000",
            },
            Decimal("1590.00"),
        ),
        # 1,800,000 x 0.70 = 1,260.00; 100,000 x 1.20 = 120.00
        (
            {
                "building_value": "1800000",
                "construction": "brick_concrete",
                "contents_value": "100000",
            },
            Decimal("1380.00"),
        ),
        # 900,000 x 1.60 = 1,440.00 (timber)
        ({"building_value": "900000", "construction": "timber"}, Decimal("1440.00")),
        # 100,000 x 0.45 = 45.00 -> minimum premium 150.00
        ({"building_value": "100000", "construction": "reinforced_concrete"}, Decimal("150.00")),
    ],
)
def test_home_is_per_mille_by_construction_class_plus_contents(inputs, premium):
    sum_insured = Decimal(inputs["building_value"]) + Decimal(inputs.get("contents_value", "0"))
    quote = rate("home", HOME, sum_insured=sum_insured, term_years=1, inputs=inputs)
    assert quote.annual_premium == premium
    assert sum(line.amount for line in quote.lines) == premium


def test_home_refuses_an_unknown_construction_class_and_over_insurance():
    with pytest.raises(ValidationFailed) as excinfo:
        rate(
            "home",
            HOME,
            sum_insured="500000",
            term_years=1,
            inputs={"building_value": "500000", "construction": "straw"},
        )
    assert field_of(excinfo) == "rating_inputs.construction"
    with pytest.raises(ValidationFailed) as excinfo:
        rate(
            "home",
            HOME,
            sum_insured="600000",
            term_years=1,
            inputs={"building_value": "500000", "construction": "timber"},
        )
    assert field_of(excinfo) == "sum_insured"


def test_an_unknown_rating_method_is_refused():
    with pytest.raises(ValidationFailed) as excinfo:
        rate("pet", {}, sum_insured="1000", term_years=1, inputs={})
    assert field_of(excinfo) == "rating_method"


def test_age_is_counted_last_birthday():
    from datetime import date

    assert age_on(date(1990, 6, 15), date(2026, 6, 14)) == 35
    assert age_on(date(1990, 6, 15), date(2026, 6, 15)) == 36
    assert age_on(date(2000, 2, 29), date(2026, 2, 28)) == 25
    assert age_on(date(2000, 2, 29), date(2026, 3, 1)) == 26
