"""Endpoint wiring: auth, ownership (Mallory gets 404), status codes, events written."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from insuredesk.casework.models import CaseEvent
from insuredesk.claims.models import Claim
from insuredesk.claims.tests.factories import pdf, upload_all
from insuredesk.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(alice):
    return factories.make_policy(alice, start=timezone.localdate() - timedelta(days=100))


def _report(client, headers, policy, **extra):
    body = {
        "policy": policy.number,
        "event_date": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "event_place": "8 Harbour Road",
        "loss_type": "fire",
        "description": "Kitchen fire",
        "amount_claimed": "80000.00",
        **extra,
    }
    return client.post(
        "/api/v1/claims",
        json.dumps(body),
        content_type="application/json",
        **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()},
    )


def _h(headers):
    return {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}


def test_alice_reports_a_claim_and_gets_its_reference_and_an_opened_event(
    client, alice, home, auth_headers
):
    response = _report(client, auth_headers(alice.user), home)
    assert response.status_code == 201, response.content
    reference = response.json()["reference"]
    assert reference.startswith("CLM-")
    assert CaseEvent.objects.filter(case__reference=reference, kind="opened").exists()


def test_reporting_without_credentials_is_401(client, home):
    assert _report(client, {}, home).status_code == 401


def test_mallory_cannot_report_on_alices_policy_404(client, home, mallory, auth_headers):
    assert _report(client, auth_headers(mallory.user), home).status_code == 404


def test_mallory_gets_404_on_alices_claim_and_its_operations(
    client, alice, mallory, home, auth_headers
):
    reference = _report(client, auth_headers(alice.user), home).json()["reference"]
    headers = _h(auth_headers(mallory.user))
    assert client.get(f"/api/v1/claims/{reference}", **headers).status_code == 404
    response = client.post(
        f"/api/v1/claims/{reference}/disputes",
        json.dumps({"channel": "mediation", "grounds": "x"}),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_duplicate_report_is_409_naming_the_existing_claim(client, alice, home, auth_headers):
    headers = auth_headers(alice.user)
    first = _report(client, headers, home).json()["reference"]
    second = _report(client, headers, home)
    assert second.status_code == 409
    assert second.json()["error"]["details"]["reference"] == first


def test_a_zero_amount_is_422_naming_the_field(client, alice, home, auth_headers):
    response = _report(client, auth_headers(alice.user), home, amount_claimed="0")
    assert response.status_code == 422
    assert response.json()["error"]["details"]["field"] == "amount_claimed"
    assert not Claim.objects.exists()


def test_idempotency_key_reports_once(client, alice, home, auth_headers):
    headers = {**auth_headers(alice.user), "Idempotency-Key": "report-1"}
    first = _report(client, headers, home)
    again = _report(client, headers, home)
    assert again.status_code == 201 and again.json() == first.json()
    assert Claim.objects.count() == 1


def test_upload_of_the_wrong_type_is_422_and_stores_nothing(client, alice, home, auth_headers):
    reference = _report(client, auth_headers(alice.user), home).json()["reference"]
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("x.exe", b"MZ\x90\x00 not a document", "application/pdf")
    response = client.post(
        f"/api/v1/claims/{reference}/documents",
        {"code": "photos", "file": bad},
        **_h(auth_headers(alice.user)),
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"]["field"] == "file"
    good = client.post(
        f"/api/v1/claims/{reference}/documents",
        {"code": "photos", "file": pdf()},
        **_h(auth_headers(alice.user)),
    )
    assert good.status_code == 201
    assert len(good.json()["sha256"]) == 64


def test_accepting_before_any_offer_is_404_and_an_offer_out_of_order_is_409(
    client, alice, bob, home, auth_headers
):
    reference = _report(client, auth_headers(alice.user), home).json()["reference"]
    response = client.post(
        f"/api/v1/claims/{reference}/offers",
        "{}",
        content_type="application/json",
        **_h(auth_headers(bob)),
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"
    assert (
        client.post(
            f"/api/v1/claims/{reference}/offers/1/accept", **_h(auth_headers(alice.user))
        ).status_code
        == 404
    )


def test_alice_may_not_refuse_her_own_claim_403(client, alice, home, auth_headers):
    reference = _report(client, auth_headers(alice.user), home).json()["reference"]
    body = {
        "ground": "not_covered",
        "reasons": "x",
        "clauses": [{"number": "2.1", "how_it_applies": "x"}],
    }
    response = client.post(
        f"/api/v1/claims/{reference}/refuse",
        json.dumps(body),
        content_type="application/json",
        **_h(auth_headers(alice.user)),
    )
    assert response.status_code == 403


def test_full_api_path_assess_offer_accept_pay(client, alice, bob, carol, home, auth_headers):
    reference = _report(client, auth_headers(alice.user), home).json()["reference"]
    upload_all(Claim.objects.get(case__reference=reference))
    staff = _h(auth_headers(bob))
    body = {"items": [{"description": "Cabinets", "coverage": "building", "amount": "60000"}]}
    r = client.post(
        f"/api/v1/claims/{reference}/assessment",
        json.dumps(body),
        content_type="application/json",
        **staff,
    )
    assert r.status_code == 201, r.content
    assert Decimal(r.json()["payable"]) == Decimal("59500.00")  # less the 500 deductible
    r = client.post(
        f"/api/v1/claims/{reference}/offers", "{}", content_type="application/json", **staff
    )
    assert r.status_code == 201
    r = client.post(f"/api/v1/claims/{reference}/offers/1/accept", **_h(auth_headers(alice.user)))
    assert r.status_code == 201
    too_much = client.post(
        f"/api/v1/claims/{reference}/payments",
        json.dumps({"amount": "60000.00"}),
        content_type="application/json",
        **staff,
    )
    assert too_much.status_code == 422
    order = client.post(
        f"/api/v1/claims/{reference}/payments",
        json.dumps({"amount": "59500.00"}),
        content_type="application/json",
        **staff,
    ).json()
    assert order["needs_supervisor"] is True
    url = f"/api/v1/claims/{reference}/payments/{order['id']}/approve"
    assert client.post(url, **staff).status_code == 403
    assert client.post(url, **_h(auth_headers(carol))).status_code == 200
    assert client.post(url, **_h(auth_headers(carol))).status_code == 409
    detail = client.get(f"/api/v1/claims/{reference}", **_h(auth_headers(alice.user))).json()
    assert detail["status"] == "paid"
    assert any(e["kind"] == "paid" for e in detail["events"])


def test_list_claims_query_count_is_bounded(
    client, alice, home, auth_headers, django_assert_max_num_queries
):
    headers = auth_headers(alice.user)
    for days in (1, 3, 5):
        _report(
            client,
            headers,
            home,
            event_date=(timezone.localdate() - timedelta(days=days)).isoformat(),
        )
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/claims", **_h(headers))
    assert len(response.json()) == 3
