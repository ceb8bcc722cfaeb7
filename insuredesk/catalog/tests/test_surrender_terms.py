"""Surrender terms of a product version: the cash value (IL Art. 47) by straight-line
interpolation between year-end values, the unexpired premium less the contract's charge (IL Art.
54), premiums paid ahead returned whole; and terms a catalogue file may not carry."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest

from insuredesk.catalog.loading import DEMO_DIR, load_product, read_file
from insuredesk.catalog.models import Product
from insuredesk.catalog.surrender import (
    PaidPeriod,
    cash_value_table,
    check_terms,
    surrender_value,
)
from insuredesk.errors import ValidationFailed

START = dt.date(2026, 3, 2)
END = dt.date(2036, 3, 1)  # a ten-year term
TERMS = {"method": "cash_value", "year_end_percent": {"10": ["4", "8", "10"], "20": ["1"]}}


def annual(year: int, amount: str = "1000.00") -> PaidPeriod:
    starts = START.replace(year=START.year + year)
    return PaidPeriod(starts, starts.replace(year=starts.year + 1), Decimal(amount))


def cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_cash_value_lies_on_the_line_between_two_year_ends():
    on = dt.date(2027, 9, 1)  # policy year 2: 2027-03-02 to 2028-03-02 (366 days)
    value = surrender_value(
        TERMS, start=START, end=END, on=on, paid=[annual(0), annual(1)], currency="CNY"
    )

    days = (on + dt.timedelta(days=1) - dt.date(2027, 3, 2)).days
    percent = Decimal("4") + Decimal("4") * days / Decimal(366)
    assert value is not None and value.method == "cash_value"
    assert value.amount == cents(Decimal("2000.00") * percent / 100)
    assert f"policy year 2, day {days} of 366" in value.lines[0].label
    assert "第2保单年度" in value.lines[0].label_zh


def test_past_the_last_listed_year_the_last_value_holds_and_the_term_picks_the_list():
    on = dt.date(2031, 6, 1)  # year 6 of 10, the list has 3 values
    paid = [annual(year) for year in range(6)]
    value = surrender_value(TERMS, start=START, end=END, on=on, paid=paid, currency="CNY")
    assert value is not None and value.amount == Decimal("600.00")  # 10% of 6,000

    twenty = surrender_value(
        TERMS, start=START, end=dt.date(2046, 3, 1), on=on, paid=paid, currency="CNY"
    )
    assert twenty is not None and twenty.amount == Decimal("60.00")  # the "20" list: 1%

    assert (
        surrender_value(
            TERMS, start=START, end=dt.date(2031, 3, 1), on=on, paid=paid, currency="CNY"
        )
        is None
    )  # no list for a five-year term: staff state the amount


def test_premiums_paid_for_a_period_not_yet_begun_come_back_whole():
    on = dt.date(2026, 12, 1)
    value = surrender_value(
        TERMS, start=START, end=END, on=on, paid=[annual(0), annual(1)], currency="CNY"
    )
    assert value is not None
    cash, ahead = value.lines
    assert ahead.amount == Decimal("1000.00")
    assert value.amount == cash.amount + Decimal("1000.00")


def test_unearned_premium_less_the_handling_charge_il_art_54():
    terms = {"method": "unearned_premium", "charge_percent": "10"}
    months = [
        PaidPeriod(dt.date(2026, 3, 2), dt.date(2026, 4, 2), Decimal("62.00")),
        PaidPeriod(dt.date(2026, 4, 2), dt.date(2026, 5, 2), Decimal("60.00")),
    ]
    value = surrender_value(
        terms,
        start=START,
        end=dt.date(2027, 3, 1),
        on=dt.date(2026, 3, 21),
        paid=months,
        currency="CNY",
    )

    unexpired = cents(Decimal("62.00") * 11 / 31)  # 22 March to 1 April: 11 days
    charge = cents(unexpired / 10)
    assert value is not None
    assert [line.amount for line in value.lines] == [unexpired, -charge, Decimal("60.00")]
    assert value.amount == unexpired - charge + Decimal("60.00")
    assert "11 days" in value.lines[0].label


def test_without_terms_there_is_no_value():
    assert surrender_value({}, start=START, end=END, on=START, paid=[], currency="CNY") is None


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        ({"method": "refund_everything"}, "surrender_terms.method"),
        ({"method": "cash_value", "year_end_percent": [4.5]}, "surrender_terms.year_end_percent.0"),
        (
            {"method": "cash_value", "year_end_percent": ["101"]},
            "surrender_terms.year_end_percent.0",
        ),
        ({"method": "cash_value", "year_end_percent": []}, "surrender_terms.year_end_percent"),
        (
            {"method": "cash_value", "year_end_percent": {"ten": ["1"]}},
            "surrender_terms.year_end_percent.ten",
        ),
        ({"method": "unearned_premium", "charge_percent": "-5"}, "surrender_terms.charge_percent"),
        (
            {"method": "unearned_premium", "year_end_percent": ["1"]},
            "surrender_terms.year_end_percent",
        ),
    ],
)
def test_unreadable_terms_are_refused_naming_the_entry(terms, field):
    with pytest.raises(ValidationFailed) as refused:
        check_terms(terms)
    assert refused.value.details["field"] == field


def test_a_catalogue_file_with_bad_terms_loads_nothing(db):
    data = read_file(DEMO_DIR / "term_life.toml")
    data["versions"][0]["surrender_terms"]["year_end_percent"]["10"][2] = "lots"

    with pytest.raises(ValidationFailed) as refused:
        load_product(data)

    assert refused.value.details["field"].endswith("surrender_terms.year_end_percent.10.2")
    assert not Product.objects.filter(code="harbour-term-life").exists()


def test_the_schedule_lists_each_year_end_value_with_every_premium_paid():
    dues = [(START.replace(year=START.year + n), Decimal("1000.00")) for n in range(10)]

    table = cash_value_table(TERMS, start=START, end=END, premiums_due=dues)

    assert table is not None and len(table) == 10
    first, second, last = table[0], table[1], table[-1]
    assert (first.year, first.ends_on, first.premiums, first.value) == (
        1,
        dt.date(2027, 3, 2),
        Decimal("1000.00"),
        Decimal("40.00"),
    )
    assert (second.premiums, second.percent, second.value) == (
        Decimal("2000.00"),
        Decimal("8"),
        Decimal("160.00"),
    )
    assert (last.ends_on, last.percent, last.value) == (
        dt.date(2036, 3, 2),
        Decimal("10"),
        Decimal("1000.00"),
    )
    unearned = {"method": "unearned_premium", "charge_percent": "10"}
    assert cash_value_table(unearned, start=START, end=END, premiums_due=dues) is None
