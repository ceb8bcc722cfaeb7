"""Identifying a customer's risks from the risk check's answers: transparent rules, no model.

Every identified risk has a likelihood and a severity on a 1-5 scale, a score (their product,
1-25, placed on the risk matrix), the money at stake (exposure), the part the customer's
existing cover already meets, the gap between them, and the reasons each number is what it is,
in the customer's language. The rules, per risk:

    income_protection  exposure = annual income x years of support + debts; cover = life cover
    critical_illness   exposure = annual income x years (CN: 3; treatment, slow return to work)
    home_fire          exposure = rebuild value + contents (contents alone for a renter)
    home_flood         exposure = a share of that (CN: 30%: floors, walls, what stands on them)
    home_burglary      exposure = contents
    motor              exposure = the car's value + third-party liability (CN: 1,000,000)

The years, the share and the liability are the jurisdiction's planning assumptions (SVC-23,
`assumptions.py`), not constants here.
    business_property  exposure = premises, equipment and stock

A home insured for less than its value pays only that share of each loss (under-insurance), so
the home risks' existing cover is the insured share of their exposure.

Severity measures what is *left* to the customer after existing cover, against their means:
1 when savings could bear it, then 2 to 5 as the gap grows from under half a year of income to
five years or more. Likelihood starts from how common the event is and moves with the answers
that make it more or less likely (smoking, timber, flood zone, mileage…).

Amounts are in the currency of the assessment (the customer's jurisdiction); every one is a
Decimal rounded half-up to the cent.
"""

# ruff: noqa: RUF001 - the Chinese wording uses full-width punctuation, as Chinese does.

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from insuredesk.planning.assumptions import Assumptions
from insuredesk.planning.choices import RiskCategory

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

LEVELS = (  # (highest score in the band, band): the colours of the risk matrix
    (4, "low"),
    (9, "medium"),
    (16, "high"),
    (25, "severe"),
)
LEVEL_WORDS = {
    "low": ("Low", "低"),
    "medium": ("Medium", "中"),
    "high": ("High", "高"),
    "severe": ("Severe", "极高"),
}


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def risk_level(score: int) -> str:
    """low (1-4), medium (5-9), high (10-16) or severe (20-25)."""
    return next(level for highest, level in LEVELS if score <= highest)


def level_words(level: str, language: str) -> str:
    english, chinese = LEVEL_WORDS[level]
    return chinese if language == "zh" else english


@dataclass(frozen=True)
class Finding:
    """One identified risk, before the plan decides what to do about it."""

    code: str
    category: str
    title: str
    description: str
    likelihood: int
    severity: int
    exposure: Decimal
    existing_cover: Decimal
    gap: Decimal
    reasons: tuple[str, ...]

    @property
    def score(self) -> int:
        return self.likelihood * self.severity

    @property
    def level(self) -> str:
        return risk_level(self.score)


class _Words:
    """English or Chinese, chosen once per assessment."""

    def __init__(self, language: str, currency: str) -> None:
        self.zh = language == "zh"
        self.currency = currency

    def __call__(self, english: str, chinese: str) -> str:
        return chinese if self.zh else english

    def amount(self, value: Decimal) -> str:
        return f"{self.currency} {value:,.0f}"


def _clamp(value: int) -> int:
    return max(1, min(5, value))


def _severity(gap: Decimal, *, income: Decimal, bearable: Decimal, say: _Words) -> tuple[int, str]:
    """How hard the uncovered part would hit, against the customer's income and savings."""
    if gap <= 0:
        return 1, say("Your existing cover meets it.", "您现有的保障已足以应对。")
    if gap <= bearable:
        return 1, say(
            f"The {say.amount(gap)} left uncovered is within what your savings could bear.",
            f"未保障的 {say.amount(gap)} 在您的储蓄可承受范围内。",
        )
    if income <= 0:
        return 5, say(
            f"{say.amount(gap)} would be left uncovered, with no income to rebuild from.",
            f"将有 {say.amount(gap)} 没有保障，且没有收入来源弥补。",
        )
    years = gap / income
    severity = 5 if years >= 5 else 4 if years >= 2 else 3 if years >= Decimal("0.5") else 2
    return severity, say(
        f"{say.amount(gap)} would be left uncovered: {years:.1f} years of your income.",
        f"将有 {say.amount(gap)} 没有保障，相当于您 {years:.1f} 年的收入。",
    )


def _finding(
    code: str,
    category: str,
    *,
    title: str,
    description: str,
    likelihood: tuple[int, list[str]],
    exposure: Decimal,
    existing: Decimal,
    answers: Mapping[str, Any],
    say: _Words,
    extra: tuple[str, ...] = (),
) -> Finding:
    exposure = money(exposure)
    existing = money(min(max(existing, ZERO), exposure))
    gap = exposure - existing
    severity, why = _severity(
        gap,
        income=answers.get("annual_income", ZERO),
        bearable=answers.get("bearable_loss", ZERO),
        say=say,
    )
    level, reasons = likelihood
    return Finding(
        code=code,
        category=category,
        title=title,
        description=description,
        likelihood=_clamp(level),
        severity=severity,
        exposure=exposure,
        existing_cover=existing,
        gap=gap,
        reasons=tuple(r for r in (*reasons, *extra, why) if r),
    )


# -- life and health --------------------------------------------------------------------------


def _death_likelihood(a: Mapping[str, Any], say: _Words) -> tuple[int, list[str]]:
    level, why = 1, [say("Death in working years is rare.", "工作年龄段身故的概率较低。")]
    if a.get("smoker"):
        level += 1
        why.append(say("Smoking raises it.", "吸烟会提高风险。"))
    if a.get("occupation") == "hazardous":
        level += 2
        why.append(say("Hazardous work raises it.", "高危职业会提高风险。"))
    elif a.get("occupation") == "heavy_manual":
        level += 1
        why.append(say("Heavy manual work raises it.", "重体力劳动会提高风险。"))
    if a.get("age", 0) >= 50:
        level += 1
        why.append(say("It rises after 50.", "50岁以后风险上升。"))
    return level, why


def _income_protection(a: Mapping[str, Any], say: _Words) -> Finding | None:
    income, debts = a.get("annual_income", ZERO), a.get("debts", ZERO)
    years = a.get("support_years", 0) if a.get("dependants", 0) > 0 else 0
    exposure = income * years + debts
    if exposure <= 0:
        return None
    return _finding(
        "income_protection",
        RiskCategory.LIFE,
        title=say("Your family's income if you die", "您身故后家庭的收入"),
        description=say(
            "If you died, the people who rely on you would lose your income, and your debts "
            "would still have to be repaid.",
            "如果您身故，依靠您的家人将失去您的收入，而您的债务仍需偿还。",
        ),
        likelihood=_death_likelihood(a, say),
        exposure=exposure,
        existing=a.get("life_cover", ZERO),
        answers=a,
        say=say,
        extra=(
            say(
                f"Needed: {say.amount(income)} a year for {years} years, plus "
                f"{say.amount(debts)} of debts, less {say.amount(a.get('life_cover', ZERO))} "
                "of life cover you have.",
                f"所需保障：每年 {say.amount(income)}，共 {years} 年，另加债务 "
                f"{say.amount(debts)}，减去您已有的寿险 {say.amount(a.get('life_cover', ZERO))}。",
            ),
        ),
    )


def _critical_illness(a: Mapping[str, Any], say: _Words, years: int) -> Finding | None:
    income = a.get("annual_income", ZERO)
    if income <= 0:
        return None
    level, why = (
        2,
        [
            say(
                "One person in four to five has a critical illness before 70.",
                "每四到五人中就有一人在70岁前患重大疾病。",
            )
        ],
    )
    age = a.get("age", 0)
    if age >= 40:
        level += 1
        why.append(say("It rises from 40.", "40岁起风险上升。"))
    if age >= 55:
        level += 1
    if a.get("smoker"):
        level += 1
        why.append(say("Smoking raises it.", "吸烟会提高风险。"))
    if a.get("exercise") == "rarely":
        level += 1
        why.append(say("Little exercise raises it.", "缺乏锻炼会提高风险。"))
    elif a.get("exercise") == "often":
        level -= 1
        why.append(say("Regular exercise lowers it.", "规律锻炼可降低风险。"))
    return _finding(
        "critical_illness",
        RiskCategory.HEALTH,
        title=say("A serious illness", "重大疾病"),
        description=say(
            "Cancer, a heart attack or a stroke brings treatment costs and months or years of "
            "reduced income.",
            "癌症、心脏病或中风会带来治疗费用，以及数月乃至数年的收入减少。",
        ),
        likelihood=(level, why),
        exposure=income * years,
        existing=a.get("ci_cover", ZERO),
        answers=a,
        say=say,
        extra=(
            say(
                f"Needed: {years} years of your income, less the critical illness cover you have.",
                f"所需保障：您 {years} 年的收入，减去已有的重疾保障。",
            ),
        ),
    )


# -- home ---------------------------------------------------------------------------------------


def _home(a: Mapping[str, Any], say: _Words, flood_share: Decimal) -> list[Finding]:
    status = a.get("home_status")
    if status not in ("own", "rent"):
        return []
    contents = a.get("contents_value", ZERO)
    building = a.get("rebuild_value", ZERO) if status == "own" else ZERO
    value = building + contents
    if value <= 0:
        return []
    cover = a.get("home_cover", ZERO)
    share = min(Decimal(1), cover / value)
    under = (
        say(
            f"Your home is insured for {say.amount(cover)} of its {say.amount(value)}: each "
            f"loss would be paid at {share:.0%} and the rest would be yours.",
            f"您的住房仅按 {say.amount(value)} 中的 {say.amount(cover)} 投保：每次损失只能按 "
            f"{share:.0%} 赔付，其余由您自己承担。",
        )
        if 0 < cover < value
        else ""
    )
    extra = (under,) if under else ()
    found = []

    level, why = 1, [say("House fires are rare.", "住宅火灾并不常见。")]
    if a.get("construction") == "timber":
        level += 2
        why.append(say("A timber building burns more easily.", "木结构建筑更易燃烧。"))
    if a.get("heritage"):
        level += 1
        why.append(
            say("Old wiring and materials in a heritage building.", "文物建筑的线路和材料老旧。")
        )
    if a.get("smoke_alarms") is False:
        level += 1
        why.append(say("No smoke alarms to warn you early.", "没有烟雾报警器提早示警。"))
    found.append(
        _finding(
            "home_fire",
            RiskCategory.PROPERTY,
            title=say("Fire destroys your home", "火灾毁坏住房"),
            description=say(
                "A fire or explosion could destroy your home and everything in it.",
                "火灾或爆炸可能毁坏您的住房及其中的全部财物。",
            ),
            likelihood=(level, why),
            exposure=value,
            existing=cover,
            answers=a,
            say=say,
            extra=extra,
        )
    )

    zone = a.get("flood_exposure", "low")
    level = {"low": 1, "medium": 3, "high": 4}.get(zone, 1)
    why = [
        {
            "low": say("High ground that has not flooded.", "地势较高，未曾水淹。"),
            "medium": say("Near a river, the coast or low ground.", "靠近河流、海边或低洼地带。"),
            "high": say("The area flooded in the last 10 years.", "当地过去10年内曾被水淹。"),
        }.get(zone, "")
    ]
    flood = value * flood_share
    found.append(
        _finding(
            "home_flood",
            RiskCategory.PROPERTY,
            title=say("Flood or water damage", "水淹或漏水损失"),
            description=say(
                "A flood, a storm or a burst pipe could spoil floors, walls and belongings.",
                "洪水、暴雨或水管爆裂可能损坏地面、墙面和家中物品。",
            ),
            likelihood=(level, why),
            exposure=flood,
            existing=flood * share,
            answers=a,
            say=say,
            extra=(
                say(
                    f"We count {flood_share:.0%} of the home's value as at stake.",
                    f"按住房价值的 {flood_share:.0%} 计算可能损失。",
                ),
                *extra,
            ),
        )
    )

    if contents > 0:
        security = a.get("security", "basic")
        level = {"basic": 3, "secure": 2, "monitored": 1}.get(security, 3)
        words = {
            "basic": say("Ordinary locks are easily forced.", "普通门锁容易被撬开。"),
            "secure": say(
                "A security door and window locks deter most burglars.",
                "防盗门和窗锁能阻止大多数窃贼。",
            ),
            "monitored": say(
                "An alarm or guards make a break-in unlikely.",
                "报警系统或保安使入室盗窃不太可能发生。",
            ),
        }
        found.append(
            _finding(
                "home_burglary",
                RiskCategory.PROPERTY,
                title=say("Burglary", "入室盗窃"),
                description=say(
                    "A burglar could take or damage your belongings.",
                    "窃贼可能偷走或损坏您的财物。",
                ),
                likelihood=(level, [words.get(security, "")]),
                exposure=contents,
                existing=contents * share,
                answers=a,
                say=say,
                extra=extra,
            )
        )
    return found


# -- motor and business ---------------------------------------------------------------------------


def _motor(a: Mapping[str, Any], say: _Words, liability: Decimal) -> Finding | None:
    if not a.get("has_vehicle"):
        return None
    value = a.get("vehicle_value", ZERO)
    distance = a.get("annual_distance", "under_10k")
    level = {"under_10k": 2, "10_20k": 3, "over_20k": 4}.get(distance, 2)
    why = [
        say("The more you drive, the likelier an accident.", "行驶里程越多，发生事故的可能越大。")
    ]
    if a.get("accidents_3y", 0) > 0:
        level += 1
        why.append(say("You had an accident in the last 3 years.", "您过去3年内发生过事故。"))
    if a.get("age", 99) < 25:
        level += 1
        why.append(say("Drivers under 25 have more accidents.", "25岁以下驾驶人事故较多。"))
    if a.get("claim_free_years", 0) >= 5:
        level -= 1
        why.append(say("Five or more years without a claim.", "连续五年以上无理赔。"))
    cover = a.get("motor_cover", "none")
    existing = {
        "none": ZERO,
        "third_party": liability,
        "comprehensive": value + liability,
    }.get(cover, ZERO)
    return _finding(
        "motor",
        RiskCategory.MOTOR,
        title=say("A road accident", "交通事故"),
        description=say(
            "An accident could damage your car, and you answer for injury and damage you cause "
            "to others.",
            "事故可能损坏您的车辆，您还需对造成他人的伤害和损失承担责任。",
        ),
        likelihood=(level, why),
        exposure=value + liability,
        existing=existing,
        answers=a,
        say=say,
        extra=(
            say(
                f"At stake: the car's {say.amount(value)} and "
                f"{say.amount(liability)} of liability to others.",
                f"涉及金额：车辆价值 {say.amount(value)}，以及对他人 "
                f"{say.amount(liability)} 的赔偿责任。",
            ),
        ),
    )


def _business(a: Mapping[str, Any], say: _Words) -> Finding | None:
    if not a.get("runs_business"):
        return None
    value = a.get("business_value", ZERO)
    if value <= 0:
        return None
    activity = a.get("business_activity", "office")
    level = {"office": 1, "retail": 2, "workshop": 3, "hazardous": 4}.get(activity, 1)
    why = [
        {
            "office": say("Offices rarely burn.", "办公场所很少发生火灾。"),
            "retail": say(
                "Shops and kitchens see fires and break-ins.", "商店和厨房容易发生火灾和盗窃。"
            ),
            "workshop": say(
                "Machines and stock in a workshop can catch fire.", "车间的机器和存货可能起火。"
            ),
            "hazardous": say(
                "Flammable or dangerous materials make a fire likely.",
                "易燃或危险物品使火灾更易发生。",
            ),
        }.get(activity, "")
    ]
    if a.get("employees", 0) > 20:
        level += 1
        why.append(say("More than 20 people at work.", "工作人员超过20人。"))
    return _finding(
        "business_property",
        RiskCategory.BUSINESS,
        title=say("Loss of your business premises and stock", "企业场所和存货受损"),
        description=say(
            "A fire, flood or break-in could destroy the premises, equipment and stock your "
            "business lives on.",
            "火灾、水淹或盗窃可能毁坏企业赖以经营的场所、设备和存货。",
        ),
        likelihood=(level, why),
        exposure=value,
        existing=a.get("business_cover", ZERO),
        answers=a,
        say=say,
    )


def identify_risks(
    answers: Mapping[str, Any], *, currency: str, language: str, assumptions: Assumptions
) -> list[Finding]:
    """Every risk the answers show, the highest score first (then the largest gap).

    `answers` are typed (`questions.read_answers`): Decimal amounts, int counts, bools, choices.
    `assumptions` are the jurisdiction's (`assumptions_for`), in `currency`.
    """
    say = _Words(language, currency)
    found: list[Finding | None] = [
        _income_protection(answers, say),
        _critical_illness(answers, say, assumptions.ci_income_years),
        *_home(answers, say, assumptions.flood_share),
        _motor(answers, say, assumptions.motor_liability_need),
        _business(answers, say),
    ]
    risks = [f for f in found if f is not None]
    return sorted(risks, key=lambda f: (-f.score, -f.gap))
