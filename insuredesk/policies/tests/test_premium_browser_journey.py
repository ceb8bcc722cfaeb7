"""Browser journey (Playwright on the system Chromium): Alice's term-life cover was suspended for
an unpaid premium (CN-15). The portal home tells her; she applies to reinstate it; Ursula, an
underwriter, finds the application on the console's Premiums list and agrees; Alice pays the
arrears in the portal, gets her receipt, and the policy is in force again (CN-16)."""

import datetime as dt

import pytest
from django.utils import timezone

from insuredesk.policies.choices import ArrearsStatus, PolicyStatus
from insuredesk.policies.models import Arrears, PremiumPayment
from insuredesk.policies.services import demand_premium, suspend_for_arrears
from insuredesk.policies.tests.premiums import (
    SHANGHAI,
    demo_versions,
    paid_first,
    ursula,
)
from insuredesk.tests.factories import PASSWORD
from insuredesk.web.tests.test_browser import browser  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(browser, url: str, username: str, lands_on: str):  # noqa: F811
    page = browser.new_context().new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}{lands_on}")
    return page


def test_alice_reinstates_her_suspended_policy_and_pays_the_arrears(
    live_server,
    browser,  # noqa: F811
    dave,
    alice,
):
    # Issued 410 days ago: the second yearly premium fell due about 45 days ago, was demanded
    # the next day, and its 30 days of grace have run out.
    now = timezone.now()
    issued = (now - dt.timedelta(days=410)).astimezone(SHANGHAI)
    policy = paid_first(dave, alice, demo_versions(), issued=issued)
    second = policy.instalments.order_by("due_date")[1]
    demand_premium(
        instalment=second,
        actor=None,
        now=dt.datetime.combine(
            second.due_date + dt.timedelta(days=1), dt.time(9), tzinfo=SHANGHAI
        ),
    )
    suspend_for_arrears(actor=None, policy=policy, now=now)
    ursula()

    alice_page = sign_in(browser, live_server.url, "alice", "/portal/")
    assert "Cover suspended" in alice_page.inner_text(".premium-flag")
    alice_page.click(".premium-flag a")
    alice_page.wait_for_selector("#reinstate")
    assert "Cover is suspended" in alice_page.inner_text("#suspended")
    alice_page.fill("#id_statement", "My health has not changed since the policy started.")
    alice_page.click("#reinstate button[type=submit]")
    alice_page.wait_for_selector("#reinstatement-waiting")
    assert alice_page.locator("#reinstate").count() == 0

    staff_page = sign_in(browser, live_server.url, "ursula", "/console/")
    staff_page.goto(f"{live_server.url}/console/premiums/")
    staff_page.click(f"#reinstatements + .table-wrap a:has-text('{policy.number}')")
    staff_page.wait_for_selector("#reinstatement")
    assert "My health has not changed" in staff_page.inner_text("#reinstatement")
    staff_page.select_option("#id_decision", "agreed")
    staff_page.click("#reinstatement button[type=submit]")
    staff_page.wait_for_selector(".messages")
    assert "decision is recorded" in staff_page.inner_text(".messages")

    alice_page.reload()
    alice_page.wait_for_selector("#reinstatement-agreed")
    alice_page.select_option("#id_method", "bank_transfer")
    alice_page.fill("#id_reference", "ICBC-REINSTATE-0001")
    alice_page.click("#pay button[type=submit]")
    alice_page.wait_for_selector(".messages")
    payment = PremiumPayment.objects.get(instalment=second)
    assert f"Receipt {payment.number} is in your letters" in alice_page.inner_text(".messages")
    receipt = alice_page.request.get(
        live_server.url + alice_page.get_attribute("#receipts a >> nth=0", "href")
    )
    assert receipt.body().startswith(b"%PDF")
    policy.refresh_from_db()
    assert policy.status == PolicyStatus.IN_FORCE
    assert Arrears.objects.get(policy=policy).case.status == ArrearsStatus.REINSTATED
    assert "In force" in alice_page.inner_text("dl.facts")
