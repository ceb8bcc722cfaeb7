"""Claim journeys in a real browser (Playwright on the system Chromium), portal and console."""

from datetime import timedelta

import pytest
from django.utils import timezone

from insuredesk.claims import services
from insuredesk.tests import factories
from insuredesk.tests.factories import PASSWORD
from insuredesk.web.tests.test_browser import browser  # noqa: F401  (the shared fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n% browser journey upload {}\n%%EOF\n"


def _sign_in(browser, live_server, username):  # noqa: F811
    page = browser.new_context().new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


def _report_in_portal(page, live_server, policy, *, amount: str) -> str:
    """Alice fills the report form; returns the new claim's reference from the page title."""
    page.goto(f"{live_server.url}/portal/claims/report/")
    page.select_option("#policy", policy.number)
    page.fill("#event_date", (timezone.localdate() - timedelta(days=2)).isoformat())
    page.fill("#event_place", "8 Harbour Road, kitchen")
    page.select_option("#loss_type", "fire")
    page.fill("#description", "A pan caught fire and burnt the cabinets.")
    page.fill("#amount_claimed", amount)
    page.click("button:has-text('Report')")
    page.wait_for_url("**/portal/claims/CLM-*/")
    return page.inner_text("h1").split()[1]


def _upload(page, code: str, n: int) -> None:
    page.select_option("#code", code)
    page.set_input_files(
        "#file",
        {
            "name": f"{code}.pdf",
            "mimeType": "application/pdf",
            "buffer": PDF.replace(b"{}", b"%d" % n),
        },
    )
    page.click("button:has-text('Upload')")
    page.wait_for_selector(".msg.success")


def test_alice_reports_uploads_and_sees_what_we_owe_by_when(live_server, browser):  # noqa: F811
    alice = factories.alice()
    policy = factories.make_policy(alice)
    page = _sign_in(browser, live_server, "alice")
    reference = _report_in_portal(page, live_server, policy, amount="8000")
    _upload(page, "photos", 1)
    assert "Photos of the damage" in page.inner_text(".documents")
    assert "Repair quotation" in page.inner_text(".outstanding")
    page.click("nav >> text=Claims")
    page.wait_for_url("**/portal/claims/")
    row = page.inner_text(f"tr:has(a:text('{reference}'))")
    assert "Reported" in row or "Investigating" in row
    assert "Decide the claim by" in row  # CN-19: 30 days from the report
    assert "CNY 8,000.00" in row


def test_bob_refuses_citing_an_exemption_and_alice_downloads_the_notice(live_server, browser):  # noqa: F811
    alice = factories.alice()
    factories.bob()
    policy = factories.make_policy(alice)
    now = timezone.now()
    claim = services.report_claim(
        policy=policy,
        event_date=timezone.localdate() - timedelta(days=3),
        event_place="8 Harbour Road",
        loss_type="water_damage",
        description="Rot behind the sink.",
        amount_claimed=None,
        actor=alice.user,
        now=now,
    )
    reference = claim.case.reference
    bob = _sign_in(browser, live_server, "bob")
    bob.goto(f"{live_server.url}/console/claims/{reference}/")
    bob.click("summary:has-text('Refuse this claim')")
    bob.select_option("#ground", "exclusion")
    bob.fill("#reasons", "The rot built up over years from a slow leak.")
    cite = bob.locator(".cite", has_text="4.1 Wear and tear")
    assert "No evidence this clause was marked" in cite.inner_text()  # CN-02 beside the clause
    cite.locator("input[type=checkbox]").check()
    cite.locator("input[name='how_4.1']").fill("Gradual deterioration, not a sudden event.")
    bob.check("input[name=confirm_warnings]")
    bob.click("button:has-text('Refuse and send the notice')")
    bob.wait_for_selector(".msg.success")
    assert "Refused" in bob.inner_text("h1")
    assert "Gradual deterioration" in bob.inner_text(".refusal")

    page = _sign_in(browser, live_server, "alice")
    page.goto(f"{live_server.url}/portal/claims/{reference}/")
    link = page.locator("a:has-text('Read the refusal notice')")
    href = link.get_attribute("href")
    response = page.request.get(f"{live_server.url}{href}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    assert "Decision on your claim: refusal" in page.inner_text(".letters")


def test_a_small_claim_with_complete_documents_is_fast_tracked_and_shows_paid(
    live_server,
    browser,  # noqa: F811
):
    alice = factories.alice()
    policy = factories.make_policy(alice)
    page = _sign_in(browser, live_server, "alice")
    reference = _report_in_portal(page, live_server, policy, amount="3000")
    _upload(page, "photos", 2)
    _upload(page, "repair_quote", 3)  # the last document: fast-track runs after the commit
    page.goto(f"{live_server.url}/portal/claims/{reference}/")
    assert "Paid" in page.inner_text("h1")
    assert "Paid: CNY 2,500.00" in page.inner_text(".msg.paid")
