"""Browser journey (Playwright on the system Chromium): Alice surrenders her term-life policy
months after its cooling-off period. The policy page shows what it pays back today; she gives
the account and confirms; Dave, an agent, finds the surrender in the console's work queue and
records the refund; Alice's page then shows it paid (CN-14, IL Art. 47)."""

import datetime as dt

import pytest
from django.utils import timezone

from insuredesk.policies.choices import PolicyStatus, SurrenderStatus
from insuredesk.policies.models import Surrender
from insuredesk.policies.tests.premiums import SHANGHAI, demo_versions, paid_first
from insuredesk.policies.tests.test_premium_browser_journey import sign_in
from insuredesk.web.tests.test_browser import browser  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_alice_surrenders_and_dave_pays_the_cash_value(
    live_server,
    browser,  # noqa: F811
    dave,
    alice,
):
    issued = (timezone.now() - dt.timedelta(days=100)).astimezone(SHANGHAI)
    policy = paid_first(dave, alice, demo_versions(), issued=issued)

    alice_page = sign_in(browser, live_server.url, "alice", "/portal/")
    alice_page.goto(f"{live_server.url}/portal/policies/{policy.number}/")
    offer = alice_page.inner_text("#surrender")
    assert "If you end the policy today you get back CNY" in offer
    assert "Cash value:" in offer
    alice_page.click("#surrender-notice summary")
    alice_page.fill("#surrender_refund_account", "ICBC, account ending 1234")
    alice_page.check("#surrender_confirm")
    alice_page.click("#surrender button[type=submit]")
    alice_page.wait_for_selector("#surrender .badge.refund_due")
    assert "is surrendered" in alice_page.inner_text(".messages")
    surrender = Surrender.objects.get(policy=policy)
    assert surrender.policy.status == PolicyStatus.SURRENDERED

    staff_page = sign_in(browser, live_server.url, "dave", "/console/")
    staff_page.goto(f"{live_server.url}/console/queue/?kind=surrender")
    staff_page.click(f"a:has-text('{surrender.case.reference}')")
    staff_page.wait_for_selector("#record-refund")
    assert "ICBC, account ending 1234" in staff_page.inner_text("#surrender")
    staff_page.click("#record-refund summary")
    staff_page.fill("#refund_reference", "TRX-20261203-7")
    staff_page.click("#record-refund button[type=submit]")
    staff_page.wait_for_selector("#surrender .badge.refunded")

    alice_page.reload()
    assert "TRX-20261203-7" in alice_page.inner_text("#surrender")
    surrender.case.refresh_from_db()
    assert surrender.case.status == SurrenderStatus.REFUNDED
