"""The planning demo: Alice's plan, a villa's proposal waiting for approval and an issued
heritage-home proposal with its letter, loaded once."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from insuredesk.planning import demo
from insuredesk.planning.choices import FitStatus, ProposalStatus
from insuredesk.planning.models import Proposal, RiskAssessment

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_plan_a_proposal_to_approve_and_an_issued_one_and_loads_once():
    call_command("demo", "--skip-apps", stdout=StringIO())
    now = timezone.now()

    demo.load(stdout=StringIO(), now=now)
    demo.load(stdout=StringIO(), now=now)

    assert RiskAssessment.objects.count() == 3
    alice = RiskAssessment.objects.get(customer__user__username="alice")
    assert not alice.proposal_required
    assert {r.fit for r in alice.recommendations.all()} == {FitStatus.FITS, FitStatus.REDUCED}
    assert alice.premium_within_budget <= alice.annual_budget
    proposals = {p.customer.full_name: p for p in Proposal.objects.select_related("case")}
    assert set(proposals) == {"Sun Haoran", "Mallory Stone"}
    villa = proposals["Sun Haoran"]
    assert villa.status == ProposalStatus.DRAFTED
    assert villa.assessment.proposal_reasons[0]["code"] == "large_sum"  # SVC-21: CNY 12,000,000
    heritage = proposals["Mallory Stone"]
    assert heritage.status == ProposalStatus.ISSUED
    assert heritage.letter is not None
    assert {o.within_budget for o in heritage.options.all()} == {True, False}
