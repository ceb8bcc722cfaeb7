"""Portal and dispute-page forms: a turned-down answer comes back as its form, open, with what
was typed and the message beside the field it is about — not as a banner, and nothing written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from insuredesk.claims import services
from insuredesk.tests.pages import field_html

pytestmark = pytest.mark.django_db


@pytest.fixture
def offered(assessed, bob):
    services.make_offer(claim=assessed, amount=None, actor=bob, now=timezone.now())
    return assessed


@pytest.fixture
def dispute(offered, alice):
    return services.open_dispute(
        claim=offered,
        channel="internal_review",
        grounds="The cabinets were worth more.",
        actor=alice.user,
        now=timezone.now(),
    )


def test_counter_offer_of_zero_shows_the_error_beside_the_amount_and_writes_nothing(
    client, alice, offered
):
    """Given Alice asks for 0 against offer 1, when she sends it, then her claim page comes
    back (200) with the counter form open, her reasons kept, the error beside the amount, no
    banner, and the offer still open."""
    client.force_login(alice.user)
    response = client.post(
        f"/portal/claims/{offered.case.reference}/offers/1/",
        {"answer": "counter", "amount": "0", "reasons": "Quotes attached."},
    )
    page = response.content.decode()
    assert response.status_code == 200
    amount = field_html(page, "amount-1")
    assert "has-error" in amount and "must be more than zero" in amount
    assert 'value="0"' in amount
    assert "Quotes attached." in field_html(page, "reasons-1")
    assert "<details open><summary>Ask for more" in page
    assert 'class="msg error"' not in page
    offer = offered.offers.get(number=1)
    assert offer.status == "open" and offer.counter_amount is None
    offered.case.refresh_from_db()
    assert offered.case.status == "offered"


def test_counter_offer_that_succeeds_still_redirects(client, alice, offered):
    client.force_login(alice.user)
    response = client.post(
        f"/portal/claims/{offered.case.reference}/offers/1/",
        {"answer": "counter", "amount": "2500", "reasons": "Quotes attached."},
    )
    assert response.status_code == 302
    assert offered.offers.get(number=1).status == "countered"


def test_contest_without_grounds_shows_the_error_beside_the_grounds_and_opens_no_dispute(
    client, alice, offered
):
    """Given Alice contests the offer but says nothing, when she submits, then the page comes
    back (200) with the contest form open, her channel kept, the error beside the grounds,
    and no dispute opened."""
    client.force_login(alice.user)
    response = client.post(
        f"/portal/claims/{offered.case.reference}/contest/",
        {"channel": "internal_review", "grounds": "   "},
    )
    page = response.content.decode()
    assert response.status_code == 200
    grounds = field_html(page, "grounds")
    assert "has-error" in grounds and "Say what you contest and why." in grounds
    assert '<option value="internal_review" selected>' in page
    assert "<details open><summary>Contest" in page
    assert not offered.disputes.exists()


def test_upload_without_a_file_or_of_a_wrong_type_shows_the_error_beside_the_file(
    client, alice, claim
):
    client.force_login(alice.user)
    url = f"/portal/claims/{claim.case.reference}/documents/"
    response = client.post(url, {"code": "photos"})
    assert response.status_code == 200
    assert "Choose a file to upload." in field_html(response.content.decode(), "file")
    text = SimpleUploadedFile("notes.txt", b"just words, no scan", content_type="text/plain")
    response = client.post(url, {"code": "photos", "file": text})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Only PDF, JPEG and PNG" in field_html(page, "file")
    assert '<option value="photos" selected>' in page
    assert not claim.documents.exists()


def test_mallory_cannot_answer_alices_offer(client, mallory, offered):
    client.force_login(mallory.user)
    response = client.post(
        f"/portal/claims/{offered.case.reference}/offers/1/", {"answer": "accept"}
    )
    assert response.status_code == 404


def test_dispute_decision_without_reasons_shows_the_error_beside_the_reasons(client, bob, dispute):
    """Given Bob decides Alice's dispute but gives no reasons, when he submits, then the
    dispute page comes back (200) with the outcome kept, the error beside the reasons, and
    the dispute still open."""
    client.force_login(bob)
    response = client.post(
        f"/console/claim-disputes/{dispute.case.reference}/do/",
        {"action": "decide", "outcome": "dismissed", "reasons": ""},
    )
    page = response.content.decode()
    assert response.status_code == 200
    reasons = field_html(page, "reasons")
    assert "has-error" in reasons and "Give the reasons for the outcome." in reasons
    assert '<option value="dismissed" selected>' in page
    assert 'class="msg error"' not in page
    dispute.case.refresh_from_db()
    assert dispute.case.closed_at is None


def test_hearing_without_a_place_shows_the_error_beside_the_place(client, bob, dispute):
    client.force_login(bob)
    url = f"/console/claim-disputes/{dispute.case.reference}/do/"
    response = client.post(
        url, {"action": "hearing", "held_at": "2026-12-01T10:00", "place": "", "notes": "Call"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Where was (or will be) the hearing?" in field_html(page, "place")
    assert 'value="2026-12-01T10:00"' in field_html(page, "held_at")
    assert 'value="Call"' in field_html(page, "notes")
    assert not dispute.hearings.exists()
    response = client.post(url, {"action": "hearing", "held_at": "", "place": "Office"})
    assert "Enter a date and time." in field_html(response.content.decode(), "held_at")
    response = client.post(
        url, {"action": "hearing", "held_at": "2026-12-01T10:00", "place": "Office"}
    )
    assert response.status_code == 302
    assert dispute.hearings.count() == 1
