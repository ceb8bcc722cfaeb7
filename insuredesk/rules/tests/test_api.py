"""Wiring of the rules endpoints: listing, detail, deadline, and the 422 error shape."""

from __future__ import annotations

import pytest
from django.test import Client

from insuredesk.rules.registry import get_profile

pytestmark = pytest.mark.django_db

BASE = "/api/v1/rules"


@pytest.fixture
def client():
    return Client()


def post_deadline(client, body):
    return client.post(f"{BASE}/deadline", body, content_type="application/json")


def test_jurisdictions_are_listed_default_first(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(f"{BASE}/jurisdictions")

    assert response.status_code == 200
    body = response.json()
    assert [j["code"] for j in body] == ["CN", "GB", "US-CA"]
    assert body[0]["default"] is True
    assert body[1]["time_zone"] == "Europe/London"
    assert body[1]["ombudsman"]["name"] == "Financial Ombudsman Service"


def test_jurisdiction_detail_lists_every_rule_and_sub_rule(client):
    response = client.get(f"{BASE}/jurisdictions/CN")

    assert response.status_code == 200
    rules = {rule["id"]: rule for rule in response.json()["rules"]}
    assert set(rules) == set(get_profile("CN").rules)
    assert rules["CN-28"]["sub_rules"] == ["CN-28.complex", "CN-28.extended", "CN-28.max"]
    assert rules["CN-28.complex"]["parent"] == "CN-28"
    assert rules["CN-28.complex"]["period"]["amount"] == 30
    assert rules["CN-22"]["source"] == "IL Art. 24"
    assert rules["CN-22"]["status"] == "P"
    assert rules["CN-02"]["period"] is None


def test_jurisdiction_detail_marks_unconfirmed_rules(client):
    rules = {r["id"]: r for r in client.get(f"{BASE}/jurisdictions/CN").json()["rules"]}

    assert rules["CN-10"]["unconfirmed"] is True
    assert "unconfirmed" in rules["CN-10"]["status_label"]
    assert rules["CN-09"]["unconfirmed"] is False


def test_jurisdiction_codes_are_case_insensitive(client):
    assert client.get(f"{BASE}/jurisdictions/us-ca").json()["code"] == "US-CA"


def test_unknown_jurisdiction_detail_is_404_with_the_error_shape(client):
    response = client.get(f"{BASE}/jurisdictions/FR")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_jurisdiction"
    assert response.json()["error"]["details"] == {"field": "code"}


def test_deadline_is_returned_with_the_local_offset(client):
    response = post_deadline(client, {"jurisdiction": "CN", "rule": "CN-22", "start": "2026-03-10"})

    assert response.status_code == 200
    body = response.json()
    assert body["deadline"] == "2026-03-14T00:00:00+08:00"
    assert body["due_date"] == "2026-03-13"
    assert (body["rule"], body["source"], body["status"]) == ("CN-22", "IL Art. 24", "P")


def test_deadline_takes_a_datetime_start_and_pauses(client):
    response = post_deadline(
        client,
        {
            "jurisdiction": "CN",
            "rule": "CN-19",
            "start": "2026-05-31T17:00:00Z",  # 1 June 01:00 in Shanghai
            "pauses": [{"from": "2026-06-10", "to": "2026-06-20T09:00:00+08:00"}],
        },
    )

    assert response.status_code == 200
    body = response.json()
    assert body["start_date"] == "2026-06-01"
    assert body["paused_days"] == 10
    assert body["due_date"] == "2026-07-13"  # 11 July is a Saturday


def test_deadline_defaults_to_the_cn_profile(client):
    response = post_deadline(client, {"rule": "CN-22", "start": "2026-03-10"})

    assert response.json()["jurisdiction"] == "CN"


def test_gb_deadline_carries_british_summer_time(client):
    response = post_deadline(client, {"jurisdiction": "GB", "rule": "GB-09", "start": "2026-03-02"})

    assert response.json()["deadline"] == "2026-04-28T00:00:00+01:00"


def claim(*pauses):
    """A CN-19 request started on 2 March 2026 with the given (from, to) pauses."""
    return {"rule": "CN-19", "start": "2026-03-02", "pauses": [dict(p) for p in pauses]}


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"jurisdiction": "FR", "rule": "CN-22", "start": "2026-03-10"}, "unknown_jurisdiction",
         "jurisdiction"),
        ({"jurisdiction": "CN", "rule": "CN-99", "start": "2026-03-10"}, "unknown_rule", "rule"),
        ({"jurisdiction": "CN", "rule": "CN-02", "start": "2026-03-10"}, "rule_has_no_period",
         "rule"),
        ({"jurisdiction": "CN", "rule": "CN-22", "start": "10/03/2026"}, "invalid_date", "start"),
        ({"jurisdiction": "CN", "rule": "CN-22"}, "validation_failed", "start"),
        (claim({"from": "2026-03-09", "to": "2026-03-05"}), "invalid_pause", "pauses.0.to"),
        (claim({"from": "2026-03-05", "to": "2026-03-09"},
               {"from": "2026-03-08", "to": "2026-03-10"}), "invalid_pause", "pauses.1.from"),
        (claim({"from": "2026-03-05"}), "validation_failed", "pauses.0.to"),
        (claim({"from": "x", "to": "2026-03-05"}), "invalid_date", "pauses.0.from"),
        ({**claim({"from": "2026-03-03", "to": "2026-03-04"}), "rule": "CN-22"}, "invalid_pause",
         "pauses"),
    ],
)  # fmt: skip
def test_bad_deadline_requests_are_422_naming_the_field(client, body, code, field):
    response = post_deadline(client, body)

    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["details"]["field"]) == (code, field)
    assert error["message"]
