"""Paying a premium: exactly the instalment's amount, in order, once, with a receipt letter."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection

from insuredesk.casework.models import Case
from insuredesk.documents.models import Letter
from insuredesk.errors import Conflict, InvalidTransition, NotPermitted, ValidationFailed
from insuredesk.notifications.models import Message
from insuredesk.policies.choices import (
    InstalmentStatus,
    PaymentMethod,
    PolicyStatus,
    PremiumFrequency,
)
from insuredesk.policies.models import PremiumInstalment, PremiumPayment
from insuredesk.policies.services import premium_position
from insuredesk.policies.tests.premiums import (
    ISSUED,
    SECOND_DUE,
    at,
    demo_versions,
    first,
    home,
    instalment,
    paid_first,
    pay,
    term_life,
)
from insuredesk.tests import factories


@pytest.fixture
def versions(db):
    return demo_versions()


def test_the_policyholder_pays_the_first_premium_and_gets_a_receipt_in_the_portal(
    dave, alice, versions
):
    policy = term_life(dave, alice, versions)
    due = first(policy)

    payment = pay(alice.user, due, ISSUED, reference="AUTH-778812")

    due.refresh_from_db()
    assert (due.status, due.paid_at, due.payment_reference) == (
        InstalmentStatus.PAID,
        ISSUED,
        "AUTH-778812",
    )
    assert payment.number == "PRM-2026-000001"
    assert (payment.amount, payment.currency, payment.method) == (
        due.amount,
        "CNY",
        PaymentMethod.BANK_CARD,
    )
    assert payment.recorded_by == alice.user
    receipt = payment.receipt
    assert receipt.kind == "premium_receipt" and receipt.language == "en"
    assert receipt.context["receipt_number"] == payment.number
    assert receipt.context["reference"] == "AUTH-778812"
    sent = Message.objects.filter(letter=receipt)
    assert {m.channel for m in sent} == {"portal", "email"}
    assert "receipt PRM-2026-000001" in sent.first().subject


def test_a_chinese_reader_on_a_cn_policy_gets_the_receipt_in_chinese(dave, versions):
    holder = factories.make_customer("li", full_name="Li Na")
    holder.language = "zh"
    holder.save(update_fields=["language"])
    policy = term_life(dave, holder, versions)

    payment = pay(holder.user, first(policy), ISSUED)

    assert payment.receipt.language == "zh"
    assert payment.receipt.template_name == "letters/premium_receipt/cn.zh.html"
    assert payment.receipt.title.startswith("保险费收据")


@pytest.mark.parametrize(
    ("amount", "reason"),
    [("100.00", "part payment"), ("99999.00", "overpayment"), ("1,000", "not a decimal")],
)
def test_the_amount_must_be_the_instalments_exactly(dave, alice, versions, amount, reason):
    due = first(term_life(dave, alice, versions))

    with pytest.raises(ValidationFailed) as refused:
        pay(alice.user, due, ISSUED, amount=amount)

    assert refused.value.details["field"] == "amount", reason
    assert not PremiumPayment.objects.exists()
    due.refresh_from_db()
    assert due.status == InstalmentStatus.DUE


def test_the_refusal_names_the_amount_due(dave, alice, versions):
    due = first(term_life(dave, alice, versions))

    with pytest.raises(ValidationFailed) as refused:
        pay(alice.user, due, ISSUED, amount="1.00")

    assert f"CNY {due.amount}" in refused.value.message
    assert refused.value.details["expected"] == str(due.amount)


def test_the_currency_must_be_the_policys(dave, alice, versions):
    due = first(term_life(dave, alice, versions))

    with pytest.raises(ValidationFailed) as refused:
        pay(alice.user, due, ISSUED, currency="USD")

    assert refused.value.details["field"] == "currency"


def test_a_reference_is_required(dave, alice, versions):
    due = first(term_life(dave, alice, versions))

    with pytest.raises(ValidationFailed) as refused:
        pay(alice.user, due, ISSUED, reference="  ")

    assert refused.value.details["field"] == "reference"


def test_an_unknown_method_is_refused_with_the_methods_listed(dave, alice, versions):
    due = first(term_life(dave, alice, versions))

    with pytest.raises(ValidationFailed) as refused:
        pay(alice.user, due, ISSUED, method="bitcoin")

    assert refused.value.details["field"] == "method"
    assert "bank_card" in refused.value.message


def test_cash_is_taken_at_the_counter_by_staff_not_declared_by_the_customer(dave, alice, versions):
    due = first(term_life(dave, alice, versions))

    with pytest.raises(ValidationFailed) as refused:
        pay(alice.user, due, ISSUED, method=PaymentMethod.CASH)
    assert "counter" in refused.value.message

    payment = pay(dave, due, ISSUED, method=PaymentMethod.CASH, reference="SLIP-0042")
    assert payment.method == PaymentMethod.CASH and payment.recorded_by == dave
    assert payment.receipt.context["method"] == "Cash at the counter"


def test_mallory_cannot_pay_alices_premium(dave, alice, mallory, versions):
    due = first(term_life(dave, alice, versions))

    with pytest.raises(NotPermitted):
        pay(mallory.user, due, ISSUED)


def test_a_claims_handler_does_not_take_premiums(dave, alice, bob, versions):
    due = first(term_life(dave, alice, versions))

    with pytest.raises(NotPermitted):
        pay(bob, due, ISSUED)


def test_a_paid_premium_cannot_be_paid_twice(dave, alice, versions):
    due = first(term_life(dave, alice, versions))
    pay(alice.user, due, ISSUED)

    with pytest.raises(InvalidTransition):
        pay(alice.user, PremiumInstalment.objects.get(pk=due.pk), ISSUED, reference="AUTH-2")
    # The caller's stale copy still says "due": the compare-and-set refuses it all the same.
    with pytest.raises(InvalidTransition):
        pay(alice.user, due, ISSUED, reference="AUTH-3")

    assert PremiumPayment.objects.count() == 1


def test_premiums_are_paid_in_order(dave, alice, versions):
    policy = home(dave, alice, versions)
    months = list(policy.instalments.order_by("due_date"))

    with pytest.raises(ValidationFailed) as refused:
        pay(alice.user, months[1], at(months[1].due_date))

    assert refused.value.details["field"] == "due_date"
    assert months[0].due_date.isoformat() in refused.value.message


def test_a_premium_opens_for_payment_15_days_before_it_falls_due_svc_11(dave, alice, versions):
    policy = paid_first(dave, alice, versions)
    second = instalment(policy, SECOND_DUE)

    with pytest.raises(ValidationFailed) as refused:
        pay(alice.user, second, at(dt.date(2027, 2, 14)))
    assert "2027-02-15" in refused.value.message

    assert pay(alice.user, second, at(dt.date(2027, 2, 15))).instalment == second


def test_an_overdue_premium_in_the_grace_period_can_be_paid(dave, alice, versions):
    policy = paid_first(dave, alice, versions)

    payment = pay(alice.user, instalment(policy, SECOND_DUE), at(dt.date(2027, 3, 20)))

    assert payment.instalment.status == InstalmentStatus.PAID


def test_a_suspended_policy_takes_no_premium_until_reinstatement_is_agreed(dave, alice, versions):
    from insuredesk.policies.services import suspend_for_arrears

    policy = paid_first(dave, alice, versions)
    policy = suspend_for_arrears(actor=None, policy=policy, now=at(dt.date(2027, 5, 6)))

    with pytest.raises(InvalidTransition) as refused:
        pay(alice.user, instalment(policy, SECOND_DUE), at(dt.date(2027, 5, 7)))

    assert "reinstate" in refused.value.message
    assert refused.value.details["status"] == PolicyStatus.SUSPENDED


def test_a_cancelled_policy_takes_no_premium(dave, alice, versions):
    from insuredesk.policies.services import cancel_in_cooling_off

    policy = term_life(dave, alice, versions)
    due = first(policy)
    cancel_in_cooling_off(actor=alice.user, policy=policy, now=ISSUED)

    with pytest.raises(InvalidTransition):
        pay(alice.user, PremiumInstalment.objects.get(pk=due.pk), ISSUED)


def test_the_system_records_a_direct_debit_collection_without_a_person(dave, alice, versions):
    payment = pay(
        None, first(term_life(dave, alice, versions)), ISSUED, method=PaymentMethod.DIRECT_DEBIT
    )

    assert payment.recorded_by is None and payment.method == PaymentMethod.DIRECT_DEBIT


def test_receipt_numbers_run_in_sequence_by_year(dave, alice, versions):
    policy = term_life(dave, alice, versions, frequency=PremiumFrequency.MONTHLY)
    months = list(policy.instalments.order_by("due_date")[:2])

    numbers = [pay(alice.user, m, at(m.due_date)).number for m in months]

    assert numbers == ["PRM-2026-000001", "PRM-2026-000002"]


def test_the_position_offers_the_earliest_open_premium_to_pay(dave, alice, versions):
    policy = paid_first(dave, alice, versions)

    early = premium_position(policy, now=at(dt.date(2027, 2, 1)))
    assert early.payable is None and early.pay_from == dt.date(2027, 2, 15)
    assert early.next_due.due_date == SECOND_DUE and early.arrears == Decimal("0.00")

    late = premium_position(policy, now=at(dt.date(2027, 3, 10)))
    assert late.payable.due_date == SECOND_DUE
    assert late.arrears == late.payable.amount
    # No demand yet: 60 days after the due date, moved off the May Day holidays (CN-15).
    assert late.covered_until == dt.date(2027, 5, 5)
    assert late.suspends_on == dt.date(2027, 5, 6)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_payments_of_one_premium_take_it_once(dave, alice):
    if connection.vendor != "postgresql":
        pytest.skip("row locking is exercised on PostgreSQL")
    versions = demo_versions()
    due = first(term_life(dave, alice, versions))
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit(reference: str) -> None:
        try:
            mine = PremiumInstalment.objects.select_related("policy").get(pk=due.pk)
            barrier.wait()
            pay(alice.user, mine, ISSUED, reference=reference)
            outcomes.append("paid")
        except (InvalidTransition, Conflict):
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(ref,)) for ref in ("AUTH-1", "AUTH-2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["paid", "refused"]
    assert PremiumPayment.objects.count() == 1
    assert Letter.objects.filter(kind="premium_receipt").count() == 1
    assert not Case.objects.exists()
