"""Demo risk planning for `insuredesk demo`: a plan, a proposal waiting for approval, and an
issued one.

- Alice went through the risk check in her portal: a family, a mortgage and a home already
  insured at its value; her budget of CNY 6,000 buys the critical illness cover and a reduced
  term life cover, and the plan says what stays uncovered.
- Sun Haoran owns a villa in Shanghai worth CNY 12,000,000 and insured for half of it. Dave
  went through the check with him: SVC-21 calls for a written proposal; Dave asked for it and
  drafted it, and it waits for Carol's approval (approve it to issue the Chinese letter).
- Mallory's courtyard house on West Lake is heritage-listed and timber-built: she asked for her
  proposal, Dave drafted it, Carol approved it, and the letter (PDF) waits for her answer, one
  option within her budget and one beyond it.

Each customer's risk check is looked up before it is made, so a second run adds nothing.
"""

# ruff: noqa: RUF001 - the Chinese wording uses full-width punctuation, as Chinese does.

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, TextIO

from django.contrib.auth import get_user_model

from insuredesk.customers.models import CustomerProfile
from insuredesk.customers.services import create_customer
from insuredesk.planning import drafting, services
from insuredesk.planning.models import Proposal, RiskAssessment

User = get_user_model()

ALICE = {
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

VILLA = {
    "age": 52, "dependants": 1, "support_years": 5, "annual_income": "900000", "debts": "0",
    "life_cover": "3000000", "ci_cover": "500000", "emergency_savings": "over_6",
    "bearable_loss": "500000", "annual_budget": "20000", "smoker": "no", "exercise": "weekly",
    "health_check": "within_1y", "occupation": "office", "home_status": "own",
    "rebuild_value": "10500000", "contents_value": "1500000",
    "construction": "reinforced_concrete", "heritage": "no", "flood_exposure": "medium",
    "smoke_alarms": "yes", "security": "monitored", "home_cover": "6000000",
    "has_vehicle": "yes", "vehicle_value": "900000", "annual_distance": "under_10k",
    "claim_free_years": 8, "accidents_3y": 0, "motor_cover": "comprehensive",
    "runs_business": "no",
}  # fmt: skip

COURTYARD = {
    "age": 39, "dependants": 0, "support_years": 0, "annual_income": "420000", "debts": "0",
    "life_cover": "500000", "ci_cover": "300000", "emergency_savings": "3_6",
    "bearable_loss": "80000", "annual_budget": "4000", "smoker": "no", "exercise": "often",
    "health_check": "within_1y", "occupation": "office", "home_status": "own",
    "rebuild_value": "2400000", "contents_value": "300000", "construction": "timber",
    "heritage": "yes", "flood_exposure": "medium", "smoke_alarms": "no", "security": "basic",
    "home_cover": "0", "has_vehicle": "yes", "vehicle_value": "120000",
    "annual_distance": "10_20k", "claim_free_years": 1, "accidents_3y": 0,
    "motor_cover": "comprehensive", "runs_business": "no",
}  # fmt: skip

VILLA_OWNER_EMAIL = "sun.haoran@example.net"


def _villa_owner() -> CustomerProfile:
    """Sun Haoran, who reads Chinese: approving his proposal issues the Chinese letter."""
    found = CustomerProfile.objects.filter(email=VILLA_OWNER_EMAIL).first()
    return found or create_customer(
        full_name="Sun Haoran",
        email=VILLA_OWNER_EMAIL,
        phone="+86 139 0216 8800",
        date_of_birth=dt.date(1973, 8, 9),
        address="Villa 12, 1888 Hongqiao Road, Changning, Shanghai",
        region="Shanghai",
        language="zh",
        jurisdiction="CN",
    )


def _draft(proposal: Proposal, *, actor, now: dt.datetime, options: list[dict[str, Any]]):
    """Dave's draft: the first draft from the risk check, with his own options."""
    assessment = proposal.assessment
    return services.draft_proposal(
        actor=actor,
        proposal=proposal,
        findings=drafting.findings_text(assessment),
        prevention_scheme=drafting.prevention_text(assessment),
        resolution_scheme=drafting.resolution_text(assessment),
        market_factors=drafting.market_text(assessment),
        options=options,
        now=now,
    )


def load(*, stdout: TextIO, now: dt.datetime) -> None:
    dave = User.objects.get(username="dave")
    carol = User.objects.get(username="carol")
    alice = CustomerProfile.objects.get(user__username="alice")
    mallory = CustomerProfile.objects.get(user__username="mallory")
    sun = _villa_owner()
    made = 0

    if not RiskAssessment.objects.filter(customer=alice).exists():
        services.assess_risks(actor=alice.user, answers=ALICE, now=now - dt.timedelta(days=2))
        made += 1

    if not RiskAssessment.objects.filter(customer=sun).exists():
        asked = now - dt.timedelta(days=3)
        villa = services.assess_risks(actor=dave, customer=sun, answers=VILLA, now=asked)
        proposal = services.request_proposal(
            actor=dave,
            assessment=villa,
            note="Villa worth CNY 12 million insured for half its value.",
            now=asked + dt.timedelta(minutes=20),
        )
        _draft(
            proposal,
            actor=dave,
            now=now - dt.timedelta(days=1),
            options=[
                {
                    "label": "足额保障：房屋及室内财产",
                    "product": "harbour-home",
                    "sum_insured": Decimal("12000000"),
                    "term_years": 1,
                },
                {
                    "label": "仅保房屋",
                    "product": "harbour-home",
                    "sum_insured": Decimal("10500000"),
                    "term_years": 1,
                    "notes": "室内财产 CNY 1,500,000 不在保障范围内。",
                },
            ],
        )
        made += 1

    if not RiskAssessment.objects.filter(customer=mallory).exists():
        asked = now - dt.timedelta(days=9)
        courtyard = services.assess_risks(actor=mallory.user, answers=COURTYARD, now=asked)
        proposal = services.request_proposal(
            actor=mallory.user,
            assessment=courtyard,
            note="The house is listed; what would rebuilding it properly cost?",
            now=asked + dt.timedelta(minutes=5),
        )
        _draft(
            proposal,
            actor=dave,
            now=asked + dt.timedelta(days=4),
            options=[
                {
                    "label": "Full value: the house and its contents",
                    "product": "harbour-home",
                    "sum_insured": Decimal("2700000"),
                    "term_years": 1,
                },
                {
                    "label": "The house alone",
                    "product": "harbour-home",
                    "sum_insured": Decimal("2400000"),
                    "term_years": 1,
                    "notes": "Your contents (CNY 300,000) stay uncovered.",
                },
            ],
        )
        services.approve_proposal(actor=carol, proposal=proposal, now=asked + dt.timedelta(days=5))
        made += 1

    stdout.write(
        f"planning: {made} demo risk checks added ({RiskAssessment.objects.count()} in all, "
        f"{Proposal.objects.count()} proposals)\n"
    )
