"""Prevention measures, as data: what a customer can do about a risk besides insuring it.

Risk planning is not only financial: a smoke alarm makes a fire less likely to become a loss,
a health check finds an illness while it is cheap to treat. Each measure names the risks it
answers and, where it only makes sense for some answers, the answer that calls for it (a
measure with no condition is always worth saying). The plan lists, for every identified risk,
the measures that apply, in the customer's language.
"""

# ruff: noqa: RUF001 - the Chinese wording uses full-width punctuation, as Chinese does.

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Answers = Mapping[str, Any]


@dataclass(frozen=True)
class Measure:
    code: str
    risks: tuple[str, ...]
    en: str
    zh: str
    applies: Callable[[Answers], bool] = lambda answers: True

    def text(self, language: str) -> str:
        return self.zh if language == "zh" else self.en


MEASURES: tuple[Measure, ...] = (
    Measure(
        "stop_smoking",
        ("income_protection", "critical_illness"),
        "Stop smoking: after a year without nicotine, life and illness cover costs less too.",
        "戒烟：戒烟满一年后，寿险和重疾险的保费也会更低。",
        lambda a: a.get("smoker") is True,
    ),
    Measure(
        "health_check",
        ("critical_illness",),
        "Book a general health check every year: most serious illnesses cost far less when "
        "found early.",
        "每年做一次全面体检：大多数重大疾病越早发现，治疗费用越低。",
        lambda a: a.get("health_check") != "within_1y",
    ),
    Measure(
        "exercise",
        ("critical_illness",),
        "Build up to 150 minutes of moderate exercise a week.",
        "逐步做到每周150分钟中等强度运动。",
        lambda a: a.get("exercise") == "rarely",
    ),
    Measure(
        "safety_training",
        ("income_protection",),
        "Ask your employer for safety training and the protective equipment your work needs, "
        "and use it every time.",
        "向单位申请安全培训和必要的防护装备，并坚持每次使用。",
        lambda a: a.get("occupation") in ("hazardous", "heavy_manual"),
    ),
    Measure(
        "beneficiaries",
        ("income_protection",),
        "Name beneficiaries on every life policy and keep a will, so money reaches your family "
        "without delay.",
        "在每份寿险保单上指定受益人并立好遗嘱，让保险金及时到达家人手中。",
        lambda a: a.get("dependants", 0) > 0,
    ),
    Measure(
        "emergency_fund",
        ("income_protection", "critical_illness", "home_burglary"),
        "Build savings worth three to six months of household costs, for the losses you keep.",
        "积累相当于三至六个月家庭开支的储蓄，用于承担自留的损失。",
        lambda a: a.get("emergency_savings") in ("under_1", "1_3"),
    ),
    Measure(
        "smoke_alarms",
        ("home_fire",),
        "Fit smoke alarms on every floor and in the kitchen, and test them once a month.",
        "在每层楼和厨房安装烟雾报警器，每月测试一次。",
        lambda a: a.get("smoke_alarms") is False,
    ),
    Measure(
        "extinguisher",
        ("home_fire",),
        "Keep a fire extinguisher and a fire blanket by the kitchen, and never leave cooking "
        "or charging e-bikes unattended.",
        "在厨房附近放置灭火器和灭火毯，做饭或给电动车充电时不要离开。",
    ),
    Measure(
        "wiring",
        ("home_fire",),
        "Have the wiring checked by a licensed electrician, and again every five years.",
        "请持证电工检查电路，此后每五年检查一次。",
        lambda a: a.get("construction") == "timber" or a.get("heritage") is True,
    ),
    Measure(
        "leak_sensors",
        ("home_flood",),
        "Fit water-leak sensors under sinks and by the water heater, and learn where the main "
        "stopcock is.",
        "在水槽下和热水器旁安装漏水传感器，并了解总阀的位置。",
    ),
    Measure(
        "flood_plan",
        ("home_flood",),
        "Keep flood boards or sandbags, and keep valuables and documents above ground level.",
        "备好挡水板或沙袋，把贵重物品和证件放在高处。",
        lambda a: a.get("flood_exposure") in ("medium", "high"),
    ),
    Measure(
        "locks",
        ("home_burglary",),
        "Fit a security door and window locks; ask the police or your property manager for a "
        "free security check.",
        "安装防盗门和窗锁；可请派出所或物业免费检查住宅安全。",
        lambda a: a.get("security") == "basic",
    ),
    Measure(
        "inventory",
        ("home_burglary", "home_fire"),
        "Keep photos and receipts of valuable belongings somewhere outside the home: a claim is "
        "settled faster with them.",
        "把贵重物品的照片和发票存放在家以外的地方：有了它们，理赔更快。",
    ),
    Measure(
        "driving_course",
        ("motor",),
        "Take a defensive-driving course: it lowers the chance of an accident and, with "
        "claim-free years, the premium.",
        "参加防御性驾驶培训：降低事故几率，连续无理赔还能降低保费。",
        lambda a: a.get("accidents_3y", 0) > 0 or a.get("age", 99) < 25,
    ),
    Measure(
        "dashcam",
        ("motor",),
        "Fit a dashcam: it settles who was at fault quickly after an accident.",
        "安装行车记录仪：事故后能迅速厘清责任。",
    ),
    Measure(
        "fewer_miles",
        ("motor",),
        "Drive less where you can: public transport for the daily commute halves the time on "
        "the road.",
        "尽量少开车：日常通勤改乘公共交通，可使行车时间减半。",
        lambda a: a.get("annual_distance") == "over_20k",
    ),
    Measure(
        "fire_survey",
        ("business_property",),
        "Have the premises surveyed for fire safety; fit sprinklers or extinguishers as the "
        "surveyor advises and keep escape routes clear.",
        "请专业人员对经营场所做消防安全检查；按建议安装喷淋或灭火器，并保持疏散通道畅通。",
    ),
    Measure(
        "hazard_storage",
        ("business_property",),
        "Store chemicals, fuel and other flammable stock in a separate, ventilated place in "
        "the quantities the fire brigade allows.",
        "将化学品、燃料等易燃物品按消防部门允许的数量，存放在独立、通风的地方。",
        lambda a: a.get("business_activity") in ("workshop", "hazardous"),
    ),
    Measure(
        "records_offsite",
        ("business_property",),
        "Keep accounts and customer records backed up away from the premises.",
        "将账目和客户资料备份在经营场所以外。",
    ),
)


def measures_for(risk: str, answers: Answers) -> list[Measure]:
    """The prevention measures that answer `risk` for a customer who answered so."""
    return [m for m in MEASURES if risk in m.risks and m.applies(answers)]
