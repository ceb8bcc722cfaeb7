"""The planning API: questions for anyone, a customer's own risk checks and proposals only
(another's are 404), staff who sell for a named customer, Idempotency-Key on the creating POSTs,
409 for a step the proposal's status does not allow, and the one error shape naming the field."""

import pytest
import time_machine

from insuredesk.errors import ValidationFailed
from insuredesk.planning.models import Proposal, RiskAssessment
from insuredesk.planning.questions import QUESTIONS, QUESTIONS_VERSION
from insuredesk.planning.tests.builders import NOW, VILLA, agent, answers, issued, supervisor
from insuredesk.sales.models import Application
from insuredesk.sales.questions import questions_for
from insuredesk.sales.services import submit_application

pytestmark = pytest.mark.usefixtures("catalogue")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def post(client, url, payload, user, headers, **extra):
    return client.post(
        url, payload, content_type="application/json", headers={**headers(user), **extra}
    )


def assess(client, user, headers, **overrides):
    return post(
        client, "/api/v1/planning/assessments", {"answers": answers(**overrides)}, user, headers
    )


def test_the_questions_are_public_in_either_language(client, db):
    english = client.get("/api/v1/planning/questions").json()
    chinese = client.get("/api/v1/planning/questions?language=zh").json()

    assert english["version"] == QUESTIONS_VERSION
    assert [q["code"] for q in english["questions"]] == [q.code for q in QUESTIONS]
    rebuild = next(q for q in chinese["questions"] if q["code"] == "rebuild_value")
    assert rebuild["question"].startswith("如果房屋需要重建")
    assert rebuild["asked_if"] == {"question": "home_status", "answers": ["own"]}


def test_alice_checks_her_risks_and_reads_her_plan(client, alice, auth_headers):
    created = assess(client, alice.user, auth_headers)

    assert created.status_code == 201, created.content
    body = created.json()
    assert body["customer"] == alice.number
    assert body["annual_budget"] == "6000.00"
    assert body["premium_within_budget"] == "5996.00"
    illness = body["risks"][0]
    assert illness["code"] == "critical_illness"
    assert illness["score"] == illness["likelihood"] * illness["severity"] == 8
    assert illness["level"] == "medium"
    life = next(r for r in body["recommendations"] if r["product"] == "harbour-term-life")
    assert life["fit"] == "reduced"
    assert life["application"] == {
        "product": "harbour-term-life",
        "sum_insured": "2280000.00",
        "term_years": 20,
        "rating_inputs": {},
        "origin": None,  # a plan is not a case: only an accepted proposal links
    }
    assert body["answers"][0]["question"] == QUESTIONS[0].en
    again = client.get(
        f"/api/v1/planning/assessments/{body['id']}", headers=auth_headers(alice.user)
    )
    assert again.json()["risks"] == body["risks"]


def test_numbers_as_json_numbers_and_yes_no_as_booleans_are_accepted(client, alice, auth_headers):
    created = assess(
        client, alice.user, auth_headers, annual_income=240000, smoker=False, heritage=False
    )

    assert created.status_code == 201, created.content


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"answers": answers(rebuild_value="lots")}, "answers.rebuild_value"),
        ({"answers": answers(shoe_size=42)}, "answers.shoe_size"),
        ({"answers": answers(), "customer": "C-000001"}, "customer"),  # only staff name one
        ({"answers": answers(), "budget": "1"}, "budget"),  # unknown fields are refused
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(client, alice, auth_headers, payload, field):
    response = post(client, "/api/v1/planning/assessments", payload, alice.user, auth_headers)

    assert response.status_code == 422, response.content
    assert response.json()["error"]["details"]["field"] == field
    assert not RiskAssessment.objects.exists()


def test_mallory_sees_nothing_of_alices_checks_or_proposals(client, alice, mallory, auth_headers):
    body = assess(client, alice.user, auth_headers, **VILLA).json()
    url = f"/api/v1/planning/assessments/{body['id']}"
    reference = post(client, f"{url}/proposal", {}, alice.user, auth_headers).json()["reference"]
    theirs = auth_headers(mallory.user)

    assert client.get(url, headers=theirs).status_code == 404
    assert (
        post(
            client, f"{url}/budget", {"annual_budget": "1"}, mallory.user, auth_headers
        ).status_code
        == 404
    )
    assert post(client, f"{url}/proposal", {}, mallory.user, auth_headers).status_code == 404
    proposal_url = f"/api/v1/planning/proposals/{reference}"
    assert client.get(proposal_url, headers=theirs).status_code == 404
    assert (
        post(client, f"{proposal_url}/withdraw", {}, mallory.user, auth_headers).status_code == 404
    )
    assert client.get("/api/v1/planning/assessments", headers=theirs).json()["count"] == 0
    assert client.get("/api/v1/planning/proposals", headers=theirs).json()["count"] == 0
    assert client.get("/api/v1/planning/assessments/not-a-uuid", headers=theirs).status_code == 422


def test_an_agent_checks_a_named_customers_risks_and_a_claims_handler_may_not(
    client, alice, bob, auth_headers
):
    dave = agent()
    payload = {"answers": answers(), "customer": alice.number}

    made = post(client, "/api/v1/planning/assessments", payload, dave, auth_headers)
    refused = post(client, "/api/v1/planning/assessments", payload, bob, auth_headers)
    missing = post(
        client,
        "/api/v1/planning/assessments",
        {**payload, "customer": "C-999999"},
        dave,
        auth_headers,
    )

    assert made.status_code == 201, made.content
    assert made.json()["agent"] == "dave"
    assert refused.status_code == 403
    assert missing.status_code == 404


def test_idempotency_key_makes_one_risk_check_of_a_repeated_post(client, alice, auth_headers):
    headers = {**auth_headers(alice.user), "Idempotency-Key": "check-1"}  # one token, one key

    first, again = (
        client.post(
            "/api/v1/planning/assessments",
            {"answers": answers()},
            content_type="application/json",
            headers=headers,
        )
        for _ in range(2)
    )

    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert RiskAssessment.objects.count() == 1


def test_a_new_budget_refits_the_plan(client, alice, auth_headers):
    body = assess(client, alice.user, auth_headers).json()

    refit = post(
        client,
        f"/api/v1/planning/assessments/{body['id']}/budget",
        {"annual_budget": "10000"},
        alice.user,
        auth_headers,
    )

    assert refit.status_code == 200, refit.content
    assert refit.json()["premium_within_budget"] == "7896.00"
    assert {r["fit"] for r in refit.json()["recommendations"]} == {"fits"}


def test_a_proposal_from_request_to_acceptance(client, alice, auth_headers):
    dave, carol = agent(), supervisor()
    body = assess(client, alice.user, auth_headers, **VILLA).json()
    assert body["proposal_required"] is True
    requested = post(
        client,
        f"/api/v1/planning/assessments/{body['id']}/proposal",
        {"note": "What would a full rebuild cost?"},
        alice.user,
        auth_headers,
        **{"Idempotency-Key": "proposal-1"},
    )
    assert requested.status_code == 201, requested.content
    url = f"/api/v1/planning/proposals/{requested.json()['reference']}"
    assert requested.json()["status"] == "requested"
    assert requested.json()["next_deadline"].startswith("2026-03-17T00:00:00+08:00")

    draft = {
        "findings": "Insured for half its value.",
        "prevention_scheme": "Leak sensors.",
        "resolution_scheme": "Report the same day.",
        "market_factors": "Rates reviewed yearly.",
        "options": [
            {
                "label": "Full value",
                "product": "harbour-home",
                "sum_insured": "12000000",
                "term_years": 1,
            },
            {
                "label": "Building",
                "product": "harbour-home",
                "sum_insured": "10500000",
                "term_years": 1,
            },
        ],
    }
    drafted = post(client, f"{url}/draft", draft, dave, auth_headers)
    assert drafted.status_code == 200, drafted.content
    assert [o["annual_premium"] for o in drafted.json()["options"]] == ["6525.00", "4725.00"]
    hidden = client.get(url, headers=auth_headers(alice.user)).json()
    assert hidden["options"] == [] and hidden["findings"] == ""  # not hers until approved
    assert post(client, f"{url}/approve", {}, dave, auth_headers).status_code == 403

    approved = post(client, f"{url}/approve", {}, carol, auth_headers)
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "issued"
    assert approved.json()["valid_until"] == "2026-04-01"
    seen = client.get(url, headers=auth_headers(alice.user)).json()
    assert seen["letter"] and len(seen["options"]) == 2
    pdf = client.get(f"/api/v1/letters/{seen['letter']}/pdf", headers=auth_headers(alice.user))
    assert pdf.status_code == 200

    option = seen["options"][1]["id"]
    accepted = post(client, f"{url}/accept", {"option": option}, alice.user, auth_headers)
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["proposal"]["status"] == "accepted"
    assert accepted.json()["application"]["rating_inputs"]["contents_value"] == "0.00"
    assert accepted.json()["apply_url"].startswith("/portal/apply/harbour-home/?sum_insured=")
    again = post(client, f"{url}/accept", {"option": option}, alice.user, auth_headers)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "invalid_transition"


def test_a_step_the_status_does_not_allow_is_409_and_bad_drafts_422(client, alice, auth_headers):
    dave = agent()
    body = assess(client, alice.user, auth_headers, **VILLA).json()
    reference = post(
        client, f"/api/v1/planning/assessments/{body['id']}/proposal", {}, alice.user, auth_headers
    ).json()["reference"]
    url = f"/api/v1/planning/proposals/{reference}"

    declined = post(client, f"{url}/decline", {}, alice.user, auth_headers)
    assert declined.status_code == 409
    assert declined.json()["error"]["details"]["from_status"] == "requested"
    twice = post(
        client, f"/api/v1/planning/assessments/{body['id']}/proposal", {}, alice.user, auth_headers
    )
    assert twice.status_code == 409
    no_options = post(
        client,
        f"{url}/draft",
        {
            "findings": "x",
            "prevention_scheme": "x",
            "resolution_scheme": "x",
            "market_factors": "x",
            "options": [],
        },
        dave,
        auth_headers,
    )
    assert no_options.status_code == 422
    assert no_options.json()["error"]["details"]["field"] == "options"
    assert Proposal.objects.get().status == "requested"


def test_listing_risk_checks_and_proposals_takes_no_query_per_row(
    client, alice, auth_headers, django_assert_max_num_queries
):
    dave = agent()
    for _ in range(5):
        body = post(
            client,
            "/api/v1/planning/assessments",
            {"answers": answers(**VILLA), "customer": alice.number},
            dave,
            auth_headers,
        ).json()
        post(client, f"/api/v1/planning/assessments/{body['id']}/proposal", {}, dave, auth_headers)
    headers = auth_headers(dave)

    with django_assert_max_num_queries(6):
        checks = client.get("/api/v1/planning/assessments", headers=headers)
    with django_assert_max_num_queries(6):
        proposals = client.get("/api/v1/planning/proposals", headers=headers)

    assert checks.json()["count"] == proposals.json()["count"] == 5
    assert all(row["proposal"] for row in checks.json()["items"])
    assert checks.json()["items"][0]["risk_count"] == 6


def _apply_body(fields, **extra):
    """The accept answer's application fields, with what the applicant adds."""
    return {
        **fields,
        "insured_name": "Alice Chen",
        "start_date": "2026-03-03",
        "declarations": {q.code: {"answer": False} for q in questions_for("home")},
        **extra,
    }


def test_an_application_sent_as_the_accept_answer_says_is_linked_to_the_proposal(
    client, alice, mallory, auth_headers
):
    proposal = issued(alice, agent(), supervisor())
    url = f"/api/v1/planning/proposals/{proposal.reference}"
    option = str(proposal.options.get(position=1).public_id)
    fields = post(client, f"{url}/accept", {"option": option}, alice.user, auth_headers).json()[
        "application"
    ]

    foreign = post(client, "/api/v1/applications", _apply_body(fields), mallory.user, auth_headers)
    unknown = post(
        client,
        "/api/v1/applications",
        _apply_body(fields, origin="PRP-2026-999999"),
        alice.user,
        auth_headers,
    )
    applied = post(client, "/api/v1/applications", _apply_body(fields), alice.user, auth_headers)

    assert fields["origin"] == proposal.reference
    assert foreign.status_code == 404
    assert foreign.json()["error"]["details"]["field"] == "origin"
    assert unknown.status_code == 404
    assert unknown.json()["error"]["details"]["field"] == "origin"
    assert applied.status_code == 201, applied.content
    assert applied.json()["origin"] == proposal.reference
    assert Application.objects.get().origin == proposal.case


def test_staff_cannot_link_one_customers_proposal_to_anothers_application(alice, mallory):
    dave = agent()
    proposal = issued(alice, dave, supervisor())

    with pytest.raises(ValidationFailed) as refused:
        submit_application(
            actor=dave,
            applicant=mallory,
            channel="phone",
            product="harbour-home",
            insured_name="Mallory",
            insured_date_of_birth=None,
            sum_insured="1000000",
            term_years=1,
            start_date=NOW.date(),
            rating_inputs={"building_value": "1000000", "construction": "concrete"},
            declarations={q.code: {"answer": False} for q in questions_for("home")},
            origin=proposal.case,
            now=NOW,
        )

    assert refused.value.details["field"] == "origin"
    assert not Application.objects.exists()
