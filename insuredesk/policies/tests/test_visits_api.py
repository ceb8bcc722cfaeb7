"""The visits API's wiring: authentication, ownership (Mallory gets 404), status codes, the
error shape naming the field, Idempotency-Key, the event written, and the list's query count."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from insuredesk.casework.models import CaseEvent
from insuredesk.policies import visiting
from insuredesk.policies.choices import VisitStatus
from insuredesk.policies.models import Visit
from insuredesk.policies.tests.visit_factories import NOW, fresh, sold_policy, welcome_visit

pytestmark = pytest.mark.django_db
TOMORROW_10 = (NOW + dt.timedelta(days=1)).isoformat()


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def post(client, url, headers, data=None, **extra):
    return client.post(
        url, data=data or {}, content_type="application/json", headers={**headers, **extra}
    )


def test_listing_visits_needs_credentials(client):
    response = client.get("/api/v1/visits")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_alice_lists_her_visits_and_mallory_sees_none_of_them(
    client, alice, mallory, dave, auth_headers
):
    visit = welcome_visit(alice, dave)

    mine = client.get("/api/v1/visits", headers=auth_headers(alice.user)).json()
    theirs = client.get("/api/v1/visits", headers=auth_headers(mallory.user)).json()
    detail = client.get(f"/api/v1/visits/{visit.reference}", headers=auth_headers(mallory.user))

    assert [v["reference"] for v in mine["items"]] == [visit.reference]
    assert mine["items"][0]["purpose"] == "welcome"
    assert mine["items"][0]["due_on"] == "2026-03-19"
    assert theirs["items"] == []
    assert detail.status_code == 404
    assert detail.json()["error"]["code"] == "not_found"


def test_mallory_cannot_act_on_alices_visit(client, alice, mallory, dave, auth_headers):
    visit = welcome_visit(alice, dave)
    body = {"scheduled_at": TOMORROW_10, "channel": "phone"}

    response = post(
        client, f"/api/v1/visits/{visit.reference}/propose", auth_headers(mallory.user), body
    )

    assert response.status_code == 404
    assert fresh(visit).case.status == VisitStatus.PLANNED


def test_alice_asks_for_a_visit_once_with_an_idempotency_key(client, alice, dave, auth_headers):
    policy = sold_policy(alice, dave, issued_at=NOW - dt.timedelta(days=200))
    headers = auth_headers(alice.user)
    body = {
        "policy": policy.number,
        "note": "We moved house.",
        "channel": "in_person",
        "place": "5 Harbour Lane",
        "scheduled_at": TOMORROW_10,
    }

    first = post(client, "/api/v1/visits", headers, body, **{"Idempotency-Key": "visit-1"})
    again = post(client, "/api/v1/visits", headers, body, **{"Idempotency-Key": "visit-1"})
    second = post(client, "/api/v1/visits", headers, body)

    assert first.status_code == 201, first.json()
    assert first.json()["status"] == "proposed"
    assert first.json()["agent"] == "dave"
    assert first.json()["notes"] == ""  # staff only
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["reference"] == first.json()["reference"]
    assert second.status_code == 409  # one open request per policy
    assert second.json()["error"]["details"]["reference"] == first.json()["reference"]
    assert Visit.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"channel": "telegram", "scheduled_at": TOMORROW_10}, "channel"),
        ({"channel": "phone", "scheduled_at": "next tuesday"}, "scheduled_at"),
        ({"channel": "phone", "scheduled_at": "2020-01-01T10:00:00+08:00"}, "scheduled_at"),
        ({"note": "x" * 501}, "note"),
        ({"policy": "TL-9999999"}, "policy"),
        ({"colour": "blue"}, "colour"),
        ({"customer": "C-000001"}, "customer"),
    ],
)
def test_a_bad_request_names_the_field_and_writes_nothing(client, alice, auth_headers, body, field):
    response = post(client, "/api/v1/visits", auth_headers(alice.user), body)

    assert response.status_code in (404, 422), response.json()
    assert response.json()["error"]["details"]["field"] == field
    assert Visit.objects.count() == 0


def test_dave_schedules_records_the_outcome_and_raises_a_consultation(
    client, alice, dave, auth_headers
):
    visit = welcome_visit(alice, dave)
    headers = auth_headers(dave)
    url = f"/api/v1/visits/{visit.reference}"

    scheduled = post(
        client, f"{url}/schedule", headers, {"scheduled_at": TOMORROW_10, "channel": "video"}
    )
    with time_machine.travel(NOW + dt.timedelta(days=1, hours=1), tick=False):
        outcome = post(
            client,
            f"{url}/outcome",
            headers,
            {
                "outcome": "completed",
                "notes": "All clear.",
                "needs": ["beneficiary_change"],
                "checklist": {
                    "policy_explained": True,
                    "exemptions_understood": True,
                    "cooling_off_explained": True,
                },
            },
        )
        raised = post(
            client,
            f"{url}/follow-ups",
            headers,
            {
                "need": "beneficiary_change",
                "action": "consultation",
                "note": "How do I change the shares?",
            },
            **{"Idempotency-Key": "f-1"},
        )

    assert scheduled.status_code == 200 and scheduled.json()["status"] == "scheduled"
    assert outcome.status_code == 200, outcome.json()
    assert outcome.json()["status"] == "completed" and outcome.json()["notes"] == "All clear."
    assert raised.status_code == 201, raised.json()
    assert raised.json()["reference"].startswith("CON-")
    kinds = list(CaseEvent.objects.filter(case=visit.case).values_list("kind", flat=True))
    assert kinds[-3:] == ["scheduled", "completed", "follow_up_raised"]


def test_an_outcome_on_an_ended_visit_is_409(client, alice, dave, auth_headers):
    visit = welcome_visit(alice, dave)
    visiting.decline_visit(actor=alice.user, visit=visit, now=NOW)

    response = post(
        client,
        f"/api/v1/visits/{visit.reference}/outcome",
        auth_headers(dave),
        {"outcome": "completed"},
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"


def test_a_welcome_visit_without_its_checklist_is_422_naming_it(client, alice, dave, auth_headers):
    visit = welcome_visit(alice, dave)

    response = post(
        client,
        f"/api/v1/visits/{visit.reference}/outcome",
        auth_headers(dave),
        {"outcome": "completed"},
    )

    assert response.status_code == 422
    assert response.json()["error"]["details"]["field"] == "checklist.policy_explained"


def test_a_customer_cannot_record_an_outcome(client, alice, dave, auth_headers):
    visit = welcome_visit(alice, dave)

    response = post(
        client,
        f"/api/v1/visits/{visit.reference}/outcome",
        auth_headers(alice.user),
        {"outcome": "declined"},
    )

    assert response.status_code == 403


def test_alice_rates_the_visit_once(client, alice, dave, auth_headers):
    visit = welcome_visit(alice, dave)
    visiting.record_visit_outcome(
        actor=dave,
        visit=visit,
        outcome="completed",
        checklist=dict.fromkeys(visiting.WELCOME_CHECKLIST, True),
        now=NOW,
    )
    url = f"/api/v1/visits/{visit.reference}/rating"

    rated = post(client, url, auth_headers(alice.user), {"rating": 4, "comment": "Helpful."})
    again = post(client, url, auth_headers(alice.user), {"rating": 5})
    out_of_range = post(client, url, auth_headers(alice.user), {"rating": 9})

    assert rated.status_code == 200 and rated.json()["rating"] == 4
    assert again.status_code == 409
    assert out_of_range.status_code == 422
    assert out_of_range.json()["error"]["details"]["field"] == "rating"


def test_alice_moves_an_arranged_appointment_but_not_one_never_arranged(
    client, alice, dave, auth_headers
):
    visit = welcome_visit(alice, dave)
    url = f"/api/v1/visits/{visit.reference}"
    early = post(
        client,
        f"{url}/reschedule",
        auth_headers(alice.user),
        {"scheduled_at": TOMORROW_10, "channel": "phone"},
    )
    visiting.schedule_visit(
        actor=dave,
        visit=fresh(visit),
        scheduled_at=NOW + dt.timedelta(days=1),
        channel="phone",
        now=NOW,
    )

    moved = post(
        client,
        f"{url}/reschedule",
        auth_headers(alice.user),
        {"scheduled_at": (NOW + dt.timedelta(days=2)).isoformat(), "channel": "phone"},
    )

    assert early.status_code == 409  # nothing arranged yet
    assert moved.status_code == 200 and moved.json()["status"] == "proposed"


def test_an_agent_takes_a_visit_from_the_pool_and_the_pool_lists_it_no_more(
    client, alice, dave, auth_headers
):
    visit = welcome_visit(alice, None)
    headers = auth_headers(dave)

    pool = client.get("/api/v1/visits?scope=pool", headers=headers).json()
    taken = post(client, f"/api/v1/visits/{visit.reference}/assign", headers, {"assignee": "dave"})
    after = client.get("/api/v1/visits?scope=pool", headers=headers).json()
    mine = client.get("/api/v1/visits", headers=headers).json()

    assert [v["reference"] for v in pool["items"]] == [visit.reference]
    assert taken.status_code == 200 and taken.json()["agent"] == "dave"
    assert after["items"] == []
    assert [v["reference"] for v in mine["items"]] == [visit.reference]


def test_an_unknown_scope_is_422_naming_it(client, dave, auth_headers):
    response = client.get("/api/v1/visits?scope=all", headers=auth_headers(dave))

    assert response.status_code == 422
    assert response.json()["error"]["details"]["field"] == "scope"


def test_the_list_costs_the_same_few_queries_for_one_visit_or_twenty(
    client, alice, dave, auth_headers
):
    headers = auth_headers(dave)
    welcome_visit(alice, dave)
    client.get("/api/v1/visits", headers=headers)  # warm: token, roles, session
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/v1/visits", headers=headers).status_code == 200
    for _ in range(19):
        sold_policy(alice, dave)
    visiting.plan_visits(now=NOW)
    with CaptureQueriesContext(connection) as twenty:
        listed = client.get("/api/v1/visits", headers=headers).json()

    assert listed["count"] == 20
    assert len(twenty) == len(one) <= 6, [q["sql"] for q in twenty]
