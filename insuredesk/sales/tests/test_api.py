"""The applications API: apply, read (a customer only their own: 404), underwrite, accept."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from insuredesk.catalog.loading import load_demo_catalogue
from insuredesk.catalog.models import ProductVersion
from insuredesk.consultation.services import acknowledge_online
from insuredesk.customers.roles import Role
from insuredesk.sales.models import Application
from insuredesk.sales.questions import questions_for
from insuredesk.tests import factories

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def versions(db):
    load_demo_catalogue()
    return {v.product.code: v for v in ProductVersion.objects.select_related("product")}


def body(**overrides):
    payload = {
        "product": "harbour-term-life",
        "insured_name": "Alice Chen",
        "insured_date_of_birth": "1990-06-15",
        "sum_insured": "500000",
        "term_years": 20,
        "start_date": "2026-03-02",
        "declarations": {q.code: {"answer": False} for q in questions_for("term_life")},
    }
    payload.update(overrides)
    return payload


def post(client, url, payload, user, headers):
    return client.post(url, payload, content_type="application/json", headers=headers(user))


def test_questions_are_public_in_either_language(client, versions):
    english = client.get("/api/v1/products/harbour-term-life/questions").json()
    chinese = client.get("/api/v1/products/harbour-term-life/questions?language=zh").json()

    assert [q["code"] for q in english["questions"]] == [q.code for q in questions_for("term_life")]
    assert chinese["questions"][0]["question"] == questions_for("term_life")[0].zh
    assert client.get("/api/v1/products/nothing/questions").status_code == 404


def test_a_customer_applies_and_accepts_once_the_exemptions_are_acknowledged(
    client, alice, versions, auth_headers
):
    created = post(client, "/api/v1/applications", body(), alice.user, auth_headers)

    assert created.status_code == 201, created.content
    application = created.json()
    assert application["status"] == "offered"
    assert application["offered_premium"] == application["quoted_premium"]
    assert application["declarations"][0]["question"] == questions_for("term_life")[0].en
    assert application["missing_acknowledgements"]  # CN-02: exemptions still to acknowledge
    url = f"/api/v1/applications/{application['reference']}"

    refused = post(client, f"{url}/accept", {}, alice.user, auth_headers)
    assert refused.status_code == 409
    assert refused.json()["error"]["details"]["clauses"] == application["missing_acknowledgements"]

    version = versions["harbour-term-life"]
    acknowledge_online(
        actor=alice.user,
        product_version=version,
        acknowledged=[c.number for c in version.clauses.all()],
        now=NOW,
    )
    accepted = post(client, f"{url}/accept", {}, alice.user, auth_headers)

    assert accepted.status_code == 201, accepted.content
    number = accepted.json()["policy"]
    assert client.get(url, headers=auth_headers(alice.user)).json()["policy"] == number
    policy = client.get(f"/api/v1/policies/{number}", headers=auth_headers(alice.user))
    assert policy.status_code == 200
    assert policy.json()["risk_details"]["application"] == application["reference"]


def test_another_customers_application_is_404_everywhere(
    client, alice, mallory, versions, auth_headers
):
    reference = post(client, "/api/v1/applications", body(), alice.user, auth_headers).json()[
        "reference"
    ]
    url = f"/api/v1/applications/{reference}"

    assert client.get(url, headers=auth_headers(mallory.user)).status_code == 404
    assert post(client, f"{url}/accept", {}, mallory.user, auth_headers).status_code == 404
    assert post(client, f"{url}/withdraw", {}, mallory.user, auth_headers).status_code == 404
    listed = client.get("/api/v1/applications", headers=auth_headers(mallory.user)).json()
    assert listed["count"] == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"declarations": {}}, "declarations.hospital_5y"),
        ({"sum_insured": "0"}, "sum_insured"),
        ({"term_years": 7}, "term_years"),
        ({"premium": "1"}, "premium"),  # unknown fields are refused, not ignored
        ({"customer": "C-000001"}, "customer"),  # only staff name the customer
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    client, alice, versions, auth_headers, overrides, field
):
    response = post(client, "/api/v1/applications", body(**overrides), alice.user, auth_headers)

    assert response.status_code == 422, response.content
    assert response.json()["error"]["details"]["field"] == field
    assert not Application.objects.exists()


def test_an_underwriter_declines_and_an_agent_may_not(client, alice, dave, versions, auth_headers):
    underwriter = factories.make_user("uma", Role.UNDERWRITER)
    declarations = body()["declarations"] | {
        "serious_condition": {"answer": True, "details": "Heart valve replaced, 2019"}
    }
    created = post(
        client, "/api/v1/applications", body(declarations=declarations), alice.user, auth_headers
    ).json()
    assert created["status"] == "referred"
    url = f"/api/v1/applications/{created['reference']}/decision"
    decision = {"decision": "declined", "reasons": "Outside our cardiac guidelines."}

    assert post(client, url, decision, dave, auth_headers).status_code == 403
    incomplete = post(client, url, {"decision": "declined"}, underwriter, auth_headers)
    assert incomplete.status_code == 422
    assert incomplete.json()["error"]["details"]["field"] == "reasons"
    decided = post(client, url, decision, underwriter, auth_headers)

    assert decided.status_code == 200, decided.content
    assert decided.json()["status"] == "declined"
    assert decided.json()["letter"]
    seen = client.get(
        f"/api/v1/applications/{created['reference']}", headers=auth_headers(alice.user)
    ).json()
    assert seen["decision_reasons"] == "Outside our cardiac guidelines."
    letter = client.get(f"/api/v1/letters/{seen['letter']}", headers=auth_headers(alice.user))
    assert letter.status_code == 200


def test_an_exam_result_is_for_staff_eyes(client, alice, versions, auth_headers):
    underwriter = factories.make_user("uma", Role.UNDERWRITER)
    created = post(
        client, "/api/v1/applications", body(sum_insured="2000000"), alice.user, auth_headers
    ).json()
    base = f"/api/v1/applications/{created['reference']}"
    exam = post(
        client,
        f"{base}/exams",
        {"reason": "Large sum insured", "tests": "Blood panel", "clinic": "Ruijin"},
        underwriter,
        auth_headers,
    )
    assert exam.status_code == 201, exam.content
    result = post(
        client,
        f"{base}/exams/{exam.json()['id']}/result",
        {"summary": "Cholesterol 7.9 mmol/L"},
        underwriter,
        auth_headers,
    )
    assert result.status_code == 200

    staff_view = client.get(base, headers=auth_headers(underwriter)).json()
    own_view = client.get(base, headers=auth_headers(alice.user)).json()
    assert staff_view["exams"][0]["result_summary"] == "Cholesterol 7.9 mmol/L"
    assert own_view["exams"][0]["result_summary"] == ""
    assert own_view["status"] == "referred"


def test_staff_apply_for_a_named_customer_by_phone(client, alice, dave, versions, auth_headers):
    created = post(
        client,
        "/api/v1/applications",
        body(customer=alice.number, channel="phone"),
        dave,
        auth_headers,
    )

    assert created.status_code == 201, created.content
    assert created.json()["applicant"] == alice.number
    assert created.json()["channel"] == "phone"
    assert "phone sale" in created.json()["recording_required"]
    missing = post(
        client,
        "/api/v1/applications",
        body(customer="C-999999", channel="phone"),
        dave,
        auth_headers,
    )
    assert missing.status_code == 404


def test_listing_six_applications_takes_no_query_per_application(
    client, alice, dave, versions, auth_headers, django_assert_max_num_queries
):
    for number in range(6):
        post(
            client,
            "/api/v1/applications",
            body(customer=alice.number, channel="in_person", sum_insured=str(100000 + number)),
            dave,
            auth_headers,
        )
    headers = auth_headers(dave)

    with django_assert_max_num_queries(6):
        listed = client.get("/api/v1/applications", headers=headers)

    assert listed.json()["count"] == 6
