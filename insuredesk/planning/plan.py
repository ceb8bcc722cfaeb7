"""The risk plan: what to do about each identified risk, and the insurance that fits the budget.

For every risk the plan chooses a treatment by fixed rules (`treatment_for`), lists the
prevention measures that apply (`measures.py`), and where insurance is the answer recommends a
product of the catalogue with a sum insured and a premium priced by `catalog.rating` today.
Then it fits the recommendations to the customer's annual budget for insurance, the limit of
what they can accept (`fit_to_budget`), and says what stays uncovered.

The functions here are pure: the product versions on sale are passed in (selectors read them),
and a risk is anything with the attributes of `risks.Finding` (a stored `IdentifiedRisk` too).
"""

# ruff: noqa: RUF001 - the Chinese wording uses full-width punctuation, as Chinese does.

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any, Protocol

from insuredesk.catalog.choices import Line
from insuredesk.catalog.models import ProductVersion
from insuredesk.catalog.rating import quote_for
from insuredesk.errors import ValidationFailed
from insuredesk.planning.choices import FitStatus, Treatment
from insuredesk.planning.measures import measures_for

STEP = Decimal("10000")  # sums insured are suggested in round ten-thousands
ZERO = Decimal("0.00")
# The product line that can carry each risk. Home cover insures a building with its contents,
# so it is offered to owners only; a renter's contents stay with "no product of ours".
LINE_FOR_RISK: dict[str, str] = {
    "income_protection": Line.TERM_LIFE,
    "critical_illness": Line.CRITICAL_ILLNESS,
    "home_fire": Line.HOME,
    "home_flood": Line.HOME,
    "home_burglary": Line.HOME,
    "motor": Line.MOTOR,
}
# Lines where a smaller sum insured is a real choice (life and health); for a home or a car
# the sum insured is the value, and less would only bring under-insurance back.
REDUCIBLE = {Line.TERM_LIFE, Line.CRITICAL_ILLNESS}
PREFERRED_CI_TERM = 20  # illness risk rises with age: cover well into the later years
LIABILITY_COVERAGE = "third_party_liability"  # the motor coverage that pays others


class RiskLike(Protocol):
    """What the plan reads of a risk: a `risks.Finding`, or a stored `IdentifiedRisk`."""

    @property
    def code(self) -> str: ...

    @property
    def likelihood(self) -> int: ...

    @property
    def severity(self) -> int: ...

    @property
    def exposure(self) -> Decimal: ...

    @property
    def gap(self) -> Decimal: ...

    @property
    def score(self) -> int: ...


def _say(language: str, english: str, chinese: str) -> str:
    return chinese if language == "zh" else english


# -- treatments ---------------------------------------------------------------------------------


def transferable(risk_code: str, answers: Mapping[str, Any], versions: Mapping[str, Any]) -> bool:
    """Whether a product on sale can carry the risk for this customer."""
    line = LINE_FOR_RISK.get(risk_code)
    if line is None or line not in versions:
        return False
    return line != Line.HOME or answers.get("home_status") == "own"


def treatment_for(risk: RiskLike, *, can_insure: bool, language: str) -> tuple[str, str]:
    """Avoid, reduce, retain or transfer, and why, by the size and likelihood of the risk.

    1. Nothing left uncovered: the existing insurance carries it (transfer, already done).
    2. A gap the customer could not bear (severity 3+): insure it; if no product of ours can and
       it is likely (4+), avoid the activity that causes it.
    3. A bearable gap that is likely (3+): reduce it by prevention and keep the small losses.
    4. A bearable, unlikely gap: retain it; the premium would cost more than it saves.
    """
    if risk.gap <= 0:
        return Treatment.TRANSFER, _say(
            language,
            "Already insured: keep your current cover in force.",
            "已有保险保障：请保持现有保单有效。",
        )
    if risk.severity >= 3:
        if can_insure:
            return Treatment.TRANSFER, _say(
                language,
                "Too large for your savings: insure it.",
                "超出您的储蓄承受能力：建议投保转移风险。",
            )
        if risk.likelihood >= 4:
            return Treatment.AVOID, _say(
                language,
                "Likely, too large to bear, and none of our products covers it: stop or change "
                "what causes it, or ask an agent about specialist cover.",
                "发生可能性高、损失难以承受，且我们没有可承保的产品：请停止或改变引发风险的活动，或咨询代理人寻求专门保障。",
            )
        return Treatment.TRANSFER, _say(
            language,
            "Too large for your savings, but none of our products covers it: an agent can help "
            "you find cover.",
            "超出您的储蓄承受能力，但我们没有可承保的产品：代理人可以帮您寻找保障。",
        )
    if risk.likelihood >= 3:
        return Treatment.REDUCE, _say(
            language,
            "Likely but small enough to bear: prevent it, and pay small losses from savings.",
            "较可能发生但损失可以承受：做好预防，小额损失用储蓄承担。",
        )
    return Treatment.RETAIN, _say(
        language,
        "Small and unlikely: your savings can bear it; a premium would cost more than it saves.",
        "损失小且不太可能发生：您的储蓄可以承受，投保反而不划算。",
    )


def measures_of(risk_code: str, answers: Mapping[str, Any], language: str) -> list[dict]:
    """The prevention measures for the risk, as kept on it: [{"code", "text"}]."""
    return [{"code": m.code, "text": m.text(language)} for m in measures_for(risk_code, answers)]


# -- recommendations -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Recommendation:
    """A cover the plan recommends, priced today; `fit` says how it meets the budget."""

    line: str
    version: ProductVersion
    covers: tuple[str, ...]  # the risk codes it carries
    gap: Decimal  # the largest gap among them: what the cover must meet
    priority: int  # the highest score among them: the order in which the budget is spent
    term_years: int
    rating_inputs: Mapping[str, Any]
    full_sum_insured: Decimal
    full_premium: Decimal | None
    sum_insured: Decimal
    premium: Decimal | None
    fit: str = ""
    notes: tuple[str, ...] = field(default=())


def _main_limits(version: ProductVersion) -> tuple[Decimal, Decimal]:
    coverage = next(iter(version.coverages.all()), None)
    if coverage is None:
        return Decimal("0.01"), Decimal("1000000000")
    return coverage.sum_insured_min, coverage.sum_insured_max


def _round_up(amount: Decimal) -> Decimal:
    return (amount / STEP).to_integral_value(rounding=ROUND_CEILING) * STEP


def _round_down(amount: Decimal) -> Decimal:
    return (amount / STEP).to_integral_value(rounding=ROUND_FLOOR) * STEP


def _term(version: ProductVersion, *, age: int, wanted: int) -> int | None:
    """The shortest term offered that lasts `wanted` years and ends by the product's age limit;
    failing that, the longest that ends by it; None when none does."""
    limit = version.rating_table.get("max_age_at_expiry")
    options = sorted(version.term_years_options or [1])
    allowed = [t for t in options if limit is None or age + t <= int(limit)]
    if not allowed:
        return None
    return next((t for t in allowed if t >= wanted), allowed[-1])


def _price(version: ProductVersion, sum_insured: Decimal, term: int, inputs) -> Decimal:
    return quote_for(
        version, sum_insured=sum_insured, term_years=term, inputs=inputs
    ).annual_premium


def _cover(line: str, risks: Sequence[RiskLike], answers: Mapping[str, Any], version, language):
    """(sum insured, term, rating inputs, notes) for the line, or a note on why it cannot be."""
    age = answers.get("age", 0)
    gap = max(r.gap for r in risks)
    if line in REDUCIBLE:
        low, high = _main_limits(version)
        wanted = answers.get("support_years", 0) if line == Line.TERM_LIFE else PREFERRED_CI_TERM
        term = _term(version, age=age, wanted=max(wanted, 1))
        if term is None:
            return None, _say(
                language,
                f"{version.product.name} cannot cover you: it ends by age "
                f"{version.rating_table.get('max_age_at_expiry')}.",
                f"{version.product.name} 无法为您承保：保障须在 "
                f"{version.rating_table.get('max_age_at_expiry')} 岁前结束。",
            )
        sum_insured = min(max(_round_up(gap), low), high)
        notes = []
        if gap > high:
            notes.append(
                _say(
                    language,
                    f"{version.product.name} insures at most {high:,.0f}; "
                    f"{gap - high:,.2f} of the gap stays uncovered.",
                    f"{version.product.name} 最高保额为 {high:,.0f}，缺口中仍有 "
                    f"{gap - high:,.2f} 无法保障。",
                )
            )
        return (sum_insured, term, rating_inputs_for(version, answers, sum_insured), notes), ""
    if line == Line.HOME:
        building, contents = answers.get("rebuild_value", ZERO), answers.get("contents_value", ZERO)
        inputs = rating_inputs_for(version, answers, building + contents)
        note = _say(
            language,
            "Insure the full rebuild and contents value, so that every loss is paid in full; "
            "it replaces any home policy you have now.",
            "按房屋重建费用和室内财产的全部价值投保，每次损失才能足额赔付；可替代您现有的家财险。",
        )
        return (building + contents, 1, inputs, [note]), ""
    value = answers.get("vehicle_value", ZERO)
    inputs = rating_inputs_for(version, answers, value)
    notes = []
    if version.rating_method == "auto_prop103":
        notes.append(
            _say(
                language,
                f"Priced on an estimate of your driving record: {inputs['annual_miles']:,} miles "
                f"a year, {inputs['violation_points']} violation point(s) (one for each recent "
                f"accident), {inputs['years_licensed']} years licensed. The application asks "
                "for your exact record and prices it.",
                f"此价格按估计的驾驶记录计算：每年 {inputs['annual_miles']:,} 英里，"
                f"{inputs['violation_points']} 个违章分（近期每次事故计一分），"
                f"驾龄 {inputs['years_licensed']} 年。投保时将按您的实际记录定价。",
            )
        )
    return (value, 1, inputs, notes), ""


def insurable_value(line: str, answers: Mapping[str, Any]) -> Decimal | None:
    """The most a property or motor cover may insure (IL Art. 55: no more than the value);
    None for life and health, whose sum insured is agreed rather than valued."""
    if line == Line.HOME:
        return answers.get("rebuild_value", ZERO) + answers.get("contents_value", ZERO)
    if line == Line.MOTOR:
        return answers.get("vehicle_value", ZERO)
    return None


# The risk check asks for kilometres a year in bands; a Proposition 103 rate wants miles.
MILES_FOR_DISTANCE = {"under_10k": 3_100, "10_20k": 9_300, "over_20k": 15_500}
EARLIEST_LICENSE_AGE = 16  # California's provisional license


def rating_inputs_for(
    version: ProductVersion, answers: Mapping[str, Any], sum_insured: Decimal
) -> dict:
    """What `catalog.rating` needs for the version's method, from the risk check's answers.

    A home's sum insured is its building plus the contents insured with it, so the contents
    rated are the sum insured above the rebuild value: a sum insured equal to the rebuild value
    insures the building alone. A California auto rate (`auto_prop103`) reads a driving record
    the risk check does not ask for in full, so it is estimated (`prop103_estimate`).
    """
    line = version.product.line
    if line in REDUCIBLE:
        return {"age": answers.get("age", 0)}
    if line == Line.HOME:
        building = answers.get("rebuild_value", ZERO)
        return {
            "building_value": str(building),
            "construction": answers.get("construction", ""),
            "contents_value": str(max(ZERO, sum_insured - building)),
        }
    if line == Line.MOTOR and version.rating_method == "auto_prop103":
        return {
            "vehicle_value": str(answers.get("vehicle_value", ZERO)),
            **prop103_estimate(answers),
        }
    if line == Line.MOTOR:
        return {
            "vehicle_value": str(answers.get("vehicle_value", ZERO)),
            "driver_age": answers.get("age", 0),
            "claim_free_years": answers.get("claim_free_years", 0),
        }
    return {}


def prop103_estimate(answers: Mapping[str, Any]) -> dict[str, int]:
    """The driving record a Proposition 103 rate reads, as near as the risk check's answers
    give it: every accident of the last three years counted as one violation point (as an
    at-fault one would be), none of them an injury accident, licensed since 16. The application
    asks for the true record, and the price it quotes follows that."""
    return {
        "violation_points": answers.get("accidents_3y", 0),
        "at_fault_injury_accidents": 0,
        "annual_miles": MILES_FOR_DISTANCE.get(answers.get("annual_distance", ""), 9_300),
        "years_licensed": max(0, answers.get("age", 0) - EARLIEST_LICENSE_AGE),
    }


def recommend(
    risks: Sequence[RiskLike],
    *,
    treatments: Mapping[str, str],
    answers: Mapping[str, Any],
    versions: Mapping[str, ProductVersion],
    language: str,
) -> list[Recommendation]:
    """One recommendation per product line that carries a risk to be transferred, priced in
    full (before the budget), in the order the budget will be spent: the highest risk score
    first, then the largest gap."""
    by_line: dict[str, list[RiskLike]] = {}
    for risk in risks:
        line = LINE_FOR_RISK.get(risk.code)
        if (
            line is not None
            and treatments.get(risk.code) == Treatment.TRANSFER
            and risk.gap > 0
            and transferable(risk.code, answers, versions)
        ):
            by_line.setdefault(line, []).append(risk)
    made = []
    for line, carried in by_line.items():
        version = versions[line]
        terms, why_not = _cover(line, carried, answers, version, language)
        if terms is None:
            sum_insured, term, inputs, notes = ZERO, 0, {}, [why_not]
        else:
            sum_insured, term, inputs, notes = terms
        premium: Decimal | None = None
        fit = FitStatus.UNAVAILABLE if terms is None else ""
        if terms is not None:
            try:
                premium = _price(version, sum_insured, term, inputs)
            except ValidationFailed as exc:
                fit = FitStatus.UNAVAILABLE
                notes = [*notes, _say(language, exc.message, f"无法按此条件承保：{exc.message}")]
        made.append(
            Recommendation(
                line=line,
                version=version,
                covers=tuple(r.code for r in carried),
                gap=max(r.gap for r in carried),
                priority=max(r.score for r in carried),
                term_years=term,
                rating_inputs=inputs,
                full_sum_insured=sum_insured,
                full_premium=premium,
                sum_insured=sum_insured,
                premium=premium,
                fit=fit,
                notes=tuple(notes),
            )
        )
    return sorted(made, key=lambda r: (-r.priority, -r.gap))


def fit_to_budget(
    recommendations: Sequence[Recommendation], *, budget: Decimal, language: str, currency: str
) -> list[Recommendation]:
    """Spend the annual budget on the recommendations in their order.

    1. A cover whose premium fits what is left of the budget is taken whole.
    2. One that does not fit is reduced where a smaller cover still makes sense: life and
       illness cover in tenths of its sum insured (rounded down to 10,000, never below the
       product's minimum) to the largest that fits; home cover to the building alone.
    3. Anything else is beyond the budget: it is still shown, with what it would cost.
    An unavailable cover spends nothing.
    """
    left = budget
    fitted = []
    for rec in recommendations:
        if rec.fit == FitStatus.UNAVAILABLE or rec.full_premium is None:
            fitted.append(rec)
            continue
        if rec.full_premium <= left:
            left -= rec.full_premium
            fitted.append(replace(rec, fit=FitStatus.FITS))
            continue
        reduced = _reduce(rec, left)
        if reduced is not None:
            sum_insured, premium, inputs = reduced
            left -= premium
            fitted.append(
                replace(
                    rec,
                    sum_insured=sum_insured,
                    premium=premium,
                    rating_inputs=inputs,
                    fit=FitStatus.REDUCED,
                    notes=(*rec.notes, _reduced_note(rec, sum_insured, language, currency)),
                )
            )
            continue
        note = _say(
            language,
            f"It costs {currency} {rec.full_premium:,.2f} a year: {currency} "
            f"{rec.full_premium - left:,.2f} more than is left of your budget.",
            f"每年保费 {currency} {rec.full_premium:,.2f}，比剩余预算多出 "
            f"{currency} {rec.full_premium - left:,.2f}。",
        )
        fitted.append(replace(rec, fit=FitStatus.OVER_BUDGET, notes=(*rec.notes, note)))
    return fitted


def _reduced_note(rec: Recommendation, sum_insured: Decimal, language: str, currency: str) -> str:
    full = f"{currency} {rec.full_premium:,.2f}"
    if rec.line == Line.HOME:
        return _say(
            language,
            f"The building alone ({currency} {sum_insured:,.0f}) fits your budget: your "
            f"contents stay uncovered. The full cover would cost {full} a year.",
            f"预算只够保房屋本身（{currency} {sum_insured:,.0f}），室内财产没有保障；"
            f"足额保障每年保费为 {full}。",
        )
    return _say(
        language,
        f"Reduced from {currency} {rec.full_sum_insured:,.0f} to {currency} {sum_insured:,.0f} "
        f"to fit your budget; the full cover would cost {full} a year.",
        f"为符合预算，保额由 {currency} {rec.full_sum_insured:,.0f} 降至 {currency} "
        f"{sum_insured:,.0f}；足额保障每年保费为 {full}。",
    )


def _reduce(rec: Recommendation, left: Decimal) -> tuple[Decimal, Decimal, dict] | None:
    """(sum insured, premium, rating inputs) of the largest smaller cover that fits, if any."""
    candidates: list[tuple[Decimal, dict]] = []
    if rec.line in REDUCIBLE:
        low, _ = _main_limits(rec.version)
        for tenths in range(9, 0, -1):
            amount = _round_down(rec.full_sum_insured * tenths / 10)
            if low <= amount < rec.full_sum_insured:
                candidates.append((amount, dict(rec.rating_inputs)))
    elif rec.line == Line.HOME:
        building = Decimal(str(rec.rating_inputs.get("building_value", "0")))
        if 0 < building < rec.full_sum_insured:
            candidates.append((building, {**rec.rating_inputs, "contents_value": "0"}))
    for amount, inputs in candidates:
        try:
            premium = _price(rec.version, amount, rec.term_years, inputs)
        except ValidationFailed:
            continue
        if premium <= left:
            return amount, premium, inputs
    return None


def carried(rec: Recommendation, risk_code: str, *, flood_share: Decimal) -> Decimal:
    """How much of the risk's loss the cover pays.

    Life and illness cover pays its sum insured. Home cover pays the building and contents it
    insures: all of it for a fire, the flood share of it for a flood, the contents for a
    burglary. Motor cover pays the car's value and, on top, its third-party liability limit.
    """
    if rec.line == Line.HOME:
        contents = Decimal(str(rec.rating_inputs.get("contents_value", "0")))
        if risk_code == "home_burglary":
            return contents
        if risk_code == "home_flood":
            return rec.sum_insured * flood_share
        return rec.sum_insured
    if rec.line == Line.MOTOR:
        liability = next(
            (
                c.sum_insured_max
                for c in rec.version.coverages.all()
                if c.code == LIABILITY_COVERAGE
            ),
            ZERO,
        )
        return rec.sum_insured + liability
    return rec.sum_insured


def uncovered(
    risk: RiskLike, recommendations: Sequence[Recommendation], *, flood_share: Decimal
) -> Decimal:
    """What of the risk's gap the plan leaves to the customer.

    All of it, unless a cover that fits (whole or reduced) carries the risk. Life and illness
    cover adds to what the customer has: the gap less what it pays. Home and motor cover
    replaces the current policy: the money at stake less what it pays, never more than the gap.
    """
    for rec in recommendations:
        if risk.code in rec.covers and rec.fit in (FitStatus.FITS, FitStatus.REDUCED):
            paid = carried(rec, risk.code, flood_share=flood_share)
            if rec.line in REDUCIBLE:
                return max(ZERO, risk.gap - paid)
            return min(risk.gap, max(ZERO, risk.exposure - paid))
    return risk.gap


def spent(recommendations: Sequence[Recommendation]) -> Decimal:
    """The premiums of the covers that fit the budget, whole or reduced."""
    return sum(
        (
            rec.premium
            for rec in recommendations
            if rec.premium is not None and rec.fit in (FitStatus.FITS, FitStatus.REDUCED)
        ),
        ZERO,
    )
