"""Idempotency-Key on POSTs (DESIGN.md): a repeat replays the first answer; it runs once."""

from insuredesk.customers.models import ApiToken
from insuredesk.tests.factories import PASSWORD

BODY = {"username": "alice", "password": PASSWORD, "name": "phone app"}


def post(client, body, key):
    return client.post(
        "/api/v1/auth/token",
        data=body,
        content_type="application/json",
        headers={"Idempotency-Key": key},
    )


def test_a_repeated_key_returns_the_first_response_and_creates_nothing_more(client, alice):
    first = post(client, BODY, "k-1")
    again = post(client, BODY, "k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert ApiToken.objects.count() == 1


def test_a_reused_key_with_a_different_body_is_422(client, alice):
    post(client, BODY, "k-2")
    response = post(client, {**BODY, "name": "another"}, "k-2")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert ApiToken.objects.count() == 1


def test_different_keys_are_different_requests(client, alice):
    post(client, BODY, "k-3")
    post(client, BODY, "k-4")
    assert ApiToken.objects.count() == 2


def test_keys_are_scoped_to_the_caller(client, alice, mallory, auth_headers):
    alice_headers = {**auth_headers(alice.user), "Idempotency-Key": "same"}
    mallory_headers = {**auth_headers(mallory.user), "Idempotency-Key": "same"}
    a = client.post(
        "/api/v1/auth/tokens/00000000-0000-0000-0000-000000000000/revoke", headers=alice_headers
    )
    m = client.post(
        "/api/v1/auth/tokens/00000000-0000-0000-0000-000000000000/revoke", headers=mallory_headers
    )
    assert a.status_code == m.status_code == 404
    assert "Idempotent-Replayed" not in m.headers
