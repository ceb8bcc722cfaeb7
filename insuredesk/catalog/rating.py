"""Premium rating: pure functions from a product version's rating table to an annual premium.

Each `ProductVersion.rating_method` names one function below; its `rating_table` (JSON, loaded
from the catalogue files) holds the rates. Money is `Decimal`, rates are written as strings in
the tables so no float ever touches them, and every line of the quote is rounded half-up to the
cent before it is added up, so the breakdown always sums to the premium the customer is shown.

    quote = rate("term_life", table, sum_insured=Decimal("1000000"), term_years=20,
                 inputs={"age": 35})
    quote.annual_premium  -> Decimal("1300.00")
    quote.lines           -> (QuoteLine("death_benefit", "...", Decimal("1250.00")), ...)

Inputs outside the table (an age no band covers, a vehicle worth more than the last band) are
refused with `ValidationFailed(field=...)`: the field is the argument name (`sum_insured`,
`term_years`) or `rating_inputs.<key>` for a rating input.

Methods and the inputs they read (table keys in REQUIRED_TABLE_KEYS):
    term_life, critical_illness  age (last birthday at the start date)
    motor                        vehicle_value, driver_age, claim_free_years
    auto_prop103                 vehicle_value, violation_points, at_fault_injury_accidents,
                                 annual_miles, years_licensed (California's Proposition 103)
    home                         building_value, construction, contents_value
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

from insuredesk.errors import ValidationFailed

CENT = Decimal("0.01")
THOUSAND = Decimal("1000")
HUNDRED = Decimal("100")


@dataclass(frozen=True)
class QuoteLine:
    """One line of the premium breakdown: what it is for and what it costs."""

    code: str
    label: str
    amount: Decimal


@dataclass(frozen=True)
class Quote:
    """An annual premium with the lines it is made of and the table rows that were used."""

    method: str
    annual_premium: Decimal
    lines: tuple[QuoteLine, ...]
    basis: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "annual_premium": str(self.annual_premium),
            "lines": [
                {"code": line.code, "label": line.label, "amount": str(line.amount)}
                for line in self.lines
            ],
            "basis": dict(self.basis),
        }


def money(value: Decimal) -> Decimal:
    """Round to the cent, half-up (0.005 -> 0.01), as premiums are quoted."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def age_on(date_of_birth: date, day: date) -> int:
    """Age last birthday on `day` (a 29 February birthday counts from 1 March)."""
    years = day.year - date_of_birth.year
    if (day.month, day.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


# -- reading inputs and tables ------------------------------------------------------------------


def decimal_input(value: Any, field: str) -> Decimal:
    """An exact decimal from typed or JSON input (no floats with binary noise); else the error
    names `field`. The sale checks sums insured with it too."""
    if isinstance(value, float | bool) or value is None:
        # floats would carry binary noise into money; booleans are not numbers here.
        if isinstance(value, float) and value.is_integer():
            return Decimal(int(value))
        raise ValidationFailed(f"{field} must be a decimal number.", field=field)
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationFailed(f"{field} must be a decimal number.", field=field) from None
    if not number.is_finite():
        raise ValidationFailed(f"{field} must be a finite number.", field=field)
    return number


def _int(value: Any, field: str) -> int:
    if isinstance(value, bool):
        raise ValidationFailed(f"{field} must be a whole number.", field=field)
    number = decimal_input(value, field)
    if number != number.to_integral_value():
        raise ValidationFailed(f"{field} must be a whole number.", field=field)
    return int(number)


def _input(inputs: Mapping[str, Any], key: str) -> Any:
    if key not in inputs or inputs[key] in (None, ""):
        raise ValidationFailed(
            f"{key} is needed to rate this product.", field=f"rating_inputs.{key}"
        )
    return inputs[key]


def _band(bands: list[dict], value: int | Decimal, field: str, what: str) -> dict:
    """The band whose [min, max] holds the value; bands are inclusive at both ends."""
    for band in bands:
        if Decimal(str(band["min"])) <= value <= Decimal(str(band["max"])):
            return band
    low = min(Decimal(str(b["min"])) for b in bands)
    high = max(Decimal(str(b["max"])) for b in bands)
    raise ValidationFailed(
        f"{what} {value} is outside the rating table ({low}-{high}).", field=field
    )


def _check_sum_insured(table: Mapping[str, Any], sum_insured: Decimal) -> None:
    low = Decimal(str(table.get("sum_insured_min", "0.01")))
    high = Decimal(str(table["sum_insured_max"])) if "sum_insured_max" in table else None
    if sum_insured < low or (high is not None and sum_insured > high):
        limit = f"{low}-{high}" if high is not None else f"at least {low}"
        raise ValidationFailed(
            f"The sum insured must be {limit} for this product.", field="sum_insured"
        )


def _not_above_vehicle_value(sum_insured: Decimal, value: Decimal) -> None:
    if sum_insured > value:
        raise ValidationFailed(
            "The sum insured may not exceed the vehicle's value: insurance pays a loss, never "
            "more (the indemnity principle; IL Art. 55 in China).",
            field="sum_insured",
        )


def _top_up_to_minimum(lines: list[QuoteLine], table: Mapping[str, Any]) -> Decimal:
    """The premium the lines add up to, never less than the table's minimum: a shortfall is
    added as a line of its own, so the breakdown still sums to the premium."""
    total = sum((line.amount for line in lines), Decimal("0.00"))
    minimum = money(Decimal(str(table.get("minimum_premium", "0"))))
    if total < minimum:
        lines.append(QuoteLine("minimum_premium", "Top-up to the minimum premium", minimum - total))
        total = minimum
    return total


# -- the methods ---------------------------------------------------------------------------------


def _per_mille_by_age_and_term(
    method: str, table: Mapping[str, Any], sum_insured: Decimal, term_years: int, inputs
) -> Quote:
    """Life and critical illness: annual rate per 1,000 sum insured by age band and term.

    1. Find the age band holding the insured's age; the table is sex-neutral.
    2. Refuse a term the band does not offer, or one that runs past the maximum age at expiry.
    3. Premium = sum insured / 1,000 x rate, plus the policy fee.
    """
    age = _int(_input(inputs, "age"), "rating_inputs.age")
    band = _band(table["age_bands"], age, "rating_inputs.age", "Age")
    max_expiry = table.get("max_age_at_expiry")
    if max_expiry is not None and age + term_years > int(max_expiry):
        raise ValidationFailed(
            f"Cover would end at age {age + term_years}, past the maximum of {max_expiry}.",
            field="term_years",
        )
    rate_text = band["rates"].get(str(term_years))
    if rate_text is None:
        offered = ", ".join(sorted(band["rates"], key=int))
        raise ValidationFailed(
            f"A {term_years}-year term is not offered at age {age} (terms: {offered}).",
            field="term_years",
        )
    rate = Decimal(str(rate_text))
    benefit = money(sum_insured / THOUSAND * rate)
    lines = [
        QuoteLine(
            "risk_premium",
            f"{sum_insured:,.2f} / 1,000 x {rate} (age {band['min']}-{band['max']}, "
            f"{term_years} years)",
            benefit,
        )
    ]
    fee = money(Decimal(str(table.get("policy_fee", "0"))))
    if fee:
        lines.append(QuoteLine("policy_fee", "Policy fee", fee))
    return Quote(
        method=method,
        annual_premium=sum((line.amount for line in lines), Decimal("0.00")),
        lines=tuple(lines),
        basis={"age": age, "age_band": f"{band['min']}-{band['max']}", "rate_per_mille": str(rate)},
    )


def rate_term_life(table, *, sum_insured: Decimal, term_years: int, inputs) -> Quote:
    return _per_mille_by_age_and_term("term_life", table, sum_insured, term_years, inputs)


def rate_critical_illness(table, *, sum_insured: Decimal, term_years: int, inputs) -> Quote:
    return _per_mille_by_age_and_term("critical_illness", table, sum_insured, term_years, inputs)


def rate_motor(table, *, sum_insured: Decimal, term_years: int, inputs) -> Quote:
    """Motor: own damage from the vehicle's value, plus a fixed third-party liability premium.

    1. Base premium = vehicle value x the base % of its value band.
    2. x the factor of the main driver's age band.
    3. x (1 - the no-claims discount for the claim-free years; the last step applies beyond it).
    4. Plus the third-party liability premium; never less than the minimum premium.
    The sum insured (own damage) may not exceed the vehicle's value (IL Art. 55).
    """
    value = decimal_input(_input(inputs, "vehicle_value"), "rating_inputs.vehicle_value")
    driver_age = _int(_input(inputs, "driver_age"), "rating_inputs.driver_age")
    claim_free = _int(inputs.get("claim_free_years", 0), "rating_inputs.claim_free_years")
    if claim_free < 0:
        raise ValidationFailed(
            "Claim-free years cannot be negative.", field="rating_inputs.claim_free_years"
        )
    _not_above_vehicle_value(sum_insured, value)
    value_band = _band(table["value_bands"], value, "rating_inputs.vehicle_value", "Vehicle value")
    age_band = _band(table["driver_age_factors"], driver_age, "rating_inputs.driver_age", "Age")
    steps = {int(k): Decimal(str(v)) for k, v in table["no_claims_discount_percent"].items()}
    ncd = steps[min(claim_free, max(steps))]
    base_percent = Decimal(str(value_band["base_percent"]))
    factor = Decimal(str(age_band["factor"]))
    own_damage = money(value * base_percent / HUNDRED * factor * (1 - ncd / HUNDRED))
    lines = [
        QuoteLine(
            "own_damage",
            f"{value:,.2f} x {base_percent}% x driver factor {factor} x (1 - {ncd}% no-claims "
            "discount)",
            own_damage,
        ),
        QuoteLine(
            "third_party_liability",
            "Third-party liability",
            money(Decimal(str(table["third_party_premium"]))),
        ),
    ]
    total = _top_up_to_minimum(lines, table)
    return Quote(
        method="motor",
        annual_premium=total,
        lines=tuple(lines),
        basis={
            "vehicle_value": str(value),
            "base_percent": str(base_percent),
            "driver_factor": str(factor),
            "no_claims_discount_percent": str(ncd),
        },
    )


def _count(inputs: Mapping[str, Any], key: str, what: str) -> int:
    number = _int(_input(inputs, key), f"rating_inputs.{key}")
    if number < 0:
        raise ValidationFailed(f"{what} cannot be negative.", field=f"rating_inputs.{key}")
    return number


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def is_good_driver(*, years_licensed: int, violation_points: int, injury_accidents: int) -> bool:
    """California's good driver (Ins. Code 1861.025): licensed for the last three years, at most
    one violation point in them, and not the principal at-fault driver in an accident that
    injured or killed someone."""
    return years_licensed >= 3 and violation_points <= 1 and injury_accidents == 0


def rate_auto_prop103(table, *, sum_insured: Decimal, term_years: int, inputs) -> Quote:
    """California private passenger auto under Proposition 103 (Ins. Code 1861.02).

    The statute rates on three mandatory factors in decreasing order of importance: the driving
    safety record, the miles driven a year, and the years of driving experience. Age, sex and
    whether the customer was insured before are not read (1861.02(c) forbids the last).
    1. Base premium = vehicle value x the base % of its value band (physical damage, the car
       being an optional factor of 10 CCR 2632.5(d)) plus the liability base premium.
    2. x the factor of the violation point count of the last three years.
    3. x the factor of the annual mileage band.
    4. x the factor of the years-licensed band.
    5. A good driver (`is_good_driver`) pays at least 20% less (1861.02(b)(2)); the table's
       percentage, which `check_table` holds to 20 or more.
    6. Never less than the minimum premium. The sum insured may not exceed the car's value.
    """
    value = decimal_input(_input(inputs, "vehicle_value"), "rating_inputs.vehicle_value")
    points = _count(inputs, "violation_points", "Violation points")
    injuries = _count(inputs, "at_fault_injury_accidents", "At-fault injury accidents")
    miles = _count(inputs, "annual_miles", "Annual mileage")
    licensed = _count(inputs, "years_licensed", "Years licensed")
    _not_above_vehicle_value(sum_insured, value)
    value_band = _band(table["value_bands"], value, "rating_inputs.vehicle_value", "Vehicle value")
    record = _band(
        table["driving_record_factors"], points, "rating_inputs.violation_points", "Points"
    )
    mileage = _band(table["annual_mileage_factors"], miles, "rating_inputs.annual_miles", "Mileage")
    experience = _band(
        table["years_licensed_factors"], licensed, "rating_inputs.years_licensed", "Years"
    )
    base_percent = Decimal(str(value_band["base_percent"]))
    liability = money(Decimal(str(table["liability_base_premium"])))
    lines = [
        QuoteLine(
            "physical_damage",
            f"Collision and comprehensive: {value:,.2f} x {base_percent}%",
            money(value * base_percent / HUNDRED),
        ),
        QuoteLine("liability", "Liability to others", liability),
    ]
    # Each factor is a line of its own, in the statute's order, worth what it adds to (or takes
    # from) the running premium, so the breakdown shows how much each one weighed.
    adjustments = (
        ("driving_record", "Driving safety record", f"{points} point{_s(points)}", record),
        ("annual_mileage", "Annual mileage", f"{miles:,} miles", mileage),
        ("years_licensed", "Driving experience", f"{licensed} year{_s(licensed)}", experience),
    )
    running = lines[0].amount + lines[1].amount
    for code, label, said, band in adjustments:
        factor = Decimal(str(band["factor"]))
        change = money(running * factor) - running
        lines.append(QuoteLine(code, f"{label} ({said}): x {factor}", change))
        running += change
    good = is_good_driver(
        years_licensed=licensed, violation_points=points, injury_accidents=injuries
    )
    discount = Decimal(str(table["good_driver_discount_percent"])) if good else Decimal("0")
    if good:
        saving = money(running * discount / HUNDRED)
        lines.append(QuoteLine("good_driver", f"Good driver discount ({discount}%)", -saving))
    total = _top_up_to_minimum(lines, table)
    return Quote(
        method="auto_prop103",
        annual_premium=total,
        lines=tuple(lines),
        basis={
            "vehicle_value": str(value),
            "base_percent": str(base_percent),
            "violation_points": points,
            "driving_record_factor": str(record["factor"]),
            "annual_mileage_factor": str(mileage["factor"]),
            "years_licensed_factor": str(experience["factor"]),
            "good_driver": good,
            "good_driver_discount_percent": str(discount),
        },
    )


def rate_home(table, *, sum_insured: Decimal, term_years: int, inputs) -> Quote:
    """Home: per mille of the building's value by construction class, plus contents per mille.

    The sum insured may not exceed building plus contents value (IL Art. 55).
    """
    building = decimal_input(_input(inputs, "building_value"), "rating_inputs.building_value")
    contents = decimal_input(inputs.get("contents_value", 0), "rating_inputs.contents_value")
    construction = str(_input(inputs, "construction"))
    classes = table["construction_per_mille"]
    if construction not in classes:
        raise ValidationFailed(
            f"Construction must be one of: {', '.join(classes)}.",
            field="rating_inputs.construction",
        )
    low, high = (Decimal(str(x)) for x in table["building_value_range"])
    if not low <= building <= high:
        raise ValidationFailed(
            f"Building value {building} is outside the rating table ({low}-{high}).",
            field="rating_inputs.building_value",
        )
    contents_max = Decimal(str(table["contents_value_max"]))
    if not 0 <= contents <= contents_max:
        raise ValidationFailed(
            f"Contents value must be 0-{contents_max}.", field="rating_inputs.contents_value"
        )
    if sum_insured > building + contents:
        raise ValidationFailed(
            "The sum insured may not exceed the value of building and contents: insurance pays "
            "a loss, never more (the indemnity principle; IL Art. 55 in China).",
            field="sum_insured",
        )
    building_rate = Decimal(str(classes[construction]))
    lines = [
        QuoteLine(
            "building",
            f"Building {building:,.2f} x {building_rate}‰ ({construction.replace('_', ' ')})",
            money(building * building_rate / THOUSAND),
        )
    ]
    if contents:
        contents_rate = Decimal(str(table["contents_per_mille"]))
        lines.append(
            QuoteLine(
                "contents",
                f"Contents {contents:,.2f} x {contents_rate}‰",
                money(contents * contents_rate / THOUSAND),
            )
        )
    total = _top_up_to_minimum(lines, table)
    return Quote(
        method="home",
        annual_premium=total,
        lines=tuple(lines),
        basis={"construction": construction, "building_per_mille": str(building_rate)},
    )


RatingFunction = Callable[..., Quote]

RATING_METHODS: dict[str, RatingFunction] = {
    "term_life": rate_term_life,
    "critical_illness": rate_critical_illness,
    "motor": rate_motor,
    "auto_prop103": rate_auto_prop103,
    "home": rate_home,
}

# Inputs each method reads; `age` is worked out from the insured's date of birth by the caller.
METHOD_INPUTS: dict[str, tuple[str, ...]] = {
    "term_life": ("age",),
    "critical_illness": ("age",),
    "motor": ("vehicle_value", "driver_age", "claim_free_years"),
    "auto_prop103": (
        "vehicle_value",
        "violation_points",
        "at_fault_injury_accidents",
        "annual_miles",
        "years_licensed",
    ),
    "home": ("building_value", "construction", "contents_value"),
}

# Proposition 103's mandatory factors, most important first (Ins. Code 1861.02(a)(1)-(3)).
PROP103_FACTORS = ("driving_record_factors", "annual_mileage_factors", "years_licensed_factors")
GOOD_DRIVER_MIN_DISCOUNT = Decimal("20")  # Ins. Code 1861.02(b)(2): at least 20% below

# Keys a rating table must have, checked when a catalogue is loaded.
REQUIRED_TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "term_life": ("age_bands",),
    "critical_illness": ("age_bands",),
    "motor": (
        "value_bands",
        "driver_age_factors",
        "no_claims_discount_percent",
        "third_party_premium",
    ),
    "auto_prop103": (
        "value_bands",
        "liability_base_premium",
        *PROP103_FACTORS,
        "good_driver_discount_percent",
    ),
    "home": (
        "construction_per_mille",
        "contents_per_mille",
        "building_value_range",
        "contents_value_max",
    ),
}


def rate(
    method: str,
    table: Mapping[str, Any],
    *,
    sum_insured: Any,
    term_years: Any,
    inputs: Mapping[str, Any],
) -> Quote:
    """The annual premium for one risk under `method` and `table` (see the module docstring)."""
    function = RATING_METHODS.get(method)
    if function is None:
        raise ValidationFailed(f"Unknown rating method {method!r}.", field="rating_method")
    amount = decimal_input(sum_insured, "sum_insured")
    if amount <= 0:
        raise ValidationFailed("The sum insured must be positive.", field="sum_insured")
    years = _int(term_years, "term_years")
    if years < 1:
        raise ValidationFailed("The term must be at least one year.", field="term_years")
    if not isinstance(inputs, Mapping):
        raise ValidationFailed("Rating inputs must be an object.", field="rating_inputs")
    _check_sum_insured(table, amount)
    return function(table, sum_insured=amount, term_years=years, inputs=inputs)


def quote_for(version, *, sum_insured: Any, term_years: Any, inputs: Mapping[str, Any]) -> Quote:
    """The annual premium under a product version's own rating method and table."""
    return rate(
        version.rating_method,
        version.rating_table,
        sum_insured=sum_insured,
        term_years=term_years,
        inputs=inputs,
    )


def check_table(method: str, table: Any) -> None:
    """Refuse a rating table its method cannot read (used when a catalogue is loaded)."""
    if method not in RATING_METHODS:
        raise ValidationFailed(f"Unknown rating method {method!r}.", field="rating_method")
    if not isinstance(table, Mapping):
        raise ValidationFailed("The rating table must be a table.", field="rating_table")
    for key in REQUIRED_TABLE_KEYS[method]:
        if key not in table:
            raise ValidationFailed(
                f"The {method} rating table needs {key!r}.", field=f"rating_table.{key}"
            )
    try:
        _check_numbers(table, "rating_table")
    except (InvalidOperation, ValueError, TypeError, KeyError) as exc:
        raise ValidationFailed(f"Unreadable rating table: {exc}", field="rating_table") from None
    if method == "auto_prop103":
        _check_prop103(table)


def _spread(bands: Any, field: str) -> Decimal:
    """How much a factor can move a premium: its highest factor over its lowest."""
    try:
        factors = [Decimal(str(band["factor"])) for band in bands]
    except (InvalidOperation, TypeError, KeyError):
        raise ValidationFailed("Every band needs a numeric factor.", field=field) from None
    if not factors or min(factors) <= 0:
        raise ValidationFailed("Factors must be positive numbers.", field=field)
    return max(factors) / min(factors)


def _check_prop103(table: Mapping[str, Any]) -> None:
    """Refuse a California auto table that breaks the order of Proposition 103's factors, or
    whose good driver discount is under 20% (Ins. Code 1861.02(a) and (b)(2)).

    The order is checked as each mandatory factor's spread (highest over lowest factor) being
    at least the next one's: a simple reading of "in decreasing order of importance"; the
    Commissioner's regulation (10 CCR 2632.8) weighs the factors on the insurer's own book.
    """
    spreads = [(key, _spread(table[key], f"rating_table.{key}")) for key in PROP103_FACTORS]
    for (first, high), (second, low) in pairwise(spreads):
        if low > high:
            raise ValidationFailed(
                f"{second} moves a premium up to {low:.2f} times, more than {first} "
                f"({high:.2f}): Proposition 103 weighs the driving safety record first, then "
                "annual mileage, then years of driving experience (Ins. Code 1861.02(a)).",
                field=f"rating_table.{second}",
            )
    discount = decimal_input(
        table["good_driver_discount_percent"], "rating_table.good_driver_discount_percent"
    )
    if not GOOD_DRIVER_MIN_DISCOUNT <= discount < HUNDRED:
        raise ValidationFailed(
            "A good driver must pay at least 20% less than they otherwise would "
            f"(Ins. Code 1861.02(b)(2)); the table gives {discount}%.",
            field="rating_table.good_driver_discount_percent",
        )


def _check_numbers(node: Any, path: str) -> None:
    """Every leaf that looks like a rate must parse as a Decimal (strings, never floats)."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            _check_numbers(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _check_numbers(value, f"{path}.{index}")
    elif isinstance(node, float):
        raise ValidationFailed('Write rates as strings ("0.45"), not floats.', field=path)
    elif isinstance(node, str) and node and (node[0].isdigit() or node[0] == "-"):
        Decimal(node)
