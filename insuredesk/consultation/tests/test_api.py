"""Endpoint wiring: auth, ownership (Mallory gets 404), status codes, query counts."""

import datetime as dt

import pytest
from django.utils import timezone

from insuredesk.consultation import services
from insuredesk.consultation.tests.factories import make_knowledge_base, make_lecture
from insuredesk.tests.factories import make_policy, make_product

pytestmark = pytest.mark.django_db


def _ask(client, headers=None, **body):
    return client.post(
        "/api/v1/consultations", body, content_type="application/json", headers=headers or {}
    )


def test_anonymous_general_question_gets_an_automatic_answer_and_a_guest_key(client):
    make_knowledge_base()
    response = _ask(
        client,
        question="Can I cancel my policy after buying it?",
        name="Pat",
        email="pat@example.com",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "answered" and body["guest_key"]
    answer = body["messages"][1]
    assert answer["automatic"] and answer["sources"][0]["id"] == "cooling-off"
    assert answer["suggestions"] == []
    again = client.get(f"/api/v1/consultations/{body['reference']}?key={body['guest_key']}")
    assert again.status_code == 200
    assert client.get(f"/api/v1/consultations/{body['reference']}").status_code == 404
    assert client.get(f"/api/v1/consultations/{body['reference']}?key=wrong").status_code == 404


def test_an_empty_question_is_422_naming_the_field(client, alice, auth_headers):
    response = _ask(client, auth_headers(alice.user), question="   ")
    assert response.status_code == 422
    assert response.json()["error"]["details"]["field"] == "question"


def test_mallory_gets_404_for_alices_policy_and_consultation(client, alice, mallory, auth_headers):
    policy = make_policy(alice)
    response = _ask(client, auth_headers(mallory.user), question="Covered?", policy=policy.number)
    assert response.status_code == 404
    asked = _ask(client, auth_headers(alice.user), question="Anything?", ask_person=True).json()
    reference = asked["reference"]
    mallory_headers = auth_headers(mallory.user)
    assert (
        client.get(f"/api/v1/consultations/{reference}", headers=mallory_headers).status_code == 404
    )
    assert (
        client.post(
            f"/api/v1/consultations/{reference}/follow-up",
            {"question": "hi"},
            content_type="application/json",
            headers=mallory_headers,
        ).status_code
        == 404
    )


def test_an_agent_answers_through_the_api_and_the_customer_rates(client, alice, dave, auth_headers):
    make_knowledge_base()
    alice_headers = auth_headers(alice.user)
    asked = _ask(client, alice_headers, question="Strange question?", ask_person=True).json()
    reference = asked["reference"]
    staff_view = client.get(f"/api/v1/consultations/{reference}", headers=auth_headers(dave)).json()
    assert staff_view["messages"][0]["suggestions"]
    answered = client.post(
        f"/api/v1/consultations/{reference}/answer",
        {"body": "Here is how.", "sources": ["claim-how"]},
        content_type="application/json",
        headers=auth_headers(dave),
    )
    assert answered.status_code == 201, answered.json()
    answer = answered.json()["messages"][-1]
    assert answer["sources"][0]["id"] == "claim-how"
    assert (
        client.post(
            f"/api/v1/consultations/{reference}/answer",
            {"body": "x"},
            content_type="application/json",
            headers=alice_headers,
        ).status_code
        == 404
    )
    rated = client.post(
        f"/api/v1/consultations/{reference}/messages/{answer['id']}/rate",
        {"rating": 4},
        content_type="application/json",
        headers=alice_headers,
    )
    assert rated.status_code == 200 and rated.json()["rating"] == 4
    bad = client.post(
        f"/api/v1/consultations/{reference}/messages/{answer['id']}/rate",
        {"rating": 9},
        content_type="application/json",
        headers=alice_headers,
    )
    assert bad.status_code == 422 and bad.json()["error"]["details"]["field"] == "rating"


def test_list_mine_needs_sign_in_and_has_bounded_queries(
    client, alice, auth_headers, django_assert_max_num_queries
):
    assert client.get("/api/v1/consultations").status_code == 401
    headers = auth_headers(alice.user)
    for n in range(3):
        _ask(client, headers, question=f"Question {n}?", ask_person=True)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/consultations", headers=headers)
    assert response.json()["count"] == 3


def test_kb_search_returns_article_ids_and_scores(client):
    make_knowledge_base()
    response = client.post(
        "/api/v1/kb/search",
        {"query": "how do I report a claim", "language": "en", "limit": 3},
        content_type="application/json",
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert results[0]["id"] == "claim-how" and results[0]["score"] > 0
    assert len(results) <= 3
    bad = client.post(
        "/api/v1/kb/search", {"query": "x", "limit": 500}, content_type="application/json"
    )
    assert bad.status_code == 422 and bad.json()["error"]["details"]["field"] == "limit"


def test_kb_articles_list_published_to_everyone_with_bounded_queries(
    client, django_assert_max_num_queries
):
    make_knowledge_base()
    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/kb/articles")
    assert response.status_code == 200 and response.json()["count"] == 5


def test_staff_create_an_article_customers_cannot(client, alice, dave, auth_headers):
    body = {"id": "new-1", "question": "Q?", "answer": "A."}
    assert (
        client.post(
            "/api/v1/kb/articles",
            body,
            content_type="application/json",
            headers=auth_headers(alice.user),
        ).status_code
        == 403
    )
    created = client.post(
        "/api/v1/kb/articles", body, content_type="application/json", headers=auth_headers(dave)
    )
    assert created.status_code == 201 and created.json()["status"] == "draft"


def test_lectures_list_register_and_cancel(
    client, alice, mallory, auth_headers, django_assert_max_num_queries
):
    lecture = make_lecture(capacity=1)
    make_lecture(capacity=3, starts_in=dt.timedelta(days=4))
    with django_assert_max_num_queries(4):
        listed = client.get("/api/v1/lectures")
    assert listed.json()["count"] == 2
    seat = client.post(
        f"/api/v1/lectures/{lecture.public_id}/register",
        {},
        content_type="application/json",
        headers=auth_headers(alice.user),
    )
    assert seat.status_code == 201 and seat.json()["status"] == "registered"
    guest = client.post(
        f"/api/v1/lectures/{lecture.public_id}/register",
        {"name": "Pat", "email": "pat@example.com"},
        content_type="application/json",
    )
    assert guest.status_code == 201 and guest.json()["status"] == "waiting"
    registration = seat.json()["id"]
    assert (
        client.post(
            f"/api/v1/lectures/registrations/{registration}/cancel",
            headers=auth_headers(mallory.user),
        ).status_code
        == 404
    )
    cancelled = client.post(
        f"/api/v1/lectures/registrations/{registration}/cancel", headers=auth_headers(alice.user)
    )
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


def test_explanations_acknowledged_online_and_hidden_from_mallory(
    client, alice, mallory, auth_headers
):
    version = make_product("home-shield")
    headers = auth_headers(alice.user)
    missing = client.post(
        "/api/v1/explanations",
        {"product": "home-shield", "acknowledged": ["2.1"]},
        content_type="application/json",
        headers=headers,
    )
    assert missing.status_code == 422
    assert missing.json()["error"]["details"]["field"] == "acknowledged"
    done = client.post(
        "/api/v1/explanations",
        {"product": "home-shield", "version": version.version, "acknowledged": ["4.1"]},
        content_type="application/json",
        headers=headers,
    )
    assert done.status_code == 201, done.json()
    explanation_id = done.json()["id"]
    assert (
        client.get(
            f"/api/v1/explanations/{explanation_id}", headers=auth_headers(mallory.user)
        ).status_code
        == 404
    )
    assert (
        client.get("/api/v1/explanations", headers=auth_headers(mallory.user)).json()["count"] == 0
    )
    assert client.get("/api/v1/explanations", headers=headers).json()["count"] == 1


def test_an_explanation_recorded_by_an_agent_shows_in_the_list(client, alice, dave, auth_headers):
    from django.core.files.uploadedfile import SimpleUploadedFile

    version = make_product("home-shield")
    services.record_explanation(
        actor=dave,
        customer=alice,
        product_version=version,
        channel="in_person",
        explained_at=timezone.now(),
        acknowledgement_method="signed_form",
        evidence_file=SimpleUploadedFile("form.pdf", b"%PDF-1.4"),
        now=timezone.now(),
    )
    listed = client.get(
        f"/api/v1/explanations?customer={alice.number}", headers=auth_headers(dave)
    ).json()
    assert listed["count"] == 1 and listed["items"][0]["channel"] == "in_person"
