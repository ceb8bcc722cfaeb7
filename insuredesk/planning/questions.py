"""The risk check's questions, as data: what the insurer asks to identify a customer's risks.

Each question has a code (stable across wordings), an area, the kind of answer it takes, the
words in English and Chinese, and, for the questions that only make sense for some customers
(a home owner's rebuild value), the answer that makes it asked. The words asked and the answers
given are kept word for word on the assessment with `QUESTIONS_VERSION`, so a plan can always be
read against what the customer was asked and said.

`read_answers` turns submitted answers (form or JSON) into typed values and refuses anything
else with an error naming the question (`answers.<code>`).
"""

# ruff: noqa: RUF001 - the Chinese wording uses full-width punctuation, as Chinese does.

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from insuredesk.catalog.rating import decimal_input
from insuredesk.errors import ValidationFailed
from insuredesk.planning.choices import Area

QUESTIONS_VERSION = "2026-1"  # bump when any wording, choice or condition changes

MONEY, COUNT, CHOICE, YES_NO = "money", "count", "choice", "yes_no"
MAX_MONEY = Decimal("1000000000")  # guards absurd input; no household is worth more


@dataclass(frozen=True)
class Choice:
    value: str
    en: str
    zh: str

    def text(self, language: str) -> str:
        return self.zh if language == "zh" else self.en


@dataclass(frozen=True)
class Question:
    code: str
    area: str
    kind: str  # MONEY, COUNT, CHOICE or YES_NO
    en: str
    zh: str
    choices: tuple[Choice, ...] = ()
    maximum: int = 0  # COUNT only: the largest whole number accepted (the smallest is 0)
    asked_if: tuple[str, tuple[str, ...]] | None = None  # (code, answers that ask this one)

    def text(self, language: str) -> str:
        return self.zh if language == "zh" else self.en

    def choice(self, value: str) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)


YES_NO_CHOICES = (Choice("yes", "Yes", "是"), Choice("no", "No", "否"))
OWNS = ("home_status", ("own",))
LIVES_IN_HOME = ("home_status", ("own", "rent"))
DRIVES = ("has_vehicle", ("yes",))
IN_BUSINESS = ("runs_business", ("yes",))

QUESTIONS: tuple[Question, ...] = (
    # -- you and your family -----------------------------------------------------------------
    Question("age", Area.PERSONAL, COUNT, "How old are you?", "您今年多大年龄？", maximum=100),
    Question(
        "dependants",
        Area.PERSONAL,
        COUNT,
        "How many people rely on your income (children, a partner, parents you support)?",
        "有几位家人依靠您的收入生活（子女、配偶、您赡养的父母）？",
        maximum=20,
    ),
    Question(
        "support_years",
        Area.PERSONAL,
        COUNT,
        "For how many more years will they need your support? (0 if no one relies on you)",
        "他们还需要您供养多少年？（无人依靠您时填0）",
        maximum=40,
    ),
    Question(
        "annual_income",
        Area.PERSONAL,
        MONEY,
        "What is your income before tax, a year?",
        "您的税前年收入是多少？",
    ),
    Question(
        "debts",
        Area.PERSONAL,
        MONEY,
        "How much is still to repay on your mortgage and other loans?",
        "您的房贷及其他贷款尚余多少未还？",
    ),
    Question(
        "life_cover",
        Area.PERSONAL,
        MONEY,
        "How much life cover do you already have, from any insurer or your employer? (0 if none)",
        "您已有的人寿保障总额是多少（包括任何保险公司及单位提供的）？（没有请填0）",
    ),
    Question(
        "ci_cover",
        Area.PERSONAL,
        MONEY,
        "How much critical illness cover do you already have? (0 if none)",
        "您已有的重大疾病保障总额是多少？（没有请填0）",
    ),
    Question(
        "emergency_savings",
        Area.PERSONAL,
        CHOICE,
        "If your income stopped, for how long could your savings pay your household's costs?",
        "如果收入中断，您的储蓄可以支撑家庭开支多久？",
        choices=(
            Choice("under_1", "Less than a month", "不到1个月"),
            Choice("1_3", "1 to 3 months", "1至3个月"),
            Choice("3_6", "3 to 6 months", "3至6个月"),
            Choice("over_6", "More than 6 months", "6个月以上"),
        ),
    ),
    Question(
        "bearable_loss",
        Area.PERSONAL,
        MONEY,
        "What is the largest unexpected bill you could pay from savings without hardship?",
        "在不影响生活的情况下，您能用储蓄承担的最大一笔意外支出是多少？",
    ),
    Question(
        "annual_budget",
        Area.PERSONAL,
        MONEY,
        "How much could you spend on insurance each year, in all?",
        "您每年总共可以拿出多少钱购买保险？",
    ),
    # -- health and work -----------------------------------------------------------------------
    Question(
        "smoker",
        Area.HEALTH,
        YES_NO,
        "Have you smoked or used nicotine in the last 12 months?",
        "过去12个月内您是否吸烟或使用尼古丁产品？",
        choices=YES_NO_CHOICES,
    ),
    Question(
        "exercise",
        Area.HEALTH,
        CHOICE,
        "How often do you exercise for half an hour or more?",
        "您多久进行一次30分钟以上的锻炼？",
        choices=(
            Choice("rarely", "Rarely", "很少"),
            Choice("weekly", "Once or twice a week", "每周一两次"),
            Choice("often", "Three times a week or more", "每周三次及以上"),
        ),
    ),
    Question(
        "health_check",
        Area.HEALTH,
        CHOICE,
        "When did you last have a general health check?",
        "您上一次全面体检是什么时候？",
        choices=(
            Choice("within_1y", "Within the last year", "一年以内"),
            Choice("1_3y", "One to three years ago", "一至三年前"),
            Choice("over_3y", "More than three years ago, or never", "三年以前，或从未体检"),
        ),
    ),
    Question(
        "occupation",
        Area.HEALTH,
        CHOICE,
        "Which best describes your work?",
        "以下哪一项最符合您的工作？",
        choices=(
            Choice("office", "Office or indoor work", "办公室或室内工作"),
            Choice(
                "light_manual", "Light manual work (shop, workshop)", "轻体力劳动（商店、车间）"
            ),
            Choice(
                "heavy_manual",
                "Heavy manual work (construction, farming)",
                "重体力劳动（建筑、农业）",
            ),
            Choice(
                "hazardous",
                "Hazardous: heights, underground, offshore, explosives, chemicals, or driving "
                "for a living",
                "高危：高空、井下、海上作业，接触爆炸物或化学品，或以驾驶为业",
            ),
        ),
    ),
    # -- your home -------------------------------------------------------------------------------
    Question(
        "home_status",
        Area.HOME,
        CHOICE,
        "Do you own or rent your home?",
        "您的住房是自有还是租住？",
        choices=(
            Choice("own", "I own it", "自有"),
            Choice("rent", "I rent it", "租住"),
            Choice("none", "Neither: I live with family", "都不是：与家人同住"),
        ),
    ),
    Question(
        "rebuild_value",
        Area.HOME,
        MONEY,
        "What would it cost to rebuild your home from the ground (not its market price)?",
        "如果房屋需要重建，重建费用是多少（不是市场价）？",
        asked_if=OWNS,
    ),
    Question(
        "contents_value",
        Area.HOME,
        MONEY,
        "What would it cost to replace everything in your home: furniture, appliances, clothes?",
        "更换家中全部物品（家具、电器、衣物等）需要多少钱？",
        asked_if=LIVES_IN_HOME,
    ),
    Question(
        "construction",
        Area.HOME,
        CHOICE,
        "How is the building built?",
        "房屋是什么结构？",
        choices=(
            Choice(
                "reinforced_concrete", "Reinforced concrete or steel frame", "钢筋混凝土或钢结构"
            ),
            Choice("brick_concrete", "Brick or block walls with concrete floors", "砖混结构"),
            Choice("timber", "Mainly timber (frame or roof)", "以木结构为主（框架或屋顶）"),
        ),
        asked_if=OWNS,
    ),
    Question(
        "heritage",
        Area.HOME,
        YES_NO,
        "Is the building heritage-listed, or unusually built (a historic courtyard house, "
        "thatch, stilts)?",
        "房屋是否为文物保护建筑，或结构特殊（如历史院落、茅草屋顶、吊脚楼）？",
        choices=YES_NO_CHOICES,
        asked_if=OWNS,
    ),
    Question(
        "flood_exposure",
        Area.HOME,
        CHOICE,
        "How exposed to flooding is your home?",
        "您的住房受水淹的风险如何？",
        choices=(
            Choice("low", "High ground; the area has not flooded", "地势较高，当地未曾水淹"),
            Choice("medium", "Near a river, the coast or low ground", "靠近河流、海边或低洼地带"),
            Choice("high", "The area has flooded in the last 10 years", "当地过去10年内曾被水淹"),
        ),
        asked_if=LIVES_IN_HOME,
    ),
    Question(
        "smoke_alarms",
        Area.HOME,
        YES_NO,
        "Are there working smoke alarms in your home?",
        "您家中是否装有能正常工作的烟雾报警器？",
        choices=YES_NO_CHOICES,
        asked_if=LIVES_IN_HOME,
    ),
    Question(
        "security",
        Area.HOME,
        CHOICE,
        "How is your home secured against burglary?",
        "您的住房有哪些防盗措施？",
        choices=(
            Choice("basic", "Ordinary door locks", "普通门锁"),
            Choice("secure", "Security door and window locks", "防盗门和窗锁"),
            Choice("monitored", "An alarm, or a guarded compound", "报警系统或有保安的小区"),
        ),
        asked_if=LIVES_IN_HOME,
    ),
    Question(
        "home_cover",
        Area.HOME,
        MONEY,
        "What is the sum insured of your current home insurance, buildings and contents "
        "together? (0 if none)",
        "您现有家庭财产保险（房屋及室内财产合计）的保险金额是多少？（没有请填0）",
        asked_if=LIVES_IN_HOME,
    ),
    # -- your car --------------------------------------------------------------------------------
    Question(
        "has_vehicle",
        Area.MOTOR,
        YES_NO,
        "Do you own a car?",
        "您是否拥有汽车？",
        choices=YES_NO_CHOICES,
    ),
    Question(
        "vehicle_value",
        Area.MOTOR,
        MONEY,
        "What is the car worth today?",
        "您的车辆目前价值多少？",
        asked_if=DRIVES,
    ),
    Question(
        "annual_distance",
        Area.MOTOR,
        CHOICE,
        "How far do you drive in a year?",
        "您每年大约行驶多少公里？",
        choices=(
            Choice("under_10k", "Less than 10,000 km", "少于1万公里"),
            Choice("10_20k", "10,000 to 20,000 km", "1万至2万公里"),
            Choice("over_20k", "More than 20,000 km", "2万公里以上"),
        ),
        asked_if=DRIVES,
    ),
    Question(
        "claim_free_years",
        Area.MOTOR,
        COUNT,
        "For how many years have you driven without a motor claim?",
        "您已连续多少年没有车险理赔？",
        maximum=60,
        asked_if=DRIVES,
    ),
    Question(
        "accidents_3y",
        Area.MOTOR,
        COUNT,
        "How many accidents have you had as a driver in the last 3 years?",
        "过去3年内您作为驾驶人发生过几次事故？",
        maximum=20,
        asked_if=DRIVES,
    ),
    Question(
        "motor_cover",
        Area.MOTOR,
        CHOICE,
        "What motor insurance do you have besides the compulsory insurance?",
        "除交强险外，您还有什么车险？",
        choices=(
            Choice("none", "None", "没有"),
            Choice("third_party", "Third-party liability only", "仅第三者责任险"),
            Choice(
                "comprehensive",
                "Comprehensive (own damage and third party)",
                "综合险（车损及第三者责任）",
            ),
        ),
        asked_if=DRIVES,
    ),
    # -- your business ---------------------------------------------------------------------------
    Question(
        "runs_business",
        Area.BUSINESS,
        YES_NO,
        "Do you own or run a small business?",
        "您是否拥有或经营一家小企业？",
        choices=YES_NO_CHOICES,
    ),
    Question(
        "business_value",
        Area.BUSINESS,
        MONEY,
        "What are the business premises, equipment and stock worth?",
        "企业的经营场所、设备和存货价值多少？",
        asked_if=IN_BUSINESS,
    ),
    Question(
        "business_activity",
        Area.BUSINESS,
        CHOICE,
        "What does the business do?",
        "企业从事什么业务？",
        choices=(
            Choice("office", "Office work or services", "办公或服务"),
            Choice("retail", "A shop or restaurant", "商店或餐馆"),
            Choice("workshop", "A workshop or light manufacturing", "车间或轻工制造"),
            Choice(
                "hazardous",
                "Work with chemicals, fuel, fireworks, timber processing or heavy machinery",
                "涉及化学品、燃料、烟花爆竹、木材加工或重型机械",
            ),
        ),
        asked_if=IN_BUSINESS,
    ),
    Question(
        "employees",
        Area.BUSINESS,
        COUNT,
        "How many people work in it, you included?",
        "包括您在内，企业有多少人工作？",
        maximum=100000,
        asked_if=IN_BUSINESS,
    ),
    Question(
        "business_cover",
        Area.BUSINESS,
        MONEY,
        "What is the sum insured of the business's property insurance? (0 if none)",
        "企业财产保险的保险金额是多少？（没有请填0）",
        asked_if=IN_BUSINESS,
    ),
)

BY_CODE: dict[str, Question] = {q.code: q for q in QUESTIONS}


def questions_in(area: str) -> tuple[Question, ...]:
    return tuple(q for q in QUESTIONS if q.area == area)


def is_asked(question: Question, answers: Mapping[str, Any]) -> bool:
    """Whether the question applies, given the answers to the questions before it."""
    if question.asked_if is None:
        return True
    code, values = question.asked_if
    return answers.get(code) in values


def _typed(question: Question, given: Any) -> Any:
    """One answer as the rules read it: Decimal, int, a choice's value or a bool."""
    field = f"answers.{question.code}"
    if given is None or given == "":
        raise ValidationFailed(f"Please answer: {question.en}", field=field)
    if question.kind == MONEY:
        amount = decimal_input(given, field)
        if amount < 0 or amount > MAX_MONEY:
            raise ValidationFailed(f"Give an amount from 0 to {MAX_MONEY:,.0f}.", field=field)
        if amount != amount.quantize(Decimal("0.01")):
            raise ValidationFailed("An amount has at most two decimals.", field=field)
        return amount.quantize(Decimal("0.01"))
    if question.kind == COUNT:
        number = decimal_input(given, field)
        if number != number.to_integral_value() or not 0 <= number <= question.maximum:
            raise ValidationFailed(
                f"Give a whole number from 0 to {question.maximum}.", field=field
            )
        return int(number)
    if question.kind == YES_NO and isinstance(given, bool):
        return given
    value = str(given).strip()
    if question.choice(value) is None:
        allowed = ", ".join(c.value for c in question.choices)
        raise ValidationFailed(f"Choose one of: {allowed}.", field=field)
    return value == "yes" if question.kind == YES_NO else value


def read_answers(given: Mapping[str, Any]) -> dict[str, Any]:
    """Every question that applies, answered and typed; answers to questions that do not
    apply (a renter's rebuild value) are dropped, unknown codes are refused.

    YES_NO answers are bools (true/false or "yes"/"no"); CHOICE answers a choice's value;
    MONEY a Decimal of at most two decimals; COUNT a whole number within the question's range.
    """
    if not isinstance(given, Mapping):
        raise ValidationFailed(
            "Answers must be an object of question code → answer.", field="answers"
        )
    unknown = sorted(set(given) - set(BY_CODE))
    if unknown:
        raise ValidationFailed(
            f"{unknown[0]} is not a question of the risk check.", field=f"answers.{unknown[0]}"
        )
    typed: dict[str, Any] = {}
    for question in QUESTIONS:
        if not is_asked(question, _as_asked(typed)):
            continue
        typed[question.code] = _typed(question, given.get(question.code))
    return typed


def _as_asked(typed: Mapping[str, Any]) -> dict[str, Any]:
    """Typed answers with yes/no as the words the conditions name."""
    return {k: ("yes" if v else "no") if isinstance(v, bool) else v for k, v in typed.items()}


def answer_words(question: Question, value: Any, language: str) -> str:
    """The answer as the customer gave it, in their language: a choice's words, or the number."""
    if question.kind == MONEY:
        return f"{value:,.2f}"
    if question.kind == COUNT:
        return str(value)
    choice = question.choice(("yes" if value else "no") if isinstance(value, bool) else value)
    return choice.text(language) if choice else str(value)


def stored_value(value: Any) -> Any:
    """The typed answer as kept in JSON: amounts as exact strings."""
    return str(value) if isinstance(value, Decimal) else value
