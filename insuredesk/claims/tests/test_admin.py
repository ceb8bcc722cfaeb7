"""The claims admin: every list opens and searches; claim records are read-only."""

import pytest
from django.contrib.auth import get_user_model

from insuredesk.claims import services
from insuredesk.claims.models import Claim
from insuredesk.claims.tests.factories import NOW, report

pytestmark = pytest.mark.django_db

MODELS = [
    "claim",
    "claimdocument",
    "documentrequest",
    "surveyorprofile",
    "survey",
    "assessment",
    "offer",
    "settlementagreement",
    "paymentorder",
    "payment",
    "refusal",
    "dispute",
]


@pytest.fixture
def admin_client(client):
    admin = get_user_model().objects.create_superuser("admin", "admin@example.com", "x")
    client.force_login(admin)
    return client


@pytest.mark.parametrize("model", MODELS)
def test_every_claims_list_opens_and_searches(admin_client, policy, model):
    claim = report(policy)
    page = admin_client.get(f"/admin/claims/{model}/", {"q": claim.case.reference})
    assert page.status_code == 200


def test_the_claim_page_shows_the_timeline_and_links_the_letters_read_only(
    admin_client, policy, bob
):
    claim = report(policy)
    refusal = services.refuse_claim(
        claim=claim,
        ground="not_covered",
        reasons="Not an insured peril.",
        clauses=[{"number": "2.1", "how_it_applies": "Not a fire."}],
        actor=bob,
        now=NOW,
    )
    page = admin_client.get(f"/admin/claims/claim/{claim.pk}/change/")
    html = page.content.decode()
    assert page.status_code == 200
    assert claim.case.reference in html
    assert "Timeline (read-only audit trail)" in html and "Opened" in html
    assert f"/admin/documents/letter/{refusal.letter.pk}/change/" in html
    assert 'name="_save"' not in html


def test_claims_cannot_be_added_or_deleted_in_the_admin(admin_client, policy):
    claim = report(policy)
    assert admin_client.get("/admin/claims/claim/add/").status_code == 403
    assert admin_client.post(f"/admin/claims/claim/{claim.pk}/delete/").status_code == 403
    assert Claim.objects.filter(pk=claim.pk).exists()
