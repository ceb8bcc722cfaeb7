"""Builders for the planning tests: a risk check's answers, and proposals at each step.

The answers are a family earner's (Alice's, unless told otherwise): two children to support
for 15 years, a mortgage, a home insured at its value, a car insured comprehensively.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from insuredesk.customers.roles import Role
from insuredesk.planning import services
from insuredesk.planning.models import Proposal, RiskAssessment
from insuredesk.tests import factories

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)  # a Monday

FAMILY: dict[str, Any] = {
    "age": 38, "dependants": 2, "support_years": 15, "annual_income": "240000",
    "debts": "1200000", "life_cover": "1000000", "ci_cover": "0", "emergency_savings": "3_6",
    "bearable_loss": "50000", "annual_budget": "6000", "smoker": "no", "exercise": "weekly",
    "health_check": "1_3y", "occupation": "office", "home_status": "own",
    "rebuild_value": "3000000", "contents_value": "200000",
    "construction": "reinforced_concrete", "heritage": "no", "flood_exposure": "medium",
    "smoke_alarms": "no", "security": "secure", "home_cover": "3200000", "has_vehicle": "yes",
    "vehicle_value": "250000", "annual_distance": "10_20k", "claim_free_years": 3,
    "accidents_3y": 0, "motor_cover": "comprehensive", "runs_business": "no",
}  # fmt: skip

# A villa worth CNY 12,000,000 (building and contents), insured for half: SVC-21's large sum.
VILLA = {
    "rebuild_value": "10500000",
    "contents_value": "1500000",
    "home_cover": "6000000",
    "annual_budget": "20000",
    "bearable_loss": "200000",
}


def answers(**overrides: Any) -> dict[str, Any]:
    return {**FAMILY, **overrides}


def assess(customer, *, now=NOW, actor=None, **overrides: Any) -> RiskAssessment:
    """The customer's own risk check (or `actor`'s, with the customer named)."""
    if actor is None:
        return services.assess_risks(actor=customer.user, answers=answers(**overrides), now=now)
    return services.assess_risks(
        actor=actor, customer=customer, answers=answers(**overrides), now=now
    )


def agent(username: str = "dave"):
    return factories.make_user(username, Role.AGENT)


def supervisor(username: str = "carol"):
    return factories.make_user(username, Role.SUPERVISOR)


OPTIONS = [
    {
        "label": "Full value: building and contents",
        "product": "harbour-home",
        "sum_insured": Decimal("12000000"),
        "term_years": 1,
    },
    {
        "label": "The building alone",
        "product": "harbour-home",
        "sum_insured": Decimal("10500000"),
        "term_years": 1,
        "notes": "Contents stay uncovered.",
    },
]


def requested(customer, *, now=NOW) -> Proposal:
    """The villa owner's risk check and their own request for the proposal SVC-21 calls for."""
    assessment = assess(customer, now=now, **VILLA)
    return services.request_proposal(actor=customer.user, assessment=assessment, now=now)


def drafted(customer, drafter, *, now=NOW, options=None) -> Proposal:
    proposal = requested(customer, now=now)
    return services.draft_proposal(
        actor=drafter,
        proposal=proposal,
        findings="The villa is insured for half its value.",
        prevention_scheme="Keep the alarm monitored; fit leak sensors.",
        resolution_scheme="Report the same day; a surveyor visits at our cost.",
        market_factors="Rates reviewed yearly; sums above CNY 10 million reinsured.",
        options=OPTIONS if options is None else options,
        now=now + dt.timedelta(hours=2),
    )


def issued(customer, drafter, approver, *, now=NOW) -> Proposal:
    proposal = drafted(customer, drafter, now=now)
    return services.approve_proposal(
        actor=approver, proposal=proposal, now=now + dt.timedelta(days=1)
    )
