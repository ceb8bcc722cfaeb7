"""The premium pages: the portal policy page (pay, receipts, arrears, reinstatement), the portal
home's flags, the console policy page and the "Premiums" work list. Wiring only."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from insuredesk.casework.models import CaseAccess
from insuredesk.policies.choices import ArrearsStatus, InstalmentStatus
from insuredesk.policies.models import Arrears, PremiumPayment, Reinstatement
from insuredesk.policies.services import (
    apply_for_reinstatement,
    send_demand_notices,
    suspend_unpaid_policies,
)
from insuredesk.policies.services.reinstatement import MAX_STATEMENT
from insuredesk.policies.tests.premiums import (
    ISSUED,
    SECOND_DUE,
    at,
    demo_versions,
    first,
    instalment,
    paid_first,
    term_life,
    ursula,
)

IN_GRACE = at(dt.date(2027, 3, 10))
APPLIED = at(dt.date(2027, 4, 12))


@pytest.fixture
def versions(db):
    return demo_versions()


@pytest.fixture
def overdue(dave, alice, versions):
    """Alice's term life, second premium demanded and unpaid."""
    policy = paid_first(dave, alice, versions)
    send_demand_notices(now=at(dt.date(2027, 3, 3), hour=9))
    return policy


@pytest.fixture
def suspended(overdue):
    suspend_unpaid_policies(now=at(dt.date(2027, 4, 3), hour=1))
    overdue.refresh_from_db()
    return overdue


def form_for(item, **overrides):
    data = {
        "due_date": item.due_date.isoformat(),
        "amount": str(item.amount),
        "currency": "CNY",
        "method": "bank_transfer",
        "reference": "ICBC-20270310-0042",
    }
    return data | overrides


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# -- portal ----------------------------------------------------------------------------------


def test_the_portal_page_shows_the_overdue_premium_and_the_day_cover_would_stop(
    client, alice, overdue
):

    with time_machine.travel(IN_GRACE, tick=False):
        client.force_login(alice.user)
        page = text(client.get(f"/portal/policies/{overdue.number}/"))

    assert 'id="overdue"' in page
    assert "covered until 24:00 on <strong>2 April 2027</strong>" in page
    assert "suspended from 3 April 2027" in page
    assert 'id="pay"' in page and "Record your payment of the premium due 2 March 2027" in page
    assert "Demand notice" in page


def test_alice_pays_from_the_portal_and_gets_her_receipt(client, alice, overdue):
    due = instalment(overdue, SECOND_DUE)

    with time_machine.travel(IN_GRACE, tick=False):
        client.force_login(alice.user)
        response = client.post(f"/portal/policies/{overdue.number}/pay/", form_for(due))
        page = text(client.get(response["Location"]))

    assert response.status_code == 302 and response["Location"].endswith("#premiums")
    payment = PremiumPayment.objects.get(instalment=due)
    assert payment.method == "bank_transfer" and payment.recorded_by == alice.user
    assert f"Receipt {payment.number} is in your letters" in page
    assert f"Receipt {payment.number}" in page
    assert Arrears.objects.get(policy=overdue).case.status == ArrearsStatus.CLEARED


def test_a_changed_amount_is_refused_beside_the_field_and_nothing_is_written(
    client, alice, overdue
):
    due = instalment(overdue, SECOND_DUE)

    with time_machine.travel(IN_GRACE, tick=False):
        client.force_login(alice.user)
        response = client.post(
            f"/portal/policies/{overdue.number}/pay/", form_for(due, amount="100.00")
        )

    assert response.status_code == 200
    page = text(response)
    assert 'class="field has-error"' in page and "pay exactly that amount" in page
    assert PremiumPayment.objects.count() == 1  # the first premium's, paid at issue
    assert instalment(overdue, SECOND_DUE).status == InstalmentStatus.DUE


def test_a_customer_is_not_offered_cash(client, alice, overdue):

    with time_machine.travel(IN_GRACE, tick=False):
        client.force_login(alice.user)
        page = text(client.get(f"/portal/policies/{overdue.number}/"))
        refused = client.post(
            f"/portal/policies/{overdue.number}/pay/",
            form_for(instalment(overdue, SECOND_DUE), method="cash"),
        )

    assert 'value="cash"' not in page
    assert refused.status_code == 200 and PremiumPayment.objects.count() == 1


def test_mallory_gets_404_on_alices_pages_and_actions(client, mallory, overdue):
    due = instalment(overdue, SECOND_DUE)

    with time_machine.travel(IN_GRACE, tick=False):
        client.force_login(mallory.user)
        assert client.get(f"/portal/policies/{overdue.number}/").status_code == 404
        assert (
            client.post(f"/portal/policies/{overdue.number}/pay/", form_for(due)).status_code == 404
        )
        assert client.post(f"/portal/policies/{overdue.number}/reinstate/", {}).status_code == 404
        case = Arrears.objects.get(policy=overdue).case
        assert client.get(f"/portal/arrears/{case.reference}/").status_code == 404

    assert PremiumPayment.objects.count() == 1


def test_the_portal_home_flags_an_overdue_premium(
    client, alice, overdue, django_assert_max_num_queries
):

    with time_machine.travel(IN_GRACE, tick=False):
        client.force_login(alice.user)
        with django_assert_max_num_queries(8):
            page = text(client.get("/portal/"))

    assert "Premium overdue:" in page and "covered until 2 April 2027" in page


def test_the_portal_home_flags_a_premium_open_for_payment(client, dave, alice, versions):
    paid_first(dave, alice, versions)

    with time_machine.travel(at(dt.date(2027, 2, 20)), tick=False):
        client.force_login(alice.user)
        page = text(client.get("/portal/"))

    assert "Premium due</strong> 2 March 2027" in page


def test_a_suspended_policy_offers_reinstatement_and_the_application_is_taken(
    client, alice, suspended
):

    with time_machine.travel(APPLIED, tick=False):
        client.force_login(alice.user)
        page = text(client.get(f"/portal/policies/{suspended.number}/"))
        response = client.post(
            f"/portal/policies/{suspended.number}/reinstate/",
            {"statement": "No change in health."},
        )
        after = text(client.get(f"/portal/policies/{suspended.number}/"))

    assert "Cover is suspended" in page and "3 April 2029" in page
    assert 'id="reinstate"' in page and 'id="pay"' not in page
    assert response.status_code == 302
    assert Reinstatement.objects.get().statement == "No change in health."
    assert 'id="reinstatement-waiting"' in after and 'id="reinstate"' not in after
    assert "Suspension notice (PDF)" in after


def test_the_timeline_link_of_an_arrears_case_leads_to_the_policy(client, alice, overdue):
    client.force_login(alice.user)
    case = Arrears.objects.get(policy=overdue).case

    response = client.get(f"/portal/arrears/{case.reference}/")

    assert response["Location"] == f"/portal/policies/{overdue.number}/#premiums"


def test_my_premiums_lists_each_policy_and_every_receipt_in_a_fixed_number_of_queries(
    client, dave, alice, mallory, versions, django_assert_max_num_queries
):
    from insuredesk.policies.tests.premiums import home, pay

    mine = paid_first(dave, alice, versions)
    months = home(dave, alice, versions)
    pay(alice.user, first(months), ISSUED)
    theirs = paid_first(dave, mallory, versions)
    send_demand_notices(now=at(dt.date(2027, 3, 3), hour=9))

    with time_machine.travel(IN_GRACE, tick=False):
        client.force_login(alice.user)
        with django_assert_max_num_queries(10):
            page = text(client.get("/portal/premiums/"))

    assert mine.number in page and months.number in page and theirs.number not in page
    assert "Overdue</span> CNY" in page and "covered until 2 April 2027" in page
    assert page.count("PRM-2026-") == 2  # her two receipts, not Mallory's
    assert 'href="/portal/premiums/"' in page  # the portal menu entry


# -- console ---------------------------------------------------------------------------------


def test_the_premiums_work_list_shows_each_list_in_a_fixed_number_of_queries(
    client, dave, alice, mallory, versions, django_assert_max_num_queries
):
    for holder in (alice, mallory):
        paid_first(dave, holder, versions)
    send_demand_notices(now=at(dt.date(2027, 3, 3), hour=9))

    with time_machine.travel(IN_GRACE, tick=False):
        client.force_login(dave)
        with django_assert_max_num_queries(10):
            response = client.get("/console/premiums/")

    page = text(response)
    assert response.status_code == 200
    assert page.count("<strong>2027-04-02</strong>") == 2  # approaching suspension
    assert "Premiums</a>" in page  # the console menu entry


def test_the_work_list_shows_waiting_reinstatements(client, dave, alice, suspended):
    apply_for_reinstatement(actor=alice.user, policy=suspended, now=APPLIED)

    with time_machine.travel(APPLIED, tick=False):
        client.force_login(dave)
        page = text(client.get("/console/premiums/"))

    section = page.split('id="reinstatements"')[1].split('id="suspending"')[0]
    assert suspended.number in section and "decide by 2027-04-19 (SVC-14)" in section


def test_customers_do_not_open_the_work_list(client, alice):
    client.force_login(alice.user)

    assert client.get("/console/premiums/").status_code == 403


def test_an_agent_records_cash_taken_at_the_counter(client, dave, alice, versions):
    policy = term_life(dave, alice, versions)

    with time_machine.travel(ISSUED, tick=False):
        client.force_login(dave)
        page = text(client.get(f"/console/policies/{policy.number}/"))
        response = client.post(
            f"/console/policies/{policy.number}/pay/",
            form_for(first(policy), method="cash", reference="SLIP-0042"),
        )

    assert 'id="record-payment"' in page and 'value="cash"' in page
    assert response.status_code == 302
    payment = PremiumPayment.objects.get()
    assert (payment.method, payment.recorded_by) == ("cash", dave)


def test_a_claims_handler_does_not_record_payments(client, bob, dave, alice, versions):
    policy = term_life(dave, alice, versions)

    with time_machine.travel(ISSUED, tick=False):
        client.force_login(bob)
        response = client.post(f"/console/policies/{policy.number}/pay/", form_for(first(policy)))

    assert response.status_code == 403 and not PremiumPayment.objects.exists()


def test_an_underwriter_agrees_a_reinstatement_from_the_policy_page(client, alice, suspended):
    apply_for_reinstatement(actor=alice.user, policy=suspended, now=APPLIED)
    underwriter = ursula()

    with time_machine.travel(APPLIED, tick=False):
        client.force_login(underwriter)
        page = text(client.get(f"/console/policies/{suspended.number}/"))
        response = client.post(
            f"/console/policies/{suspended.number}/reinstatement/decision/",
            {"decision": "agreed", "reasons": ""},
        )

    assert 'id="reinstatement"' in page and "No change" not in page
    assert response.status_code == 302
    assert Reinstatement.objects.get().decision == "agreed"
    case = Arrears.objects.get(policy=suspended).case
    assert case.status == ArrearsStatus.REINSTATEMENT_AGREED
    assert CaseAccess.objects.filter(case=case, user=underwriter).exists()


def test_a_decline_without_reasons_is_shown_again_with_the_error(client, carol, alice, suspended):
    apply_for_reinstatement(actor=alice.user, policy=suspended, now=APPLIED)

    with time_machine.travel(APPLIED, tick=False):
        client.force_login(carol)
        response = client.post(
            f"/console/policies/{suspended.number}/reinstatement/decision/",
            {"decision": "declined", "reasons": ""},
        )

    assert response.status_code == 200
    assert "Give the reasons for declining." in text(response)
    assert Reinstatement.objects.get().decision == ""


def test_an_agent_does_not_decide_reinstatements(client, dave, alice, suspended):
    apply_for_reinstatement(actor=alice.user, policy=suspended, now=APPLIED)
    client.force_login(dave)

    response = client.post(
        f"/console/policies/{suspended.number}/reinstatement/decision/", {"decision": "agreed"}
    )

    assert response.status_code == 403


def test_the_work_queue_link_of_an_arrears_case_leads_to_the_policy(client, dave, overdue):
    client.force_login(dave)
    case = Arrears.objects.get(policy=overdue).case

    response = client.get(f"/console/arrears/{case.reference}/")

    assert response["Location"] == f"/console/policies/{overdue.number}/#premiums"


def test_an_agent_records_the_policyholders_application_from_the_policy_page(
    client, dave, alice, suspended
):
    with time_machine.travel(APPLIED, tick=False):
        client.force_login(dave)
        page = text(client.get(f"/console/policies/{suspended.number}/"))
        response = client.post(
            f"/console/policies/{suspended.number}/reinstate/",
            {"statement": "Phoned on 12 April; no change in health."},
        )
        after = text(client.get(f"/console/policies/{suspended.number}/"))

    assert 'id="apply-reinstatement"' in page and "until 2029-04-03" in page
    assert response.status_code == 302
    reinstatement = Reinstatement.objects.get()
    assert reinstatement.applied_by == dave
    assert reinstatement.statement == "Phoned on 12 April; no change in health."
    case = Arrears.objects.get(policy=suspended).case
    assert case.status == ArrearsStatus.REINSTATEMENT_REQUESTED
    assert 'id="apply-reinstatement"' not in after and 'id="reinstatement"' in after


def test_an_over_long_request_is_refused_beside_the_field_and_nothing_is_written(
    client, dave, alice, suspended
):
    with time_machine.travel(APPLIED, tick=False):
        client.force_login(dave)
        response = client.post(
            f"/console/policies/{suspended.number}/reinstate/",
            {"statement": "x" * (MAX_STATEMENT + 1)},
        )

    assert response.status_code == 200
    form = text(response).split('id="apply-reinstatement"', 1)[1]
    assert "at most" in form and f"{MAX_STATEMENT}" in form
    assert not Reinstatement.objects.exists()


def test_a_claims_handler_does_not_apply_for_the_policyholder(client, bob, alice, suspended):
    client.force_login(bob)

    response = client.post(f"/console/policies/{suspended.number}/reinstate/", {"statement": ""})

    assert response.status_code == 403 and not Reinstatement.objects.exists()
