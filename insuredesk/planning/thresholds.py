"""When a written insurance proposal is owed: the insurer's standard SVC-21, read from the
customer's jurisdiction profile.

SVC-21 is data (`[rules.params]` of the rule in each profile): the amount from which the subject
matter is "large" (in the profile's currency) and the special risks that call for a proposal
whatever the amount. The flags those codes name are raised here from the risk check's answers;
a profile naming a flag this module does not know is an error caught by the tests, not ignored.
"""

# ruff: noqa: RUF001 - the Chinese wording uses full-width punctuation, as Chinese does.

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from insuredesk.rules.errors import ProfileError
from insuredesk.rules.registry import get_rule

RULE = "SVC-21"

# Special risks the risk check can recognise, with what raises each and the words that say why.
SPECIAL_RISKS: dict[str, tuple[Callable[[Mapping[str, Any]], bool], str, str]] = {
    "hazardous_occupation": (
        lambda a: a.get("occupation") == "hazardous",
        "Your work is hazardous (heights, underground, offshore, explosives, chemicals or "
        "driving for a living).",
        "您从事高危职业（高空、井下、海上作业，接触爆炸物或化学品，或以驾驶为业）。",
    ),
    "heritage_building": (
        lambda a: a.get("heritage") is True,
        "Your home is heritage-listed or unusually built: rebuilding it takes specialist work.",
        "您的住房为文物保护建筑或结构特殊，重建需要专门工艺。",
    ),
    "hazardous_business": (
        lambda a: a.get("business_activity") == "hazardous",
        "Your business works with chemicals, fuel, fireworks, timber processing or heavy "
        "machinery.",
        "您的企业涉及化学品、燃料、烟花爆竹、木材加工或重型机械。",
    ),
}


@dataclass(frozen=True)
class ProposalThreshold:
    """SVC-21 for one jurisdiction: how large is "large", and which risks are "special"."""

    jurisdiction: str
    amount: Decimal
    currency: str
    special_risks: tuple[str, ...]


@dataclass(frozen=True)
class ProposalReason:
    """Why a written proposal is owed: a risk's size or a special risk, in the customer's words."""

    code: str  # "large_sum" or a special risk code
    text: str
    risk: str = ""  # the identified risk it is about, when one

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "text": self.text, "risk": self.risk, "rule": RULE}


def threshold_for(jurisdiction: str) -> ProposalThreshold:
    """SVC-21's parameters in `jurisdiction`, checked: a bad profile fails loudly."""
    rule = get_rule(jurisdiction, RULE)
    params = rule.params
    try:
        amount = Decimal(str(params["sum_insured_at_least"]))
        currency = str(params["currency"])
        special = tuple(str(code) for code in params.get("special_risks", ()))
    except (KeyError, InvalidOperation) as exc:
        raise ProfileError(f"{jurisdiction} {RULE}: bad or missing parameter ({exc})") from None
    unknown = sorted(set(special) - set(SPECIAL_RISKS))
    if unknown or amount <= 0:
        raise ProfileError(f"{jurisdiction} {RULE}: unknown special risks {unknown} or amount")
    return ProposalThreshold(jurisdiction, amount, currency, special)


def proposal_reasons(
    *,
    jurisdiction: str,
    currency: str,
    answers: Mapping[str, Any],
    exposures: Sequence[tuple[str, str, Decimal]],
    language: str,
) -> list[ProposalReason]:
    """Why SVC-21 asks for a written proposal; empty when it does not.

    1. Each identified risk (code, title, exposure) whose exposure reaches the threshold: the
       subject matter is large. An amount in another currency than the threshold's is never
       compared (no conversion is guessed).
    2. Each special risk of the profile whose flag the answers raise.
    """
    threshold = threshold_for(jurisdiction)
    chinese = language == "zh"
    reasons = []
    if currency == threshold.currency:
        for code, title, exposure in exposures:
            if exposure >= threshold.amount:
                text = (
                    f"{title}：涉及金额 {currency} {exposure:,.2f}，达到 "
                    f"{currency} {threshold.amount:,.0f} 的书面建议书标准。"
                    if chinese
                    else f"{title}: {currency} {exposure:,.2f} is at stake, at or above the "
                    f"{currency} {threshold.amount:,.0f} from which we give a written proposal."
                )
                reasons.append(ProposalReason("large_sum", text, code))
    for code in threshold.special_risks:
        raised, english, zh = SPECIAL_RISKS[code]
        if raised(answers):
            reasons.append(ProposalReason(code, zh if chinese else english))
    return reasons
