"""Surrender after the cooling-off period: the contract ends with the notice and its value is
refunded within 30 days (CN-14, IL Art. 47); property cover refunds the unexpired premium less
the contract's charge (IL Art. 54). Services, pages and API."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
import time_machine

from insuredesk.casework.models import Clock
from insuredesk.documents.models import Letter
from insuredesk.errors import Conflict, InvalidTransition, NotPermitted, ValidationFailed
from insuredesk.notifications.models import Message
from insuredesk.policies.choices import (
    ArrearsStatus,
    InstalmentStatus,
    PolicyStatus,
    SurrenderStatus,
)
from insuredesk.policies.models import Arrears, Policy, Surrender
from insuredesk.policies.services import (
    record_surrender_refund,
    request_surrender,
    send_demand_notices,
    suspend_unpaid_policies,
    terminate_suspended_policy,
)
from insuredesk.policies.tests.premiums import (
    ISSUED,
    at,
    demo_versions,
    home,
    paid_first,
    pay,
    ursula,
)

NOTICE = at(dt.date(2026, 6, 10))  # a Wednesday, long after the 15-day cooling-off period
REFUND_BY = dt.date(2026, 7, 10)  # CN-14: 30 days, a Friday
ACCOUNT = "ICBC, account ending 1234"


@pytest.fixture
def versions(db):
    return demo_versions()


@pytest.fixture
def policy(dave, alice, versions) -> Policy:
    return paid_first(dave, alice, versions)


def expected_cash_value(policy: Policy, on: dt.date) -> Decimal:
    """Year 1 of the demo ten-year table: 0% at the start, 3.6% at its end, on a straight line."""
    days = (on + dt.timedelta(days=1) - policy.start_date).days
    value = policy.premium * Decimal("3.6") * days / Decimal(365) / 100
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_the_notice_ends_the_contract_and_the_refund_clock_runs_30_days_cn_14(alice, policy):
    surrender = request_surrender(
        actor=alice.user, policy=policy, now=NOTICE, refund_account=ACCOUNT, reason="moving"
    )

    policy.refresh_from_db()
    assert policy.status == PolicyStatus.SURRENDERED
    assert not policy.instalments.filter(status=InstalmentStatus.DUE).exists()  # waived
    assert surrender.case.status == SurrenderStatus.REFUND_DUE
    assert surrender.amount == expected_cash_value(policy, NOTICE.date())
    assert surrender.ended_on == NOTICE.date()
    clock = Clock.objects.get(case=surrender.case, name="refund")
    assert (clock.rule, clock.due_date) == ("CN-14", REFUND_BY)
    assert surrender.refund_by == REFUND_BY
    letter = surrender.letter
    assert letter.kind == "policy_surrender" and letter.case_id == surrender.case.pk
    assert letter.context["amount"] == str(surrender.amount)
    assert letter.context["value"]["method"] == "cash_value"
    told = Message.objects.get(
        dedupe_key=f"surrender:{surrender.case.reference}:portal", channel="portal"
    )
    assert f"CNY {surrender.amount:,.2f}" in told.body and "2026-07-10" in told.body


def test_staff_pay_the_value_and_the_policyholder_is_told_the_amount(alice, dave, policy):
    surrender = request_surrender(actor=dave, policy=policy, now=NOTICE, refund_account=ACCOUNT)
    with pytest.raises(ValidationFailed) as wrong:
        record_surrender_refund(
            actor=dave, surrender=surrender, now=NOTICE, reference="TRX-1", amount="1.00"
        )
    assert wrong.value.details["field"] == "amount"
    with pytest.raises(NotPermitted):
        record_surrender_refund(actor=ursula(), surrender=surrender, now=NOTICE, reference="T")

    paid = record_surrender_refund(
        actor=dave, surrender=surrender, now=NOTICE + dt.timedelta(days=3), reference="TRX-88"
    )

    assert paid.case.status == SurrenderStatus.REFUNDED and paid.payment_reference == "TRX-88"
    clock = Clock.objects.get(case=surrender.case, name="refund")
    assert clock.stopped_at == NOTICE + dt.timedelta(days=3)
    told = Message.objects.get(dedupe_key__startswith="surrender-refunded", channel="portal")
    assert f"CNY {paid.amount:,.2f}" in told.body and "TRX-88" in told.body
    with pytest.raises(Conflict):
        record_surrender_refund(actor=dave, surrender=paid, now=NOTICE, reference="TRX-89")


def test_in_the_cooling_off_period_the_policy_is_cancelled_instead(alice, policy):
    with pytest.raises(InvalidTransition) as refused:
        request_surrender(
            actor=alice.user,
            policy=policy,
            now=ISSUED + dt.timedelta(days=3),
            refund_account=ACCOUNT,
        )
    assert "cooling-off" in refused.value.message
    assert not Surrender.objects.exists()


def test_bad_input_names_the_field_and_writes_nothing(alice, mallory, policy):
    with pytest.raises(ValidationFailed) as empty:
        request_surrender(actor=alice.user, policy=policy, now=NOTICE, refund_account="  ")
    assert empty.value.details["field"] == "refund_account"
    with pytest.raises(ValidationFailed) as long:
        request_surrender(
            actor=alice.user, policy=policy, now=NOTICE, refund_account=ACCOUNT, reason="x" * 501
        )
    assert long.value.details["field"] == "reason"
    with pytest.raises(NotPermitted):
        request_surrender(actor=mallory.user, policy=policy, now=NOTICE, refund_account=ACCOUNT)
    policy.refresh_from_db()
    assert policy.status == PolicyStatus.IN_FORCE and not Surrender.objects.exists()


def test_a_policy_is_surrendered_once(alice, policy):
    request_surrender(actor=alice.user, policy=policy, now=NOTICE, refund_account=ACCOUNT)
    with pytest.raises(InvalidTransition):
        request_surrender(actor=alice.user, policy=policy, now=NOTICE, refund_account=ACCOUNT)
    assert Surrender.objects.count() == 1


def test_home_cover_refunds_the_unexpired_premium_less_10_percent_il_54(dave, alice, versions):
    policy = home(dave, alice, versions)
    for item in policy.instalments.order_by("due_date")[:4]:
        pay(None, item, at(item.due_date))
    on = dt.date(2026, 6, 10)  # the June premium (2 June to 1 July) is running

    surrender = request_surrender(
        actor=alice.user, policy=policy, now=at(on), refund_account=ACCOUNT
    )

    june = policy.instalments.get(due_date=dt.date(2026, 6, 2)).amount
    unexpired = (june * 21 / 30).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)  # 11 June-1 July
    charge = (unexpired / 10).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert surrender.value["method"] == "unearned_premium"
    assert surrender.amount == unexpired - charge


def test_a_suspended_policy_may_be_surrendered_and_its_arrears_case_ends(alice, policy):
    send_demand_notices(now=at(dt.date(2027, 3, 3), hour=9))
    suspend_unpaid_policies(now=at(dt.date(2027, 4, 3), hour=1))

    surrender = request_surrender(
        actor=alice.user, policy=policy, now=at(dt.date(2027, 5, 5)), refund_account=ACCOUNT
    )

    arrears = Arrears.objects.get(policy=policy)
    assert arrears.case.status == ArrearsStatus.TERMINATED and arrears.ended_at is not None
    assert surrender.amount == expected_cash_value(policy, dt.date(2027, 3, 1))  # year 1's end


def test_the_termination_letter_now_states_the_cash_value_cn_16(policy):
    send_demand_notices(now=at(dt.date(2027, 3, 3), hour=9))
    suspend_unpaid_policies(now=at(dt.date(2027, 4, 3), hour=1))

    policy.refresh_from_db()
    terminate_suspended_policy(actor=None, policy=policy, now=at(dt.date(2029, 4, 4), hour=1))

    letter = Letter.objects.get(kind="policy_termination")
    assert letter.context["cash_value_known"] is True
    assert Decimal(letter.context["cash_value"]["amount"]) == expected_cash_value(
        policy, dt.date(2027, 3, 1)
    )


# -- pages and API -------------------------------------------------------------------------------


def test_the_portal_asks_for_the_tick_beside_its_field_then_takes_the_notice(client, alice, policy):
    client.force_login(alice.user)
    url = f"/portal/policies/{policy.number}/surrender/"
    with time_machine.travel(NOTICE, tick=False):
        page = client.get(f"/portal/policies/{policy.number}/")
        refused = client.post(url, {"refund_account": ACCOUNT})
        taken = client.post(url, {"refund_account": ACCOUNT, "confirm": "on"})

    quote = expected_cash_value(policy, NOTICE.date())
    assert f"CNY {quote}" in page.content.decode()
    schedule = page.content.decode().split('id="cash-values"')[1].split("</details>")[0]
    year_one = (policy.premium * Decimal("0.036")).quantize(Decimal("0.01"))
    assert f"<td>3.6%</td><td>CNY {year_one}</td>" in schedule
    assert schedule.count("<tr><td>") == 10  # a ten-year term
    assert refused.status_code == 200
    assert "Tick the box to confirm that the cover ends today." in refused.content.decode()
    assert taken.status_code == 302 and taken["Location"].endswith("#surrender")
    policy.refresh_from_db()
    assert policy.status == PolicyStatus.SURRENDERED


def test_another_customer_gets_404_and_a_claims_handler_403(client, mallory, bob, policy):
    client.force_login(mallory.user)
    with time_machine.travel(NOTICE, tick=False):
        assert client.get(f"/portal/policies/{policy.number}/").status_code == 404
        posted = client.post(
            f"/portal/policies/{policy.number}/surrender/",
            {"refund_account": ACCOUNT, "confirm": "on"},
        )
        assert posted.status_code == 404
        client.force_login(bob)
        console = client.post(
            f"/console/policies/{policy.number}/surrender/",
            {"refund_account": ACCOUNT, "confirm": "on"},
        )
    assert console.status_code == 403
    assert not Surrender.objects.exists()


def test_staff_record_the_notice_and_the_refund_in_the_console(client, dave, policy):
    client.force_login(dave)
    with time_machine.travel(NOTICE, tick=False):
        taken = client.post(
            f"/console/policies/{policy.number}/surrender/",
            {"refund_account": ACCOUNT, "reason": "at the counter", "confirm": "on"},
        )
        refused = client.post(f"/console/policies/{policy.number}/surrender/refund/", {})
        paid = client.post(
            f"/console/policies/{policy.number}/surrender/refund/", {"reference": "TRX-5"}
        )
        case = Surrender.objects.get().case
        queue_link = client.get(f"/console/surrenders/{case.reference}/")

    assert taken.status_code == 302
    assert refused.status_code == 200 and "This field is required." in refused.content.decode()
    assert paid.status_code == 302
    assert Surrender.objects.get().case.status == SurrenderStatus.REFUNDED
    assert queue_link["Location"] == f"/console/policies/{policy.number}/#surrender"


def test_the_api_quotes_then_surrenders_and_hides_other_customers_policies(
    client, alice, mallory, policy, auth_headers
):
    base = f"/api/v1/policies/{policy.number}"
    with time_machine.travel(NOTICE, tick=False):
        quote = client.get(f"{base}/surrender-value", headers=auth_headers(alice.user))
        hidden = client.get(f"{base}/surrender-value", headers=auth_headers(mallory.user))
        empty = client.post(
            f"{base}/surrender",
            {"refund_account": ""},
            content_type="application/json",
            headers=auth_headers(alice.user),
        )
        taken = client.post(
            f"{base}/surrender",
            {"refund_account": ACCOUNT},
            content_type="application/json",
            headers=auth_headers(alice.user),
        )
        self_refund = client.post(
            f"{base}/surrender/refund",
            {"reference": "X"},
            content_type="application/json",
            headers=auth_headers(alice.user),
        )

    assert quote.status_code == 200
    body = quote.json()
    assert body["can_surrender"] is True and body["method"] == "cash_value"
    assert Decimal(body["amount"]) == expected_cash_value(policy, NOTICE.date())
    assert hidden.status_code == 404
    assert empty.status_code == 422 and "refund_account" in empty.content.decode()
    assert taken.status_code == 201
    made = taken.json()
    assert made["reference"].startswith("SUR-") and made["status"] == "refund_due"
    assert made["refund_by"] == REFUND_BY.isoformat() and made["letter"]
    assert self_refund.status_code == 403


def test_a_policy_worth_nothing_that_day_closes_at_once_with_nothing_due(alice, policy):
    version = policy.product_version
    version.surrender_terms = {"method": "cash_value", "year_end_percent": ["0"]}
    version.save(update_fields=["surrender_terms"])

    surrender = request_surrender(
        actor=alice.user, policy=policy, now=NOTICE, refund_account=ACCOUNT
    )

    assert surrender.amount == 0
    assert surrender.case.status == SurrenderStatus.NOTHING_DUE and surrender.case.closed_at
    assert Clock.objects.get(case=surrender.case, name="refund").stopped_at == NOTICE
    told = Message.objects.get(dedupe_key__startswith="surrender:", channel="portal")
    assert "nothing to refund" in told.body


def test_without_surrender_terms_staff_state_the_amount_they_pay(alice, dave, policy):
    version = policy.product_version
    version.surrender_terms = {}
    version.save(update_fields=["surrender_terms"])
    surrender = request_surrender(
        actor=alice.user, policy=policy, now=NOTICE, refund_account=ACCOUNT
    )
    assert surrender.amount is None and surrender.value == {}
    assert (
        "the surrender value"
        in Message.objects.get(dedupe_key__startswith="surrender:", channel="portal").body
    )

    with pytest.raises(ValidationFailed) as missing:
        record_surrender_refund(actor=dave, surrender=surrender, now=NOTICE, reference="TRX-2")
    assert missing.value.details["field"] == "amount"
    paid = record_surrender_refund(
        actor=dave, surrender=surrender, now=NOTICE, reference="TRX-2", amount="88.20"
    )
    assert paid.amount == Decimal("88.20") and paid.case.status == SurrenderStatus.REFUNDED


def test_surrendered_in_the_grace_period_the_demand_ends_with_the_contract(alice, policy):
    send_demand_notices(now=at(dt.date(2027, 3, 3), hour=9))  # the second premium, unpaid

    request_surrender(
        actor=alice.user, policy=policy, now=at(dt.date(2027, 3, 10)), refund_account=ACCOUNT
    )

    arrears = Arrears.objects.get(policy=policy)
    assert arrears.case.status == ArrearsStatus.TERMINATED
    assert policy.instalments.get(due_date=dt.date(2027, 3, 2)).status == InstalmentStatus.WAIVED


def test_the_premiums_work_list_shows_the_values_to_pay_with_their_day(
    client, dave, alice, mallory, versions, policy, django_assert_max_num_queries
):
    request_surrender(actor=alice.user, policy=policy, now=NOTICE, refund_account=ACCOUNT)
    other = paid_first(dave, mallory, versions)
    request_surrender(actor=mallory.user, policy=other, now=NOTICE, refund_account="BOC 9")

    client.force_login(dave)
    after_cn_14 = time_machine.travel(at(dt.date(2026, 7, 13)), tick=False)  # past 30 days
    with after_cn_14, django_assert_max_num_queries(10):  # as many as with none to pay
        page = client.get("/console/premiums/").content.decode()

    section = page.split('id="refunds"')[1].split('id="agreed"')[0]
    assert policy.number in section and ACCOUNT in section
    assert "<strong>2026-07-10</strong>" in section and "late" in section


def test_a_case_url_given_another_kinds_reference_is_404_not_a_failure(client, dave, alice, policy):
    surrender = request_surrender(
        actor=alice.user, policy=policy, now=NOTICE, refund_account=ACCOUNT
    )
    client.force_login(dave)

    # A surrender's reference in the arrears URL (and the reverse) finds nothing here.
    assert client.get(f"/console/arrears/{surrender.case.reference}/").status_code == 404
    assert client.get(f"/console/surrenders/{surrender.case.reference}/").status_code == 302


def test_recording_a_refund_on_a_policy_not_surrendered_is_404(client, dave, policy, auth_headers):
    client.force_login(dave)
    page = client.post(f"/console/policies/{policy.number}/surrender/refund/", {"reference": "T"})
    api = client.post(
        f"/api/v1/policies/{policy.number}/surrender/refund",
        {"reference": "T"},
        content_type="application/json",
        headers=auth_headers(dave),
    )
    assert page.status_code == 404 and api.status_code == 404
