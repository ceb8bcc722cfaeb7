"""A first draft of a written proposal, from its risk check: what the agent starts from.

The agent rewrites it in their own words with what they learned from the customer; these
defaults only save retyping the figures. Each text is in the language of the risk check (the
customer's), as the letter will be.
"""

# ruff: noqa: RUF001 - the Chinese wording uses full-width punctuation, as Chinese does.

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from insuredesk.planning.choices import FitStatus, Treatment
from insuredesk.planning.models import RiskAssessment
from insuredesk.planning.risks import level_words

MAX_OPTIONS = 5


@dataclass(frozen=True)
class SuggestedOption:
    label: str
    product: str  # product code
    sum_insured: Decimal
    term_years: int
    notes: str = ""


def _say(zh: bool, english: str, chinese: str) -> str:
    return chinese if zh else english


def _relevant(assessment: RiskAssessment) -> set[str]:
    """The risks the proposal is about: those SVC-21 named, or every risk when it named none
    (a special risk such as hazardous work concerns the whole plan)."""
    named = {reason.get("risk") for reason in assessment.proposal_reasons if reason.get("risk")}
    return named or {risk.code for risk in assessment.risks.all()}


def findings_text(assessment: RiskAssessment) -> str:
    zh = assessment.language == "zh"
    money = assessment.currency
    lines = []
    for number, risk in enumerate(assessment.risks.all(), start=1):
        lines.append(
            _say(
                zh,
                f"{number}. {risk.title} — likelihood {risk.likelihood}/5, severity "
                f"{risk.severity}/5 ({level_words(risk.level, 'en').lower()}, score "
                f"{risk.score}). At stake {money} {risk.exposure:,.0f}; your cover meets "
                f"{money} {risk.existing_cover:,.0f}; gap {money} {risk.gap:,.0f}. "
                + " ".join(risk.reasons),
                f"{number}. {risk.title}——可能性 {risk.likelihood}/5，严重程度 {risk.severity}/5"
                f"（{level_words(risk.level, 'zh')}风险，评分 {risk.score}）。涉及金额 "
                f"{money} {risk.exposure:,.0f}；现有保障 {money} {risk.existing_cover:,.0f}；"
                f"缺口 {money} {risk.gap:,.0f}。" + "".join(risk.reasons),
            )
        )
    for reason in assessment.proposal_reasons:
        lines.append(reason["text"])
    return "\n".join(lines)


def prevention_text(assessment: RiskAssessment) -> str:
    seen: dict[str, str] = {}
    for risk in assessment.risks.all():
        for measure in risk.measures:
            seen.setdefault(measure["code"], measure["text"])
    return "\n".join(f"- {text}" for text in seen.values())


def resolution_text(assessment: RiskAssessment) -> str:
    zh = assessment.language == "zh"
    kept = [
        r.title
        for r in assessment.risks.all()
        if r.treatment in (Treatment.RETAIN, Treatment.REDUCE)
    ]
    text = _say(
        zh,
        "If a loss happens, report it in your portal or by phone the same day. For property, a "
        "surveyor visits at our cost and agrees the loss with you; we pay within 10 days of "
        "agreeing the amount. Keep receipts and photos of what you own.",
        "一旦发生损失，请当天通过客户门户或电话报案。财产损失由我方承担费用派查勘员上门，与您协商确定损失金额，"
        "并在达成一致后10日内赔付。请保留财物的发票和照片。",
    )
    if kept:
        text += "\n" + _say(
            zh,
            "Kept by you, from savings: " + "; ".join(kept) + ".",
            "由您用储蓄自行承担：" + "；".join(kept) + "。",
        )
    return text


def market_text(assessment: RiskAssessment) -> str:
    zh = assessment.language == "zh"
    products = sorted(
        {rec.product_version.product.name for rec in assessment.recommendations.all()}
    )
    names = ", ".join(products) or "—"
    return _say(
        zh,
        f"Premiums are our rates on {assessment.priced_on:%d %B %Y} for {names}; rates for "
        "large and special risks are reviewed every year and may change at renewal. Sums "
        "insured above our usual limits are placed with reinsurers, which can add conditions "
        "(a survey, sprinklers, a higher deductible). Comparable cover elsewhere is priced on "
        "the same construction and location factors.",
        f"保费按 {assessment.priced_on:%Y年%m月%d日} {names} 的费率计算；"
        "大额及特殊风险的费率每年复核，续保时可能调整。超出常规限额的保额需安排再保险，可能附加条件（如查勘、安装喷淋、提高免赔额）。"
        "市场上同类保障也按相同的建筑结构和地理位置因素定价。",
    )


def suggested_options(assessment: RiskAssessment) -> list[SuggestedOption]:
    """Options at and within the budget for the risks the proposal is about, from the plan:
    the full cover of each recommendation; when it was reduced, the reduced cover too; and for
    a home beyond the budget, the building alone."""
    zh = assessment.language == "zh"
    relevant = _relevant(assessment)
    answers = {row.code: row.value for row in assessment.answers.all()}
    options = []
    for rec in assessment.recommendations.all():
        if rec.fit == FitStatus.UNAVAILABLE or not relevant & set(rec.covers):
            continue
        product = rec.product_version.product
        options.append(
            SuggestedOption(
                _say(zh, f"Full cover: {product.name}", f"足额保障：{product.name}"),
                product.code,
                rec.full_sum_insured,
                rec.term_years,
            )
        )
        if rec.fit == FitStatus.REDUCED:
            options.append(
                SuggestedOption(
                    _say(zh, f"Within your budget: {product.name}", f"预算以内：{product.name}"),
                    product.code,
                    rec.sum_insured,
                    rec.term_years,
                )
            )
        building = Decimal(str(answers.get("rebuild_value") or 0))
        if (
            rec.fit == FitStatus.OVER_BUDGET
            and product.line == "home"
            and 0 < building < rec.full_sum_insured
        ):
            options.append(
                SuggestedOption(
                    _say(zh, f"The building only: {product.name}", f"仅保房屋：{product.name}"),
                    product.code,
                    building,
                    rec.term_years,
                    _say(zh, "Contents stay uncovered.", "室内财产不在保障范围内。"),
                )
            )
    return options[:MAX_OPTIONS]
