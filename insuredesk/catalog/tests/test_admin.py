"""Admin pages for the catalogue, policies and customers open and show what matters."""

import pytest
from django.contrib.auth import get_user_model

from insuredesk.customers.services import issue_token
from insuredesk.tests.factories import PASSWORD, make_policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, db):
    admin = get_user_model().objects.create_superuser("admin", "admin@example.com", PASSWORD)
    client.force_login(admin)
    return client


def test_the_clause_list_flags_exemption_clauses_and_searches_the_text(admin_client, catalogue):
    page = admin_client.get("/admin/catalog/clause/").content.decode()
    assert page.count("⚠ EXEMPTION") >= 12
    found = admin_client.get("/admin/catalog/clause/", {"q": "ride-hailing"}).content.decode()
    assert "Use for hire or reward" in found
    assert "Suicide within two years" not in found


def test_a_version_page_shows_its_coverages_and_clauses_inline(admin_client, catalogue):
    version = catalogue["harbour-motor"]
    response = admin_client.get(f"/admin/catalog/productversion/{version.pk}/change/")
    assert response.status_code == 200
    assert "Third-party liability" in response.content.decode()
    product = admin_client.get(f"/admin/catalog/product/{version.product_id}/change/")
    assert product.status_code == 200


def test_a_policy_page_shows_instalments_and_the_customer_search_finds_by_policy(
    admin_client, alice, catalogue
):
    policy = make_policy(alice, catalogue["harbour-home"])
    assert admin_client.get(f"/admin/policies/policy/{policy.pk}/change/").status_code == 200
    found = admin_client.get("/admin/customers/customerprofile/", {"q": policy.number})
    assert "Alice Chen" in found.content.decode()


def test_api_tokens_are_read_only_and_never_show_the_digest(admin_client, alice):
    token, _ = issue_token(username="alice", password=PASSWORD)
    listing = admin_client.get("/admin/customers/apitoken/").content.decode()
    assert token.prefix in listing
    page = admin_client.get(f"/admin/customers/apitoken/{token.pk}/change/").content.decode()
    assert token.digest not in page
    assert admin_client.get("/admin/customers/apitoken/add/").status_code == 403
