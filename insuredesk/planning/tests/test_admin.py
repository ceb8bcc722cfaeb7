"""The planning admin: risk checks and proposals open and search, show what was asked and
offered, and nothing can be added, changed or deleted there (the services' checks would be
skipped)."""

import pytest
from django.contrib.auth import get_user_model

from insuredesk.planning.tests.builders import agent, assess, drafted

pytestmark = pytest.mark.usefixtures("catalogue")


@pytest.fixture
def admin_client(client, db):
    admin = get_user_model().objects.create_superuser("admin", "admin@example.com", "x")
    client.force_login(admin)
    return client


def test_a_risk_check_is_listed_and_read_only(admin_client, alice):
    assessment = assess(alice)

    listed = admin_client.get("/admin/planning/riskassessment/", {"q": alice.number})
    page = admin_client.get(f"/admin/planning/riskassessment/{assessment.pk}/change/")
    added = admin_client.get("/admin/planning/riskassessment/add/")

    assert listed.status_code == 200 and alice.full_name in listed.text
    assert page.status_code == 200 and "What would it cost to rebuild your home" in page.text
    assert 'name="_save"' not in page.text
    assert added.status_code == 403


def test_a_proposal_is_listed_with_its_options_and_read_only(admin_client, alice):
    proposal = drafted(alice, agent())

    listed = admin_client.get("/admin/planning/proposal/", {"q": proposal.reference})
    page = admin_client.get(f"/admin/planning/proposal/{proposal.pk}/change/")
    deleted = admin_client.post(f"/admin/planning/proposal/{proposal.pk}/delete/", {"post": "yes"})

    assert listed.status_code == 200 and proposal.reference in listed.text
    assert page.status_code == 200 and "The building alone" in page.text
    assert 'name="_save"' not in page.text
    assert deleted.status_code == 403
