"""Letter pages and API (documents): owners and staff read letters, Mallory gets 404."""

import hashlib
import os

import pytest
from django.urls import reverse

from insuredesk.casework.models import CaseAccess
from insuredesk.documents.tests.factories import make_case, make_letter
from insuredesk.notifications.services import notify


@pytest.fixture
def alice_letter(alice):
    return make_letter(alice, case=make_case(alice))


def test_alice_downloads_her_letter_as_the_pdf_that_was_issued(client, alice, alice_letter):
    client.force_login(alice.user)
    response = client.get(reverse("portal:letter-pdf", args=[alice_letter.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert hashlib.sha256(response.content).hexdigest() == alice_letter.sha256
    assert not CaseAccess.objects.exists()  # a customer's own reading is not an access log


def test_mallory_gets_404_on_alices_letter_page(client, mallory, alice_letter):
    client.force_login(mallory.user)
    response = client.get(reverse("portal:letter-pdf", args=[alice_letter.public_id]))
    assert response.status_code == 404


def test_mallory_gets_404_on_alices_letter_in_the_api(client, mallory, alice_letter, auth_headers):
    headers = auth_headers(mallory.user)
    for url in (
        f"/api/v1/letters/{alice_letter.public_id}",
        f"/api/v1/letters/{alice_letter.public_id}/pdf",
    ):
        response = client.get(url, headers=headers)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    listing = client.get("/api/v1/letters", headers=headers).json()
    assert listing == {"items": [], "count": 0}


def test_staff_opening_a_letter_is_logged_on_its_case(client, bob, alice_letter):
    client.force_login(bob)
    response = client.get(reverse("console:letter-pdf", args=[alice_letter.public_id]))
    assert response.status_code == 200
    access = CaseAccess.objects.get()
    assert (access.case, access.user) == (alice_letter.case, bob)
    assert str(alice_letter.public_id) in access.what


def test_a_customer_cannot_open_the_console_letter_url(client, alice, alice_letter):
    client.force_login(alice.user)
    response = client.get(reverse("console:letter-pdf", args=[alice_letter.public_id]))
    assert response.status_code == 403


def test_a_damaged_pdf_is_never_served(client, alice, alice_letter):
    with open(alice_letter.file.path, "ab") as f:
        f.write(b"tampered")
    client.force_login(alice.user)
    response = client.get(reverse("portal:letter-pdf", args=[alice_letter.public_id]))
    assert response.status_code == 500


def test_a_missing_pdf_is_refused_with_the_reason_not_a_crash(client, alice, alice_letter):
    os.remove(alice_letter.file.path)
    client.force_login(alice.user)

    response = client.get(reverse("portal:letter-pdf", args=[alice_letter.public_id]))

    assert response.status_code == 500
    assert response.content.decode() == "The stored letter is missing and cannot be shown."


def test_a_claim_letter_is_checked_like_any_letter(client, alice, alice_letter):
    with open(alice_letter.file.path, "ab") as f:
        f.write(b"tampered")
    client.force_login(alice.user)

    response = client.get(f"/portal/claim-letters/{alice_letter.public_id}/")

    assert response.status_code == 500 and b"damaged" in response.content


def test_the_api_shows_a_letter_with_its_checksum_and_deliveries(
    client, alice, alice_letter, auth_headers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipient=alice,
            channel="email",
            subject="Your letter",
            body="Attached.",
            dedupe_key="letter-test",
            letter=alice_letter,
            now=alice_letter.issued_at,
        )
    body = client.get(
        f"/api/v1/letters/{alice_letter.public_id}", headers=auth_headers(alice.user)
    ).json()
    assert body["sha256"] == alice_letter.sha256
    assert body["case"] == alice_letter.case.reference
    assert body["template_version"] == alice_letter.template_version
    assert [(d["channel"], d["status"]) for d in body["deliveries"]] == [("email", "sent")]
    pdf = client.get(body["pdf_url"], headers=auth_headers(alice.user))
    assert pdf.status_code == 200
    assert hashlib.sha256(pdf.content).hexdigest() == body["sha256"]


def test_the_letters_list_is_paginated_and_costs_a_fixed_number_of_queries(
    client, alice, bob, auth_headers, django_assert_max_num_queries
):
    case = make_case(alice)
    for _ in range(3):
        make_letter(alice, case=case)
    headers = auth_headers(alice.user)
    with django_assert_max_num_queries(6):
        body = client.get("/api/v1/letters?limit=2", headers=headers).json()
    assert body["count"] == 3 and len(body["items"]) == 2
    staff = client.get("/api/v1/letters", headers=auth_headers(bob)).json()
    assert staff["count"] == 3


def test_my_letters_page_lists_only_mine_with_a_fixed_number_of_queries(
    client, alice, mallory, django_assert_max_num_queries
):
    case = make_case(alice)
    for _ in range(3):
        make_letter(alice, case=case)
    make_letter(mallory, paragraphs=["For Mallory only"])
    client.force_login(alice.user)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("portal:letter-list"))
    assert response.status_code == 200
    assert response.content.decode().count(case.reference) == 3
    assert len(response.context["page"].object_list) == 3


def test_a_damaged_pdf_is_refused_by_the_api_too(client, alice, alice_letter, auth_headers):
    with open(alice_letter.file.path, "ab") as f:
        f.write(b"tampered")
    response = client.get(
        f"/api/v1/letters/{alice_letter.public_id}/pdf", headers=auth_headers(alice.user)
    )
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "letter_file_damaged"
