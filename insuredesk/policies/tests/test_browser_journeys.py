"""Browser journey: Alice changes her mind about a new policy and cancels it in the portal
within its cooling-off period (Playwright on the system Chromium)."""

import pytest

from insuredesk.policies.choices import PolicyStatus
from insuredesk.tests.factories import PASSWORD, make_policy
from insuredesk.web.tests.test_browser import browser  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_alice_cancels_a_new_policy_and_gets_the_confirmation_letter(
    live_server,
    browser,  # noqa: F811
    alice,
):
    policy = make_policy(alice)  # issued just now: the contract's 15 days have begun
    page = browser.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/portal/")

    page.goto(f"{live_server.url}/portal/policies/{policy.number}/")
    offer = page.inner_text("#cooling-off")
    assert "Changed your mind?" in offer
    page.fill("#cancel-reason", "I found cover through my employer.")
    page.check("input[name=confirm]")
    page.click("#cooling-off button[type=submit]")

    page.wait_for_selector("#cancellation")
    assert "Premium refunded to you" in page.inner_text("#cancellation")
    assert page.locator("#cooling-off").count() == 0
    letter = page.request.get(live_server.url + page.get_attribute("#cancellation a", "href"))
    assert letter.headers["content-type"] == "application/pdf"
    assert letter.body().startswith(b"%PDF")
    policy.refresh_from_db()
    assert policy.status == PolicyStatus.CANCELLED
    assert policy.cancellation.reason == "I found cover through my employer."
    page.close()
