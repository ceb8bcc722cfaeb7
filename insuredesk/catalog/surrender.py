# ruff: noqa: RUF001, RUF002  (the Chinese labels use full-width punctuation, as Chinese does)
"""Surrender terms: what a product version pays back when the policyholder ends the contract
after the cooling-off period, worked out from the premiums paid as its contract says.

A catalogue file gives each version's terms in `[versions.surrender_terms]`, by one of two
methods:

    method = "cash_value"        personal insurance over a year (IL Art. 47): the cash value.
    year_end_percent = [...]     The value at the end of each policy year, as a percentage of
                                 the premiums paid for the years run; one list for every term,
                                 or a table of lists keyed by the term in years ("10", "20").
                                 Between two year ends the value follows the straight line
                                 from one to the other; past the last listed year, the last
                                 value holds; past the last period paid for, it stops.

    method = "unearned_premium"  property insurance (IL Art. 54): the premium for the days of
    charge_percent = "10"        cover not yet run, less the contract's handling charge.

Under either method a premium paid for a period that has not started is returned whole. A
version with no terms has no value the desk can work out; staff then state the amount.

    value = surrender_value(terms, start=date(2024, 3, 1), end=date(2044, 2, 29),
                            on=date(2026, 9, 1), paid=[PaidPeriod(...), ...], currency="CNY")
    value.amount  -> Decimal("152.40")
    value.lines   -> (ValueLine("Cash value: 5.50% of the premiums paid, ...", "现金价值：…",
                                Decimal("152.40")),)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from insuredesk.catalog.rating import add_years, money
from insuredesk.errors import ValidationFailed

CASH_VALUE = "cash_value"
UNEARNED_PREMIUM = "unearned_premium"
METHODS = (CASH_VALUE, UNEARNED_PREMIUM)
CENT = Decimal("0.01")
HUNDRED = Decimal("100")


@dataclass(frozen=True)
class PaidPeriod:
    """A premium paid and the days it pays for: from `starts` up to, not including, `ends`."""

    starts: dt.date
    ends: dt.date
    amount: Decimal


@dataclass(frozen=True)
class ValueLine:
    label: str  # in English, and in Chinese for Chinese letters and pages
    label_zh: str
    amount: Decimal  # negative for a deduction


@dataclass(frozen=True)
class SurrenderValue:
    """What the policy pays back on a day, the lines that make it up, and the method."""

    method: str
    on: dt.date
    amount: Decimal
    lines: tuple[ValueLine, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "on": self.on.isoformat(),
            "amount": str(self.amount),
            "lines": [
                {"label": line.label, "label_zh": line.label_zh, "amount": str(line.amount)}
                for line in self.lines
            ],
        }


def _percent(value: Any, field: str) -> Decimal:
    if isinstance(value, float) or not isinstance(value, str | int):
        raise ValidationFailed('Write percentages as strings ("12.5").', field=field)
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValidationFailed(f"{value!r} is not a number.", field=field) from None
    if not number.is_finite() or not 0 <= number <= HUNDRED:
        raise ValidationFailed("A percentage lies between 0 and 100.", field=field)
    return number


def check_terms(terms: Any) -> None:
    """Refuse terms `surrender_value` cannot read; the field names the offending entry."""
    if terms in (None, {}):
        return
    if not isinstance(terms, Mapping):
        raise ValidationFailed("The surrender terms must be a table.", field="surrender_terms")
    method = terms.get("method")
    if method not in METHODS:
        raise ValidationFailed(
            f"The surrender method must be one of {', '.join(METHODS)}.",
            field="surrender_terms.method",
        )
    term = "year_end_percent" if method == CASH_VALUE else "charge_percent"
    allowed = {"method", term}
    for key in terms:
        if key not in allowed:
            raise ValidationFailed(
                f"{key!r} is not a {method} term.", field=f"surrender_terms.{key}"
            )
    if method == UNEARNED_PREMIUM:
        _percent(terms.get("charge_percent", "0"), "surrender_terms.charge_percent")
        return
    table = terms.get("year_end_percent")
    lists = table.items() if isinstance(table, Mapping) else [("", table)]
    for term, values in lists:
        where = "surrender_terms.year_end_percent" + (f".{term}" if term else "")
        if term and not str(term).isdigit():
            raise ValidationFailed("Key the lists by the term in whole years.", field=where)
        if not isinstance(values, list) or not values:
            raise ValidationFailed("Give one value for each policy year.", field=where)
        for index, value in enumerate(values):
            _percent(value, f"{where}.{index}")


def _year_ends(terms: Mapping[str, Any], start: dt.date, end: dt.date) -> list[Decimal] | None:
    """The year-end percentages for a policy running from `start` to `end`, or None for its term."""
    table = terms["year_end_percent"]
    if not isinstance(table, Mapping):
        return [Decimal(str(v)) for v in table]
    years = end.year - start.year + (1 if (end.month, end.day) >= (start.month, start.day) else 0)
    for term in (str(years), str(years - 1)):  # a term ends on the eve of its anniversary
        if term in table:
            return [Decimal(str(v)) for v in table[term]]
    return None


def surrender_value(
    terms: Mapping[str, Any] | None,
    *,
    start: dt.date,
    end: dt.date,
    on: dt.date,
    paid: Sequence[PaidPeriod],
    currency: str,
) -> SurrenderValue | None:
    """What the contract pays back if it ends at the close of `on`; None without usable terms.

    `paid` lists the premiums paid with the periods they pay for. Cover ends with the day of
    the notice, so the days from `on` + 1 are the unexpired ones.
    """
    if not terms or terms.get("method") not in METHODS:
        return None
    first_day_after = on + dt.timedelta(days=1)
    ahead = sum((p.amount for p in paid if p.starts > on), Decimal("0"))
    running = [p for p in paid if p.starts <= on]
    lines: list[ValueLine] = []
    if terms["method"] == CASH_VALUE:
        percents = _year_ends(terms, start, end)
        if percents is None:
            return None
        # The value stops growing where the premiums paid stop: a policy in arrears is valued
        # at the end of the last period paid for.
        paid_until = max((p.ends for p in running), default=first_day_after)
        first_day_after = min(first_day_after, paid_until)
        years_run = 0
        while add_years(start, years_run + 1) < first_day_after:
            years_run += 1
        year_start, year_end = add_years(start, years_run), add_years(start, years_run + 1)
        before = percents[min(years_run, len(percents)) - 1] if years_run else Decimal("0")
        after = percents[min(years_run, len(percents) - 1)]
        days, length = (first_day_after - year_start).days, (year_end - year_start).days
        percent = before + (after - before) * Decimal(days) / Decimal(length)
        base = sum((p.amount for p in running), Decimal("0"))
        cash = money(base * percent / HUNDRED)
        share = percent.quantize(CENT)
        lines.append(
            ValueLine(
                f"Cash value: {share}% of the premiums paid, {currency} {base:,.2f} (policy "
                f"year {years_run + 1}, day {days} of {length}; {before}% at its start, "
                f"{after}% at its end)",
                f"现金价值：已缴保险费{currency} {base:,.2f}的{share}%（第{years_run + 1}保单年度"
                f"第{days}日，共{length}日；年初{before}%，年末{after}%）",
                cash,
            )
        )
    else:
        unearned = Decimal("0")
        unexpired_days = 0
        for period in running:
            length = (period.ends - period.starts).days
            left = (period.ends - first_day_after).days
            if length > 0 and left > 0:
                unearned += period.amount * Decimal(left) / Decimal(length)
                unexpired_days = max(unexpired_days, left)
        unearned = money(unearned)
        charge_percent = Decimal(str(terms.get("charge_percent", "0")))
        charge = money(unearned * charge_percent / HUNDRED)
        lines.append(
            ValueLine(
                f"Premium for the {unexpired_days} days of cover not yet run",
                f"未满期{unexpired_days}日的保险费",
                unearned,
            )
        )
        if charge:
            lines.append(
                ValueLine(
                    f"Handling charge, {charge_percent}% of that (the contract)",
                    f"合同约定的手续费（上述金额的{charge_percent}%）",
                    -charge,
                )
            )
    if ahead:
        lines.append(
            ValueLine(
                "Premiums paid for periods not yet begun, returned whole",
                "已预缴、尚未开始期间的保险费，全额退还",
                ahead,
            )
        )
    amount = max(sum((line.amount for line in lines), Decimal("0")), Decimal("0"))
    return SurrenderValue(terms["method"], on, money(amount), tuple(lines))


@dataclass(frozen=True)
class YearEnd:
    """One row of a policy's table of cash values: the value at the end of a policy year."""

    year: int
    ends_on: dt.date  # the anniversary that closes the year
    premiums: Decimal  # the premiums due by then, all paid
    percent: Decimal
    value: Decimal


def cash_value_table(
    terms: Mapping[str, Any] | None,
    *,
    start: dt.date,
    end: dt.date,
    premiums_due: Sequence[tuple[dt.date, Decimal]],
) -> list[YearEnd] | None:
    """The policy's year-end cash values, if every premium is paid when due: what its schedule
    shows. None unless the terms are `cash_value` ones with a list for the policy's term.

    `premiums_due` lists (due date, amount) of every premium of the policy.
    """
    if not terms or terms.get("method") != CASH_VALUE:
        return None
    percents = _year_ends(terms, start, end)
    if percents is None:
        return None
    rows = []
    year = 1
    while (ends_on := add_years(start, year)) <= end + dt.timedelta(days=1):
        premiums = sum((amount for due, amount in premiums_due if due < ends_on), Decimal("0"))
        percent = percents[min(year, len(percents)) - 1]
        rows.append(YearEnd(year, ends_on, premiums, percent, money(premiums * percent / HUNDRED)))
        year += 1
    return rows
