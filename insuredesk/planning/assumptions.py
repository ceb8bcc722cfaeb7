"""What a risk plan assumes is at stake: the insurer's standard SVC-23, read from the customer's
jurisdiction profile.

Three numbers the rules of `risks.py` and `plan.py` cannot learn from the customer's answers:

    ci_income_years       a critical illness costs this many years of income (treatment and a
                          slow return to work)
    flood_share_percent   a flood or escape of water puts this share of a home's value at stake
                          (floors, walls and what stands on them; rarely the whole building)
    motor_liability_need  the liability to others a car puts at stake, in the profile's currency

An assessment keeps the assumptions it was made with (`RiskAssessment.assumptions`), so a later
change of budget prices the plan against the same exposures even after the profile changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from insuredesk.rules.errors import ProfileError
from insuredesk.rules.registry import get_profile, get_rule

RULE = "SVC-23"
HUNDRED = Decimal("100")


@dataclass(frozen=True)
class Assumptions:
    ci_income_years: int
    flood_share: Decimal  # a fraction, 0.30 for 30%
    motor_liability_need: Decimal
    currency: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": RULE,
            "ci_income_years": self.ci_income_years,
            "flood_share_percent": str((self.flood_share * HUNDRED).quantize(Decimal("0.01"))),
            "motor_liability_need": str(self.motor_liability_need),
            "currency": self.currency,
        }


def _read(params: Mapping[str, Any], where: str) -> Assumptions:
    try:
        years = params["ci_income_years"]
        share = Decimal(str(params["flood_share_percent"])) / HUNDRED
        need = Decimal(str(params["motor_liability_need"]))
        currency = str(params["currency"])
    except (KeyError, InvalidOperation) as exc:
        raise ProfileError(f"{where}: bad or missing parameter ({exc})") from None
    if not isinstance(years, int) or not 1 <= years <= 10:
        raise ProfileError(f"{where}: ci_income_years must be a whole number from 1 to 10")
    if not 0 < share <= 1 or need <= 0:
        raise ProfileError(f"{where}: flood_share_percent or motor_liability_need out of range")
    return Assumptions(years, share, need, currency)


def assumptions_for(jurisdiction: str) -> Assumptions:
    """SVC-23's parameters in `jurisdiction`, checked: a bad profile fails loudly."""
    where = f"{jurisdiction} {RULE}"
    found = _read(get_rule(jurisdiction, RULE).params, where)
    if found.currency != get_profile(jurisdiction).currency:
        raise ProfileError(f"{where}: the amount must be in the profile's currency")
    return found


def assumptions_of(stored: Mapping[str, Any] | None, jurisdiction: str) -> Assumptions:
    """The assumptions an assessment was made with; the profile's for one made before they
    were kept."""
    return _read(stored, f"stored {RULE}") if stored else assumptions_for(jurisdiction)
