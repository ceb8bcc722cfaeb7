"""Cancelling a policy in its cooling-off period: how long the period is, by jurisdiction and
product (CN-09 HM Art. 15, CN-10, GB-01 ICOBS 7.1.1R, or the contract's own), and what the
cancellation does: the policy is undone, every premium paid is owed back, a letter confirms it.
"""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from insuredesk.catalog.loading import load_demo_catalogue
from insuredesk.catalog.models import ProductVersion
from insuredesk.documents.models import Letter
from insuredesk.errors import InvalidTransition, NotPermitted, ValidationFailed
from insuredesk.notifications.models import Message
from insuredesk.policies.choices import InstalmentStatus, PolicyStatus
from insuredesk.policies.models import Cancellation
from insuredesk.policies.services import (
    cancel_in_cooling_off,
    cooling_off_period,
    issue_policy,
    record_premium_payment,
)
from insuredesk.tests.factories import demo_product_in

SHANGHAI = ZoneInfo("Asia/Shanghai")
LONDON = ZoneInfo("Europe/London")
ISSUED = dt.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)  # a Monday


@pytest.fixture
def versions(db):
    load_demo_catalogue()
    return {v.product.code: v for v in ProductVersion.objects.select_related("product")}


def issue(actor, holder, version, *, now=ISSUED, **overrides):
    arguments = {
        "actor": actor,
        "product_version": version,
        "policyholder": holder,
        "insured_name": holder.full_name,
        "insured_date_of_birth": dt.date(1990, 6, 15),
        "sum_insured": Decimal("500000"),
        "term_years": 20,
        "rating_inputs": {},
        "start_date": now.astimezone(SHANGHAI if holder.jurisdiction == "CN" else LONDON).date(),
        "now": now,
    }
    arguments.update(overrides)
    return issue_policy(**arguments)


def motor(dave, holder, version, *, now=ISSUED):
    inputs = {"vehicle_value": "250000", "driver_age": 42, "claim_free_years": 3}
    return issue(
        dave, holder, version, now=now, sum_insured=Decimal("250000"), term_years=1,
        rating_inputs=inputs,
    )  # fmt: skip


def paid_first_premium(dave, policy):
    first = policy.instalments.order_by("due_date").first()
    record_premium_payment(
        actor=dave,
        instalment=first,
        amount=first.amount,
        currency=policy.currency,
        method="bank_transfer",
        reference="BANK-1",
        now=ISSUED,
    )
    return first.amount


# -- how long ----------------------------------------------------------------------------------


def test_cn_long_term_health_cover_has_15_days_from_receipt_cn_09_hm_15(dave, alice, versions):
    policy = issue(dave, alice, versions["harbour-critical-illness"])

    period = cooling_off_period(policy)

    assert period.received_on == dt.date(2026, 3, 2)
    assert period.ends_on == dt.date(2026, 3, 17)
    assert period.rule == "CN-09"
    assert period.basis == "CN-09, HM Art. 15: 15 days"


def test_cn_long_term_life_cover_takes_the_unconfirmed_15_day_default_cn_10(dave, alice, versions):
    period = cooling_off_period(issue(dave, alice, versions["harbour-term-life"]))

    assert (period.rule, period.ends_on) == ("CN-10", dt.date(2026, 3, 17))


def test_cn_motor_cover_has_no_statutory_period_so_the_contracts_applies(dave, alice, versions):
    period = cooling_off_period(motor(dave, alice, versions["harbour-motor"]))

    assert period.rule is None
    assert period.basis == "the contract: 15 days"
    assert period.ends_on == dt.date(2026, 3, 17)


def test_cn_statutory_last_day_on_a_holiday_moves_to_the_next_working_day_cn_09(
    dave, alice, versions
):
    # 15 days from 16 September 2026 is 1 October, National Day: the holiday runs to 7 October.
    issued = dt.datetime(2026, 9, 16, 10, 0, tzinfo=SHANGHAI)
    policy = issue(dave, alice, versions["harbour-critical-illness"], now=issued)

    period = cooling_off_period(policy)

    assert period.rule == "CN-09"
    assert period.ends_on == dt.date(2026, 10, 8)


def test_gb_pure_protection_may_be_cancelled_for_30_days_gb_01_icobs_7_1_1(dave, alice, versions):
    alice.jurisdiction = "GB"
    alice.save()
    policy = issue(dave, alice, demo_product_in("harbour-term-life", "GB"))

    period = cooling_off_period(policy)

    assert (period.rule, period.ends_on) == ("GB-01", dt.date(2026, 4, 1))


def test_gb_motor_takes_the_longer_of_14_statutory_days_and_the_contracts_15_gb_01(
    dave, alice, versions
):
    alice.jurisdiction = "GB"
    alice.save()
    # The Chinese motor wording's 15 days, sold in the UK: longer than the statutory 14.
    period = cooling_off_period(motor(dave, alice, demo_product_in("harbour-motor", "GB")))

    assert period.rule is None
    assert period.ends_on == dt.date(2026, 3, 17)


def test_uk_motor_gives_the_14_days_of_gb_01_other_icobs_7_1_1(dave, alice, versions):
    alice.jurisdiction = "GB"
    alice.save()
    inputs = {"vehicle_value": "25000", "driver_age": 42, "claim_free_years": 3}
    policy = issue(
        dave,
        alice,
        versions["harbour-motor-uk"],
        sum_insured=Decimal("25000"),
        term_years=1,
        rating_inputs=inputs,
    )

    period = cooling_off_period(policy)

    assert (period.rule, period.ends_on) == ("GB-01.other", dt.date(2026, 3, 16))


# -- what cancelling does ----------------------------------------------------------------------


def test_cancelling_on_the_last_day_refunds_every_premium_paid_and_waives_the_rest(
    dave, alice, versions
):
    policy = issue(dave, alice, versions["harbour-critical-illness"])
    paid = paid_first_premium(dave, policy)
    last_evening = dt.datetime(2026, 3, 17, 23, 30, tzinfo=SHANGHAI)

    cancellation = cancel_in_cooling_off(
        actor=alice.user, policy=policy, now=last_evening, reason="  Found cheaper cover. "
    )

    policy.refresh_from_db()
    assert policy.status == PolicyStatus.CANCELLED
    assert cancellation.refund == paid > 0
    assert cancellation.reason == "Found cheaper cover."
    assert cancellation.period_ends_on == dt.date(2026, 3, 17)
    assert cancellation.requested_by == alice.user
    statuses = set(policy.instalments.values_list("status", flat=True))
    assert statuses == {InstalmentStatus.PAID, InstalmentStatus.WAIVED}


def test_the_cancellation_letter_confirms_the_refund_and_reaches_the_portal_and_email(
    dave, alice, versions
):
    policy = issue(dave, alice, versions["harbour-critical-illness"])
    paid = paid_first_premium(dave, policy)

    cancellation = cancel_in_cooling_off(actor=alice.user, policy=policy, now=ISSUED)

    letter = cancellation.letter
    assert letter.kind == "policy_cancellation"
    assert letter.customer == alice
    assert letter.file.read().startswith(b"%PDF")
    assert letter.context["refund"] == str(paid)
    assert letter.context["basis"] == "CN-09, HM Art. 15: 15 days"
    channels = set(Message.objects.filter(letter=letter).values_list("channel", flat=True))
    assert channels == {"portal", "email"}


def test_a_cn_policyholder_who_reads_chinese_gets_the_confirmation_in_chinese(
    dave, alice, versions
):
    alice.language = "zh"
    alice.save()
    policy = issue(dave, alice, versions["harbour-critical-illness"])

    letter = cancel_in_cooling_off(actor=alice.user, policy=policy, now=ISSUED).letter

    assert (letter.language, letter.template_name) == (
        "zh",
        "letters/policy_cancellation/cn.zh.html",
    )
    assert letter.title == "犹豫期内解除保险合同确认书"
    assert letter.context["rule_source"] == "HM Art. 15"


def test_the_day_after_the_period_the_policy_can_only_be_surrendered(dave, alice, versions):
    policy = issue(dave, alice, versions["harbour-critical-illness"])
    day_after = dt.datetime(2026, 3, 18, 0, 5, tzinfo=SHANGHAI)

    with pytest.raises(InvalidTransition) as excinfo:
        cancel_in_cooling_off(actor=alice.user, policy=policy, now=day_after)

    assert "ended on 2026-03-17" in excinfo.value.message
    policy.refresh_from_db()
    assert policy.status == PolicyStatus.IN_FORCE
    assert not Cancellation.objects.exists() and not Letter.objects.exists()


def test_a_policy_with_a_reported_claim_is_not_undone_for_a_full_refund(dave, alice, versions):
    from insuredesk.claims.tests.factories import report

    policy = motor(dave, alice, versions["harbour-motor"])
    report(policy, now=ISSUED + dt.timedelta(days=3), loss_type="collision")

    with pytest.raises(InvalidTransition) as excinfo:
        cancel_in_cooling_off(actor=alice.user, policy=policy, now=ISSUED + dt.timedelta(days=4))

    assert "claim has been reported" in excinfo.value.message
    assert not Cancellation.objects.exists()


def test_a_policy_is_cancelled_once(dave, alice, versions):
    policy = issue(dave, alice, versions["harbour-critical-illness"])
    cancel_in_cooling_off(actor=alice.user, policy=policy, now=ISSUED)

    with pytest.raises(InvalidTransition):
        cancel_in_cooling_off(actor=alice.user, policy=policy, now=ISSUED)
    assert Cancellation.objects.count() == 1


def test_an_agent_may_record_the_request_but_another_customer_may_not(
    dave, alice, mallory, versions
):
    policy = issue(dave, alice, versions["harbour-critical-illness"])
    with pytest.raises(NotPermitted):
        cancel_in_cooling_off(actor=mallory.user, policy=policy, now=ISSUED)

    cancellation = cancel_in_cooling_off(actor=dave, policy=policy, now=ISSUED)

    assert cancellation.requested_by == dave


def test_an_oversized_reason_names_the_field_and_writes_nothing(dave, alice, versions):
    policy = issue(dave, alice, versions["harbour-critical-illness"])

    with pytest.raises(ValidationFailed) as excinfo:
        cancel_in_cooling_off(actor=alice.user, policy=policy, now=ISSUED, reason="x" * 501)

    assert excinfo.value.details["field"] == "reason"
    policy.refresh_from_db()
    assert policy.status == PolicyStatus.IN_FORCE


# -- the API and the portal --------------------------------------------------------------------


def test_api_shows_the_period_then_cancels_and_shows_the_cancellation(
    client, dave, alice, versions, auth_headers
):
    policy = issue(dave, alice, versions["harbour-critical-illness"])
    headers = auth_headers(alice.user)
    url = f"/api/v1/policies/{policy.number}"

    with time_machine.travel(dt.datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI), tick=False):
        before = client.get(url, headers=headers).json()
        response = client.post(
            f"{url}/cancel", {"reason": "Changed my mind"}, content_type="application/json",
            headers=headers,
        )  # fmt: skip
        after = client.get(url, headers=headers).json()
        again = client.post(f"{url}/cancel", {}, content_type="application/json", headers=headers)

    assert before["cooling_off"] == {
        "received_on": "2026-03-02",
        "ends_on": "2026-03-17",
        "basis": "CN-09, HM Art. 15: 15 days",
        "rule": "CN-09",
    }
    assert response.status_code == 201
    body = response.json()
    assert body["refund"] == "0.00" and body["reason"] == "Changed my mind"
    assert body["letter"] == str(Letter.objects.get().public_id)
    assert after["status"] == "cancelled" and after["cooling_off"] is None
    assert after["cancellation"]["period_ends_on"] == "2026-03-17"
    assert again.status_code == 409


def test_api_refuses_after_the_period_with_409_and_another_customers_policy_with_404(
    client, dave, alice, mallory, versions, auth_headers
):
    policy = issue(dave, alice, versions["harbour-critical-illness"])
    url = f"/api/v1/policies/{policy.number}/cancel"

    with time_machine.travel(dt.datetime(2026, 3, 20, 9, 0, tzinfo=SHANGHAI), tick=False):
        late = client.post(
            url, {}, content_type="application/json", headers=auth_headers(alice.user)
        )
        detail = client.get(f"/api/v1/policies/{policy.number}", headers=auth_headers(alice.user))
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI), tick=False):
        foreign = client.post(
            url, {}, content_type="application/json", headers=auth_headers(mallory.user)
        )
        unknown_field = client.post(
            url, {"confirm": True}, content_type="application/json",
            headers=auth_headers(alice.user),
        )  # fmt: skip

    assert late.status_code == 409
    assert "ended on 2026-03-17" in late.json()["error"]["message"]
    assert detail.json()["cooling_off"] is None
    assert foreign.status_code == 404
    assert unknown_field.status_code == 422
    policy.refresh_from_db()
    assert policy.status == PolicyStatus.IN_FORCE


def test_portal_asks_for_confirmation_then_cancels_and_shows_the_letter(
    client, dave, alice, versions
):
    policy = issue(dave, alice, versions["harbour-critical-illness"])
    client.force_login(alice.user)
    page = f"/portal/policies/{policy.number}/"

    with time_machine.travel(dt.datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI), tick=False):
        listed = client.get("/portal/").content.decode()
        offered = client.get(page).content.decode()
        unconfirmed = client.post(f"{page}cancel/", {"reason": "x"}, follow=True)
        policy.refresh_from_db()
        status_unconfirmed = policy.status
        client.post(f"{page}cancel/", {"confirm": "yes"})
        shown = client.get(page).content.decode()
        listed_after = client.get("/portal/").content.decode()

    assert 'id="cooling-off"' in offered and "17 March 2026" in offered
    assert "cancel it for a full refund until 17 March 2026" in listed
    assert "full refund until" not in listed_after
    assert "Tick the box to confirm" in unconfirmed.content.decode()
    assert status_unconfirmed == PolicyStatus.IN_FORCE
    assert 'id="cancellation"' in shown and 'id="cooling-off"' not in shown
    assert str(Letter.objects.get().public_id) in shown


def test_an_agent_cancels_from_the_console_at_the_policyholders_request_a_claims_handler_cannot(
    client, dave, bob, alice, versions
):
    policy = issue(dave, alice, versions["harbour-critical-illness"])
    url = f"/console/policies/{policy.number}/cancel/"
    form = {"confirm": "yes", "reason": "Phoned on 10 March: cover through her employer."}

    with time_machine.travel(dt.datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI), tick=False):
        client.force_login(bob)
        refused = client.post(url, form)
        client.force_login(dave)
        offered = client.get(f"/console/policies/{policy.number}/").content.decode()
        client.post(url, form)

    assert refused.status_code == 403
    assert 'id="cooling-off"' in offered and "2026-03-17" in offered
    cancellation = Cancellation.objects.get(policy=policy)
    assert cancellation.requested_by == dave
    assert cancellation.reason.startswith("Phoned on 10 March")
