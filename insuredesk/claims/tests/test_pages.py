"""Pages render for the right people, list pages within a query budget, Mallory gets 404."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from insuredesk.claims import services
from insuredesk.claims.models import Claim
from insuredesk.claims.tests.factories import pdf, report
from insuredesk.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(alice):
    policy = factories.make_policy(alice, start=timezone.localdate() - timedelta(days=100))
    return report(policy, now=timezone.now(), amount=Decimal("80000"))


def test_report_form_creates_a_claim_and_shows_it(client, alice):
    policy = factories.make_policy(alice, start=timezone.localdate() - timedelta(days=100))
    client.force_login(alice.user)
    assert client.get("/portal/claims/report/").status_code == 200
    response = client.post(
        "/portal/claims/report/",
        {
            "policy": policy.number,
            "event_date": timezone.localdate().isoformat(),
            "event_place": "Home",
            "loss_type": "fire",
            "description": "Fire",
            "amount_claimed": "",
        },
    )
    claim = Claim.objects.get()
    assert response.status_code == 302 and claim.case.reference in response["Location"]


def test_report_form_shows_the_waiting_period_error_next_to_the_date(client, alice):
    policy = factories.make_policy(alice, start=timezone.localdate() + timedelta(days=1))
    client.force_login(alice.user)
    response = client.post(
        "/portal/claims/report/",
        {
            "policy": policy.number,
            "event_date": timezone.localdate().isoformat(),
            "event_place": "Home",
            "loss_type": "fire",
            "description": "Fire",
        },
    )
    assert response.status_code == 422
    assert not Claim.objects.exists()


def test_my_claims_lists_within_a_query_budget(client, alice, claim, django_assert_max_num_queries):
    client.force_login(alice.user)
    with django_assert_max_num_queries(12):
        response = client.get("/portal/claims/")
    assert claim.case.reference in response.content.decode()


def test_portal_claim_page_shows_timeline_and_upload(client, alice, claim):
    client.force_login(alice.user)
    response = client.get(f"/portal/claims/{claim.case.reference}/")
    assert response.status_code == 200
    assert b"What we owe you" in response.content
    upload = client.post(
        f"/portal/claims/{claim.case.reference}/documents/", {"code": "photos", "file": pdf()}
    )
    assert upload.status_code == 302
    assert claim.documents.count() == 1


def test_mallory_gets_404_on_alices_claim_page(client, mallory, claim):
    client.force_login(mallory.user)
    assert client.get(f"/portal/claims/{claim.case.reference}/").status_code == 404


def test_console_queue_lists_claims_within_a_query_budget(
    client, bob, claim, django_assert_max_num_queries
):
    client.force_login(bob)
    with django_assert_max_num_queries(15):
        response = client.get("/console/claims/")
    assert claim.case.reference in response.content.decode()


def test_console_workspace_renders_and_logs_the_access(client, bob, claim):
    client.force_login(bob)
    response = client.get(f"/console/claims/{claim.case.reference}/")
    assert response.status_code == 200
    assert claim.case.accesses.filter(user=bob).exists()


def test_console_request_documents_action_sends_the_notice(client, bob, claim):
    client.force_login(bob)
    response = client.post(
        f"/console/claims/{claim.case.reference}/do/request-documents/", {"note": "Thanks"}
    )
    assert response.status_code == 302
    claim.case.refresh_from_db()
    assert claim.case.status == "awaiting_documents"


def test_customers_cannot_open_the_console_workspace(client, alice, claim):
    client.force_login(alice.user)
    assert client.get(f"/console/claims/{claim.case.reference}/").status_code == 403


def test_surveyor_sees_appointments(client, bob, sam, claim):
    services.dispatch_surveyor(
        claim=claim,
        appointment_at=timezone.now() + timedelta(days=1),
        actor=bob,
        now=timezone.now(),
    )
    client.force_login(sam)
    response = client.get("/console/claims/appointments/")
    assert claim.case.reference in response.content.decode()


def test_letters_download_for_their_owner_only(client, alice, mallory, bob, claim):
    request = services.request_missing_documents(claim=claim, actor=bob, now=timezone.now())
    client.force_login(alice.user)
    url = f"/portal/claim-letters/{request.letter.public_id}/"
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    client.force_login(mallory.user)
    assert client.get(url).status_code == 404


def test_portal_claim_page_lists_the_documents_still_needed_while_open_cn_18(client, alice, claim):
    client.force_login(alice.user)
    page = client.get(f"/portal/claims/{claim.case.reference}/").content.decode()
    assert "Still needed" in page


def _refuse(claim, bob):
    services.refuse_claim(
        claim=claim,
        ground="exclusion",
        reasons="Gradual leak over months.",
        clauses=[{"number": "4.1", "how_it_applies": "The cabinets rotted from a slow leak."}],
        confirm_warnings=True,
        actor=bob,
        now=timezone.now(),
    )


def _withdraw(claim, bob):
    services.withdraw_claim(claim=claim, actor=bob, reason="Paid privately.", now=timezone.now())


@pytest.mark.parametrize("end", [_refuse, _withdraw], ids=["refused", "withdrawn"])
def test_portal_claim_page_asks_for_no_documents_once_decided_or_ended(
    client, alice, bob, claim, end
):
    """Given Alice's claim still missing documents, when Bob refuses it (or it is withdrawn),
    then her claim page no longer lists documents as still needed nor asks for uploads."""
    end(claim, bob)
    client.force_login(alice.user)
    page = client.get(f"/portal/claims/{claim.case.reference}/").content.decode()
    assert "Still needed" not in page
    assert 'value="photos"' not in page
    assert "We need no more documents for this claim." in page
