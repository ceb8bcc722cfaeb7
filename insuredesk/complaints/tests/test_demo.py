"""The demo loader: idempotent, and it leaves a verified plan and charts to draw."""

import io

import pytest
from django.utils import timezone

from insuredesk.complaints import demo
from insuredesk.complaints.choices import PlanStatus
from insuredesk.complaints.models import Complaint, ImprovementPlan

pytestmark = pytest.mark.django_db


def test_demo_loads_once_with_a_verified_plan():
    out = io.StringIO()
    made = demo.load(stdout=out, now=timezone.now(), size=10)
    assert made["complaints"] == Complaint.objects.count() == 10
    plan = ImprovementPlan.objects.get(title=demo.PLAN_TITLE)
    assert plan.status == PlanStatus.VERIFIED_EFFECTIVE
    assert {"before", "after"} <= set(plan.verification_numbers)
    assert demo.load(stdout=out, now=timezone.now()) == {"complaints": 0}
    assert Complaint.objects.count() == 10
