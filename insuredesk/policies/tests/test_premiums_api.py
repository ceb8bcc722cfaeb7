"""The premiums API: paying (idempotent, once, exact amount), reading payments and where a policy
stands, reinstating a suspended policy. Wiring only; the rules are tested on the services."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from insuredesk.casework.models import CaseEvent
from insuredesk.policies.choices import PolicyStatus
from insuredesk.policies.models import Arrears, PremiumPayment
from insuredesk.policies.services import send_demand_notices, suspend_unpaid_policies
from insuredesk.policies.tests.premiums import (
    ISSUED,
    SECOND_DUE,
    at,
    demo_versions,
    first,
    instalment,
    paid_first,
    pay,
    term_life,
    ursula,
)


@pytest.fixture
def versions(db):
    return demo_versions()


def post(client, url, payload, headers=None):
    return client.post(url, payload, content_type="application/json", headers=headers or {})


def payment_body(item, **overrides):
    body = {
        "due_date": item.due_date.isoformat(),
        "amount": str(item.amount),
        "currency": "CNY",
        "method": "bank_card",
        "reference": "AUTH-778812",
    }
    return body | overrides


def test_alice_pays_once_and_a_retry_with_the_same_key_replays_the_receipt(
    client, dave, alice, versions, auth_headers
):
    policy = term_life(dave, alice, versions)
    due = first(policy)
    url = f"/api/v1/policies/{policy.number}/payments"
    headers = auth_headers(alice.user) | {"Idempotency-Key": "pay-2026-03-02-1"}

    with time_machine.travel(ISSUED, tick=False):
        paid = post(client, url, payment_body(due), headers)
        again = post(client, url, payment_body(due), headers)
        twice = post(client, url, payment_body(due), auth_headers(alice.user))

    assert paid.status_code == 201, paid.json()
    body = paid.json()
    assert body["receipt_number"] == "PRM-2026-000001" and body["due_date"] == "2026-03-02"
    assert body["amount"] == str(due.amount) and body["receipt"]
    assert again.status_code == 201 and again.json() == body
    assert again.headers["Idempotent-Replayed"] == "true"
    assert twice.status_code == 409
    assert twice.json()["error"]["code"] == "invalid_transition"
    assert PremiumPayment.objects.count() == 1


def test_a_wrong_amount_is_422_naming_the_field_and_the_amount_due(
    client, dave, alice, versions, auth_headers
):
    policy = term_life(dave, alice, versions)
    due = first(policy)

    with time_machine.travel(ISSUED, tick=False):
        response = post(
            client,
            f"/api/v1/policies/{policy.number}/payments",
            payment_body(due, amount="10.00"),
            auth_headers(alice.user),
        )

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["details"]["field"] == "amount" and str(due.amount) in error["message"]
    assert not PremiumPayment.objects.exists()


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"due_date": "2026-03-03"}, "due_date"),
        ({"method": "cheque"}, "method"),
        ({"reference": ""}, "reference"),
        ({"amount": "12.345"}, "amount"),
        ({"currency": "RMB"}, "currency"),
        ({"tip": "5"}, "tip"),
    ],
)
def test_bad_input_is_422_naming_the_field(
    client, dave, alice, versions, auth_headers, override, field
):
    policy = term_life(dave, alice, versions)

    with time_machine.travel(ISSUED, tick=False):
        response = post(
            client,
            f"/api/v1/policies/{policy.number}/payments",
            payment_body(first(policy), **override),
            auth_headers(alice.user),
        )

    assert response.status_code == 422, response.json()
    assert response.json()["error"]["details"]["field"] == field
    assert not PremiumPayment.objects.exists()


def test_mallory_gets_404_for_alices_policy_and_no_one_pays_unsigned(
    client, dave, alice, mallory, versions, auth_headers
):
    policy = term_life(dave, alice, versions)
    url = f"/api/v1/policies/{policy.number}/payments"

    with time_machine.travel(ISSUED, tick=False):
        theirs = post(client, url, payment_body(first(policy)), auth_headers(mallory.user))
        anonymous = post(client, url, payment_body(first(policy)))
        listing = client.get(url, headers=auth_headers(mallory.user))

    assert theirs.status_code == 404 and listing.status_code == 404
    assert anonymous.status_code == 401


def test_staff_record_cash_at_the_counter(client, dave, alice, versions, auth_headers):
    policy = term_life(dave, alice, versions)

    with time_machine.travel(ISSUED, tick=False):
        response = post(
            client,
            f"/api/v1/policies/{policy.number}/payments",
            payment_body(first(policy), method="cash", reference="SLIP-0042"),
            auth_headers(dave),
        )

    assert response.status_code == 201 and response.json()["method"] == "cash"


def test_the_payments_list_reads_a_fixed_number_of_queries(
    client, dave, alice, versions, auth_headers, django_assert_max_num_queries
):
    from insuredesk.policies.choices import PremiumFrequency

    policy = term_life(dave, alice, versions, frequency=PremiumFrequency.MONTHLY)
    for month in policy.instalments.order_by("due_date")[:4]:
        pay(alice.user, month, at(month.due_date))
    headers = auth_headers(alice.user)

    with (
        time_machine.travel(at(dt.date(2026, 6, 10)), tick=False),
        django_assert_max_num_queries(6),
    ):
        response = client.get(f"/api/v1/policies/{policy.number}/payments", headers=headers)

    assert response.status_code == 200
    assert [p["due_date"] for p in response.json()["items"]] == [
        "2026-06-02",
        "2026-05-02",
        "2026-04-02",
        "2026-03-02",
    ]


def test_the_policy_shows_its_arrears_and_the_day_cover_would_stop(
    client, dave, alice, versions, auth_headers
):
    policy = paid_first(dave, alice, versions)
    send_demand_notices(now=at(dt.date(2027, 3, 3), hour=9))

    with time_machine.travel(at(dt.date(2027, 3, 10)), tick=False):
        body = client.get(
            f"/api/v1/policies/{policy.number}", headers=auth_headers(alice.user)
        ).json()

    premiums = body["premiums"]
    due = instalment(policy, SECOND_DUE)
    assert premiums["arrears"] == str(due.amount) and premiums["overdue"] == ["2027-03-02"]
    assert (premiums["covered_until"], premiums["suspends_on"]) == ("2027-04-02", "2027-04-03")
    assert premiums["payable"] == "2027-03-02"
    assert premiums["arrears_case"]["status"] == "demanded"
    second = next(i for i in body["instalments"] if i["due_date"] == "2027-03-02")
    assert second["covered_until"] == "2027-04-02" and second["demand_letter"]


def test_reinstatement_apply_decide_pay_and_the_policy_is_in_force_again(
    client, dave, alice, mallory, versions, auth_headers
):
    policy = paid_first(dave, alice, versions)
    send_demand_notices(now=at(dt.date(2027, 3, 3), hour=9))
    suspend_unpaid_policies(now=at(dt.date(2027, 4, 3), hour=1))
    url = f"/api/v1/policies/{policy.number}/reinstatement"
    underwriter = ursula()

    with time_machine.travel(at(dt.date(2027, 4, 12)), tick=False):
        theirs = post(client, url, {"statement": "x"}, auth_headers(mallory.user))
        early_pay = post(
            client,
            f"/api/v1/policies/{policy.number}/payments",
            payment_body(instalment(policy, SECOND_DUE)),
            auth_headers(alice.user),
        )
        applied = post(client, url, {"statement": "No change in health."}, auth_headers(alice.user))
        twice = post(client, url, {}, auth_headers(alice.user))
        by_alice = post(client, f"{url}/decision", {"decision": "agreed"}, auth_headers(alice.user))
        no_reasons = post(
            client, f"{url}/decision", {"decision": "declined"}, auth_headers(underwriter)
        )
        agreed = post(client, f"{url}/decision", {"decision": "agreed"}, auth_headers(underwriter))
        paid = post(
            client,
            f"/api/v1/policies/{policy.number}/payments",
            payment_body(instalment(policy, SECOND_DUE)),
            auth_headers(alice.user),
        )
        detail = client.get(f"/api/v1/policies/{policy.number}", headers=auth_headers(alice.user))

    assert theirs.status_code == 404
    assert early_pay.status_code == 409 and "reinstate" in early_pay.json()["error"]["message"]
    assert applied.status_code == 201 and applied.json()["decision"] == ""
    assert twice.status_code == 409
    assert by_alice.status_code == 403
    assert no_reasons.status_code == 422
    assert no_reasons.json()["error"]["details"]["field"] == "reasons"
    assert agreed.status_code == 200 and agreed.json()["letter"]
    assert paid.status_code == 201
    assert detail.json()["status"] == PolicyStatus.IN_FORCE
    assert detail.json()["premiums"]["arrears_case"]["status"] == "reinstated"
    case = Arrears.objects.get(policy=policy).case
    event = CaseEvent.objects.get(case=case, kind="reinstated")
    assert event.actor == alice.user


def test_a_decision_with_nothing_waiting_is_404(client, dave, alice, versions, auth_headers):
    policy = paid_first(dave, alice, versions)

    response = post(
        client,
        f"/api/v1/policies/{policy.number}/reinstatement/decision",
        {"decision": "agreed"},
        auth_headers(ursula()),
    )

    assert response.status_code == 404
