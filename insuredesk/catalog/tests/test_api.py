"""Public product endpoints: no sign-in, 404 in the error shape for an unknown product."""

import pytest

pytestmark = pytest.mark.django_db


def test_anyone_lists_the_products_paginated(client, catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/products?limit=2")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 10  # four products in China and in the UK, two in California
    assert len(body["items"]) == 2
    assert {"code", "name", "line", "summary"} <= set(body["items"][0])


def test_a_product_shows_its_current_version_and_coverages(client, catalogue):
    response = client.get("/api/v1/products/harbour-critical-illness")
    assert response.status_code == 200
    version = response.json()["current_version"]
    assert version["currency"] == "CNY"
    assert version["term_years_options"] == [10, 20, 30]
    waiting = {c["code"]: c["waiting_period_days"] for c in version["coverages"]}
    assert waiting["critical_illness"] == 90


def test_clauses_come_with_explanations_and_exemptions_flagged_il_17(
    client, catalogue, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5):
        response = client.get("/api/v1/products/harbour-term-life/clauses")
    assert response.status_code == 200
    clauses = response.json()
    exemptions = [c for c in clauses if c["is_exemption"]]
    assert len(clauses) >= 10 and len(exemptions) >= 3
    suicide = next(c for c in clauses if c["number"] == "3.1")
    assert suicide["is_exemption"] and suicide["must_be_explained"]
    assert "two years" in suicide["text"] and suicide["legal_consequence"]
    assert [c["number"] for c in clauses][:2] == ["1.1", "1.2"]


@pytest.mark.parametrize("path", ["/api/v1/products/no-such", "/api/v1/products/no-such/clauses"])
def test_an_unknown_product_is_404_in_the_error_shape(client, catalogue, path):
    response = client.get(path)
    assert response.status_code == 404
    assert set(response.json()["error"]) == {"code", "message", "details"}
