"""The sales demo: one application in each state staff and customers meet, loaded once."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from insuredesk.sales import demo, services
from insuredesk.sales.choices import ApplicationStatus
from insuredesk.sales.models import Application

pytestmark = pytest.mark.django_db


def test_the_demo_applications_cover_each_state_and_load_once():
    call_command("demo", "--skip-apps", stdout=StringIO())
    now = timezone.now()

    demo.load(stdout=StringIO(), now=now)
    demo.load(stdout=StringIO(), now=now)

    by_name = {a.applicant.full_name: a for a in Application.objects.select_related("case")}
    assert len(by_name) == Application.objects.count() == 5
    assert by_name["Mallory Stone"].status == ApplicationStatus.OFFERED
    assert services.unacknowledged_exemptions(by_name["Mallory Stone"])  # CN-02 still to do
    assert by_name["Alice Chen"].status == ApplicationStatus.EXAM_REQUIRED
    assert by_name["Wang Fang"].status == ApplicationStatus.OFFERED
    assert "phone sale" in services.recording_required(by_name["Wang Fang"])  # CN-12
    assert by_name["Li Na"].status == ApplicationStatus.REFERRED
    assert by_name["Chen Jing"].status == ApplicationStatus.DECLINED
    assert by_name["Chen Jing"].letter is not None
