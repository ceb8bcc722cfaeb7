"""`insuredesk demo` leaves premiums in every state the pages show: receipts for what was paid,
a demand notice on the premium overdue in its grace period, a suspension notice and a waiting
reinstatement application on the suspended policy, a termination letter on the lapsed one, and
a surrender whose value is still to pay."""

from io import StringIO

import pytest
from django.core.management import call_command

from insuredesk.documents.models import Letter
from insuredesk.policies.choices import (
    ArrearsStatus,
    InstalmentStatus,
    PolicyStatus,
    SurrenderStatus,
)
from insuredesk.policies.models import (
    Arrears,
    PremiumInstalment,
    PremiumPayment,
    Reinstatement,
    Surrender,
)

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        "payments": PremiumPayment.objects.count(),
        "letters": Letter.objects.count(),
        "arrears": Arrears.objects.count(),
        "reinstatements": Reinstatement.objects.count(),
        "surrenders": Surrender.objects.count(),
    }


def test_the_demo_policies_carry_their_premium_story_and_a_second_run_adds_nothing():
    out = StringIO()
    call_command("demo", "--skip-apps", stdout=out)
    first = counts()

    alice_paid = PremiumPayment.objects.filter(policy__policyholder__user__username="alice")
    assert alice_paid.exists() and all(p.receipt_id for p in alice_paid)
    overdue = PremiumInstalment.objects.get(
        policy__policyholder__full_name="Zhang Wei", demanded_at__isnull=False
    )
    assert overdue.status == InstalmentStatus.DUE
    assert overdue.demand_letter.kind == "premium_demand"
    assert overdue.policy.status == PolicyStatus.IN_FORCE
    li_na = Arrears.objects.get(policy__policyholder__full_name="Li Na")
    assert li_na.policy.status == PolicyStatus.SUSPENDED
    assert li_na.suspension_letter.kind == "policy_suspension"
    assert li_na.case.status == ArrearsStatus.REINSTATEMENT_REQUESTED
    assert li_na.reinstatements.get().decision == ""
    wang_fang = Arrears.objects.get(policy__policyholder__full_name="Wang Fang")
    assert wang_fang.policy.status == PolicyStatus.LAPSED
    assert wang_fang.termination_letter.kind == "policy_termination"
    assert "demand notices sent now" in out.getvalue()
    xu_li = Surrender.objects.get(policy__policyholder__full_name="Xu Li")
    assert xu_li.case.status == SurrenderStatus.REFUND_DUE and xu_li.amount > 0
    assert xu_li.policy.status == PolicyStatus.SURRENDERED
    assert xu_li.letter.language == "zh" and xu_li.letter.kind == "policy_surrender"

    call_command("demo", "--skip-apps", stdout=StringIO())
    assert counts() == first
