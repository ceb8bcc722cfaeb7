"""Endpoint wiring: auth, ownership (Mallory gets 404), status codes, named fields and rules."""

import pytest
from django.utils import timezone

from insuredesk.complaints.tests.factories import classified, submit

pytestmark = pytest.mark.django_db

BODY = {
    "description": "The agent never mentioned the flood exclusion.",
    "desired_outcome": "Pay the claim.",
}


def post(client, url, headers, data=None):
    return client.post(url, data=data or {}, content_type="application/json", headers=headers)


@pytest.fixture
def complaint(alice):
    return submit(alice, now=timezone.now())


def test_customer_submits_a_complaint_and_gets_the_cn_28_due_date(client, alice, auth_headers):
    response = post(client, "/api/v1/complaints", auth_headers(alice.user), BODY)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "acknowledged"
    assert body["channel"] == "api"
    assert body["due_rule"] == "CN-28"
    assert [letter["kind"] for letter in body["letters"]] == ["complaint_acknowledgement"]


def test_empty_description_is_422_naming_the_field(client, alice, auth_headers):
    response = post(
        client, "/api/v1/complaints", auth_headers(alice.user), {**BODY, "description": "   "}
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"]["field"] == "description"


def test_oversized_desired_outcome_is_422_naming_the_field(client, alice, auth_headers):
    response = post(
        client,
        "/api/v1/complaints",
        auth_headers(alice.user),
        {**BODY, "desired_outcome": "x" * 2001},
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"]["field"] == "desired_outcome"


def test_group_complaint_with_six_representatives_is_refused_cm_34(client, alice, auth_headers):
    reps = [{"full_name": f"Member {i}"} for i in range(6)]
    response = post(
        client,
        "/api/v1/complaints",
        auth_headers(alice.user),
        {**BODY, "is_group": True, "group_size": 40, "representatives": reps},
    )
    assert response.status_code == 422
    details = response.json()["error"]["details"]
    assert (details["field"], details["rule"]) == ("representatives", "CN-34")


def test_mallory_gets_404_on_alices_complaint(client, complaint, mallory, auth_headers):
    headers = auth_headers(mallory.user)
    reference = complaint.reference
    assert client.get(f"/api/v1/complaints/{reference}", headers=headers).status_code == 404
    for op in ("withdraw", "rate", "respond"):
        assert (
            post(
                client,
                f"/api/v1/complaints/{reference}/{op}",
                headers,
                {"score": 5} if op == "rate" else {},
            ).status_code
            == 404
        )


def test_customer_cannot_respond_to_her_own_complaint(client, complaint, alice, auth_headers):
    response = post(
        client,
        f"/api/v1/complaints/{complaint.reference}/respond",
        auth_headers(alice.user),
        {"outcome": "upheld", "redress": "x"},
    )
    assert response.status_code == 403


def test_unknown_category_is_422(client, complaint, erin, auth_headers):
    response = post(
        client,
        f"/api/v1/complaints/{complaint.reference}/classify",
        auth_headers(erin),
        {"category": "aliens"},
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"]["field"] == "category"


def test_extension_beyond_the_maximum_is_422_citing_cm_28_max(
    client, complaint, erin, auth_headers
):
    headers = auth_headers(erin)
    ref = complaint.reference
    assert (
        post(
            client,
            f"/api/v1/complaints/{ref}/mark-complex",
            headers,
            {"reason": "Two experts needed."},
        ).status_code
        == 200
    )
    response = post(
        client,
        f"/api/v1/complaints/{ref}/extend",
        headers,
        {"days": 45, "reason": "Hospital records"},
    )
    assert response.status_code == 422
    details = response.json()["error"]["details"]
    assert (details["field"], details["rule"]) == ("days", "CN-28.max")


def test_extension_without_a_supervisor_is_403_citing_cm_28_extended(
    client, complaint, erin, carol, auth_headers
):
    headers = auth_headers(erin)
    ref = complaint.reference
    post(client, f"/api/v1/complaints/{ref}/mark-complex", headers, {"reason": "Experts"})
    assert (
        post(
            client, f"/api/v1/complaints/{ref}/extend", headers, {"days": 30, "reason": "Hospital"}
        ).status_code
        == 200
    )
    refused = post(client, f"/api/v1/complaints/{ref}/approve-extension", headers)
    assert refused.status_code == 403
    assert refused.json()["error"]["details"]["rule"] == "CN-28.extended"
    approved = post(
        client,
        f"/api/v1/complaints/{ref}/approve-extension",
        auth_headers(carol),
        {"note": "Agreed"},
    )
    assert approved.status_code == 200
    assert approved.json()["due_rule"] == "CN-28.extended"


def test_rejection_without_reasons_is_422_naming_reasons(client, complaint, erin, auth_headers):
    classified(complaint, handler=erin, now=timezone.now())
    response = post(
        client,
        f"/api/v1/complaints/{complaint.reference}/respond",
        auth_headers(erin),
        {"outcome": "rejected", "findings": "We checked.", "basis": "Clause 4.1"},
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"]["field"] == "reasons"


def test_unknown_field_is_422(client, complaint, erin, auth_headers):
    response = post(
        client,
        f"/api/v1/complaints/{complaint.reference}/resolve",
        auth_headers(erin),
        {"notes": "typo"},
    )
    assert response.status_code == 422


def test_resolve_without_root_cause_is_422(client, complaint, erin, auth_headers):
    classified(complaint, handler=erin, now=timezone.now())
    headers = auth_headers(erin)
    ref = complaint.reference
    post(
        client,
        f"/api/v1/complaints/{ref}/respond",
        headers,
        {"outcome": "upheld", "findings": "f", "basis": "b", "reasons": "r", "redress": "Paid"},
    )
    response = post(client, f"/api/v1/complaints/{ref}/resolve", headers)
    assert response.status_code == 422
    assert response.json()["error"]["details"]["field"] == "root_cause"


def test_wrong_status_is_409(client, complaint, alice, auth_headers):
    response = post(
        client,
        f"/api/v1/complaints/{complaint.reference}/rate",
        auth_headers(alice.user),
        {"score": 4},
    )
    assert response.status_code == 409


def test_complaint_list_shows_only_her_own_in_constant_queries(
    client, alice, mallory, auth_headers, django_assert_max_num_queries
):
    now = timezone.now()
    for _ in range(3):
        submit(alice, now=now)
    submit(mallory, now=now)
    headers = auth_headers(alice.user)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/complaints", headers=headers)
    assert response.status_code == 200
    assert response.json()["count"] == 3


def test_staff_list_is_constant_in_queries(
    client, alice, erin, auth_headers, django_assert_max_num_queries
):
    now = timezone.now()
    for _ in range(4):
        submit(alice, now=now)
    headers = auth_headers(erin)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/complaints?open=true", headers=headers)
    assert response.json()["count"] == 4


def test_staff_records_a_phone_complaint(client, alice, erin, auth_headers):
    response = post(
        client,
        "/api/v1/complaints",
        auth_headers(erin),
        {**BODY, "customer_number": alice.number, "channel": "phone"},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["channel"] == "phone"


def test_customer_cannot_use_a_staff_channel(client, alice, auth_headers):
    response = post(
        client, "/api/v1/complaints", auth_headers(alice.user), {**BODY, "channel": "regulator"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"]["field"] == "channel"


def test_categories_are_listed(client, alice, auth_headers):
    response = client.get("/api/v1/complaint-categories", headers=auth_headers(alice.user))
    codes = {c["code"] for c in response.json()}
    assert {"claims_refusal", "sales_conduct", "system"} <= codes


def test_plans_are_staff_only(client, alice, auth_headers):
    assert (
        client.get("/api/v1/improvement-plans", headers=auth_headers(alice.user)).status_code == 403
    )
