"""Signing in, registering, tokens and passwords."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from insuredesk.customers.models import ApiToken, CustomerProfile
from insuredesk.customers.roles import Role, user_roles
from insuredesk.tests.factories import PASSWORD


def token_for(client, username, password=PASSWORD):
    return client.post(
        "/api/v1/auth/token",
        content_type="application/json",
        data={"username": username, "password": password},
    )


def test_token_is_issued_for_the_right_password_and_works_as_bearer(client, alice):
    response = token_for(client, "alice")
    assert response.status_code == 201
    token = response.json()["token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me["username"] == "alice"
    assert me["customer"]["number"] == alice.number
    assert me["roles"] == ["customer"]


def test_a_wrong_password_gets_no_token(client, alice):
    response = token_for(client, "alice", "guess")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_credentials"
    assert not ApiToken.objects.exists()


def test_only_the_tokens_digest_is_stored(client, alice):
    token = token_for(client, "alice").json()["token"]
    stored = ApiToken.objects.get()
    assert token not in (stored.digest, stored.prefix)
    assert stored.prefix == token[:12]


def test_a_revoked_token_stops_working_at_once(client, alice):
    issued = token_for(client, "alice").json()
    headers = {"Authorization": f"Bearer {issued['token']}"}
    response = client.post(f"/api/v1/auth/tokens/{issued['id']}/revoke", headers=headers)
    assert response.status_code == 200 and response.json()["revoked_at"]
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_an_expired_token_is_refused(client, alice):
    issued = token_for(client, "alice").json()
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert (
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {issued['token']}"}).status_code
        == 401
    )


def test_mallory_cannot_revoke_alices_token(client, alice, mallory, auth_headers):
    issued = token_for(client, "alice").json()
    response = client.post(
        f"/api/v1/auth/tokens/{issued['id']}/revoke", headers=auth_headers(mallory.user)
    )
    assert response.status_code == 404
    assert ApiToken.objects.get(public_id=issued["id"]).revoked_at is None


def test_session_api_writes_need_the_csrf_token(alice):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice.user)
    assert browser.get("/api/v1/me").status_code == 200
    refused = browser.patch("/api/v1/me", data={"phone": "1"}, content_type="application/json")
    assert refused.status_code == 401


def test_customer_updates_own_contact_details(client, alice, auth_headers):
    response = client.patch(
        "/api/v1/me",
        data={"phone": "+86 139 1111 2222"},
        content_type="application/json",
        headers=auth_headers(alice.user),
    )
    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.phone == "+86 139 1111 2222"


@pytest.mark.django_db
def test_self_registration_creates_a_customer_in_the_customer_role(client):
    response = client.post(
        "/accounts/register/",
        {
            "username": "zoe",
            "full_name": "Zoe Li",
            "email": "zoe@example.com",
            "password": "a-long-enough-secret",
            "password_again": "a-long-enough-secret",
        },
    )
    assert response.status_code == 302
    customer = CustomerProfile.objects.get(user__username="zoe")
    assert customer.number.startswith("C-")
    assert user_roles(customer.user) == {Role.CUSTOMER.value}
    assert client.get("/portal/").status_code == 200


@pytest.mark.django_db
def test_registration_errors_are_shown_next_to_the_field_and_nothing_is_saved(client):
    response = client.post(
        "/accounts/register/",
        {
            "username": "zoe",
            "full_name": "Zoe Li",
            "email": "not-an-address",
            "password": "short",
            "password_again": "different",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_email-error"' in page and 'id="id_password_again-error"' in page
    assert not get_user_model().objects.filter(username="zoe").exists()


def test_a_taken_username_is_refused_on_the_username_field(client, alice):
    response = client.post(
        "/accounts/register/",
        {
            "username": "alice",
            "full_name": "Another Alice",
            "email": "a2@example.com",
            "password": "a-long-enough-secret",
            "password_again": "a-long-enough-secret",
        },
    )
    assert 'id="id_username-error"' in response.content.decode()


def test_password_reset_mail_goes_out_with_a_working_link(client, alice):
    client.post("/accounts/password/reset/", {"email": alice.user.email})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    path = link.split("testserver", 1)[1].strip()
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url, {"new_password1": "brand-new-secret-9", "new_password2": "brand-new-secret-9"}
    )
    assert done.status_code == 302
    alice.user.refresh_from_db()
    assert alice.user.check_password("brand-new-secret-9")


def test_password_change_requires_the_old_password(client, alice):
    client.force_login(alice.user)
    response = client.post(
        "/accounts/password/change/",
        {
            "old_password": "wrong",
            "new_password1": "brand-new-secret-9",
            "new_password2": "brand-new-secret-9",
        },
    )
    assert 'id="id_old_password-error"' in response.content.decode()


@pytest.mark.django_db
def test_every_role_of_the_design_exists_as_a_group():
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= {r.value for r in Role}


def test_console_customer_page_shows_explanation_evidence_section_and_timeline_link(
    client, alice, bob
):
    client.force_login(bob)
    page = client.get(f"/console/customers/{alice.number}/").content.decode()
    assert "Clause explanations" in page
    assert f"/console/customers/{alice.number}/timeline/" in page
