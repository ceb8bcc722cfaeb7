"""Policies on demo products, as customers and staff see them: API, portal page, console search.

(Kept here because the policies and customers test folders belong to other tasks; move to
`policies/tests/test_api.py` and `customers/tests/test_console.py` when convenient.)
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from insuredesk.policies.services import add_years, issue_policy

pytestmark = pytest.mark.django_db


def issue_term_life(holder, version, agent, **overrides):
    arguments = {
        "actor": agent,
        "product_version": version,
        "policyholder": holder,
        "insured_name": holder.full_name,
        # 35 today, whatever day the suite runs.
        "insured_date_of_birth": add_years(timezone.localdate(), -35) - dt.timedelta(days=1),
        "sum_insured": Decimal("500000"),
        "term_years": 10,
        "rating_inputs": {},
        "start_date": timezone.localdate(),
        "beneficiaries": [],
        "jurisdiction": None,
        "now": timezone.now(),
    }
    return issue_policy(**(arguments | overrides))


@pytest.fixture
def policies(catalogue, alice, mallory, dave):
    term = catalogue["harbour-term-life"]
    ci = catalogue["harbour-critical-illness"]
    return {
        "alice": [issue_term_life(alice, term, dave), issue_term_life(alice, ci, dave)],
        "mallory": [issue_term_life(mallory, ci, dave)],
    }


def test_alice_lists_only_her_policies(client, alice, policies, auth_headers):
    response = client.get("/api/v1/policies", headers=auth_headers(alice.user))
    assert response.status_code == 200
    numbers = {p["number"] for p in response.json()["items"]}
    assert numbers == {p.number for p in policies["alice"]}


def test_mallory_gets_404_on_alices_policy(client, mallory, policies, auth_headers):
    number = policies["alice"][0].number
    response = client.get(f"/api/v1/policies/{number}", headers=auth_headers(mallory.user))
    assert response.status_code == 404
    assert response.json()["error"]["code"]


def test_alice_reads_her_policy_with_its_exemption_clauses(client, alice, policies, auth_headers):
    number = policies["alice"][0].number
    response = client.get(f"/api/v1/policies/{number}", headers=auth_headers(alice.user))
    assert response.status_code == 200
    body = response.json()
    assert body["premium"] == "525.00"  # 500,000 / 1,000 x 0.95 (age 35, 10 years) + 50 fee
    assert sum(c["is_exemption"] for c in body["clauses"]) >= 3
    assert len(body["instalments"]) == 10


def test_staff_see_every_policy_paginated_with_bounded_queries(
    client, bob, policies, auth_headers, django_assert_max_num_queries
):
    headers = auth_headers(bob)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/policies?limit=2&offset=0", headers=headers)
    body = response.json()
    assert body["count"] == 3
    assert len(body["items"]) == 2
    rest = client.get("/api/v1/policies?limit=2&offset=2", headers=headers).json()
    assert len(rest["items"]) == 1


def test_an_anonymous_caller_gets_401(client, policies):
    assert client.get("/api/v1/policies").status_code == 401


def test_the_portal_policy_page_marks_and_explains_exemption_clauses_il_17(
    client, alice, policies, django_assert_max_num_queries
):
    client.force_login(alice.user)
    policy = policies["alice"][0]
    with django_assert_max_num_queries(15):
        response = client.get(f"/portal/policies/{policy.number}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("Exemption clause — read carefully") >= 3
    assert "Suicide within two years" in page
    assert "What this means for you" in page


def test_mallory_gets_404_on_alices_policy_page(client, mallory, policies):
    client.force_login(mallory.user)
    response = client.get(f"/portal/policies/{policies['alice'][0].number}/")
    assert response.status_code == 404


def test_console_customer_search_finds_alice_by_policy_number(client, bob, policies):
    client.force_login(bob)
    response = client.get("/console/", {"q": policies["alice"][1].number})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Alice Chen" in page
    assert "Mallory Stone" not in page
