"""What the insurer asks an applicant, line by line (CN-04: the duty of disclosure is limited to
answering the questions asked, so the questions are kept word for word beside the answers).

Each question has a code (stable across wordings), the words in English and Chinese, and
whether a "yes" needs an underwriter: a "yes" to any of them refers the application.
"""

from __future__ import annotations

from dataclasses import dataclass

from insuredesk.catalog.choices import Line

QUESTIONS_VERSION = "2026-1"  # bump when any wording changes; kept on every answer


@dataclass(frozen=True)
class Question:
    code: str
    en: str
    zh: str

    def text(self, language: str) -> str:
        return self.zh if language == "zh" else self.en


_HEALTH = (
    Question(
        "hospital_5y",
        "In the last 5 years, has the insured been admitted to hospital, or advised to be?",
        "被保险人过去5年内是否曾住院治疗，或被医生建议住院？",  # noqa: RUF001
    ),
    Question(
        "serious_condition",
        "Has the insured ever been diagnosed with cancer, a heart condition, stroke, diabetes, "
        "kidney or liver disease?",
        "被保险人是否曾被诊断患有癌症、心脏疾病、脑卒中、糖尿病、肾脏或肝脏疾病？",  # noqa: RUF001
    ),
    Question(
        "pending_tests",
        "Is the insured waiting for the result of any medical test, or for treatment?",
        "被保险人目前是否正在等待任何医学检查结果或治疗？",  # noqa: RUF001
    ),
    Question(
        "hazardous_work",
        "Does the insured's work or pastime involve heights, explosives, diving or motor racing?",
        "被保险人的职业或爱好是否涉及高空作业、爆炸物、潜水或赛车？",  # noqa: RUF001
    ),
    Question(
        "smoker",
        "Has the insured smoked or used nicotine in the last 12 months?",
        "被保险人过去12个月内是否吸烟或使用尼古丁产品？",  # noqa: RUF001
    ),
)

_MOTOR = (
    Question(
        "accidents_3y",
        "Has any driver of the vehicle had an accident or made a claim in the last 3 years?",
        "车辆的任何驾驶人过去3年内是否发生过事故或提出过理赔？",  # noqa: RUF001
    ),
    Question(
        "modified",
        "Has the vehicle been modified from the maker's specification?",
        "车辆是否有改装（与厂家出厂配置不同）？",  # noqa: RUF001
    ),
    Question(
        "commercial_use",
        "Is the vehicle used for hire, deliveries or other paid work?",
        "车辆是否用于出租、送货或其他营运用途？",  # noqa: RUF001
    ),
)

_HOME = (
    Question(
        "flood_3y",
        "Has the property been flooded, or had a fire or burglary, in the last 3 years?",
        "房屋过去3年内是否曾遭受水淹、火灾或盗窃？",  # noqa: RUF001
    ),
    Question(
        "unoccupied",
        "Will the property be left unoccupied for more than 60 days in a row?",
        "房屋是否会连续空置超过60天？",  # noqa: RUF001
    ),
    Question(
        "business_use",
        "Is any part of the property used for a business open to the public?",
        "房屋的任何部分是否用于对外营业？",  # noqa: RUF001
    ),
)

QUESTIONS: dict[str, tuple[Question, ...]] = {
    Line.TERM_LIFE: _HEALTH,
    Line.CRITICAL_ILLNESS: _HEALTH,
    Line.MOTOR: _MOTOR,
    Line.HOME: _HOME,
}


def questions_for(line: str) -> tuple[Question, ...]:
    return QUESTIONS.get(line, ())
