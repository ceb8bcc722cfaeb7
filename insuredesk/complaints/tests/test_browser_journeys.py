"""Browser journeys through the complaint pages (Playwright on the system Chromium).

Run with `pytest -m browser insuredesk/complaints`; they skip when no Chromium is installed.
"""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from insuredesk.complaints.tests.factories import classified, submit
from insuredesk.tests import factories
from insuredesk.tests.factories import PASSWORD
from insuredesk.web.tests.test_browser import browser  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seeded():
    """Transactional tests flush the tables, so put back what migration 0002 seeds."""
    migration = importlib.import_module(
        "insuredesk.complaints.migrations.0002_seed_categories_and_wording"
    )
    migration.seed(apps, None)


def _sign_in(browser, live_server, username: str):  # noqa: F811
    page = browser.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


def test_alice_submits_a_complaint_and_sees_the_acknowledgement_and_due_date_gb_07_cn_28(
    live_server,
    browser,  # noqa: F811
    seeded,
):
    factories.alice()
    page = _sign_in(browser, live_server, "alice")
    page.goto(f"{live_server.url}/portal/complaints/new/")
    page.fill("#description", "The premium was taken twice in March.")
    page.fill("#desired_outcome", "Refund the second payment.")
    page.click("button:has-text('Send the complaint')")
    page.wait_for_url("**/portal/complaints/CMP-*/")
    assert "We have received your complaint" in page.inner_text(".letters")
    assert page.locator(".letters a[href*='/portal/letters/']").count() == 1
    due = page.inner_text("dd.due")
    assert "CN-28" in due and due[:4].isdigit()  # e.g. 2026-12-08 (CN-28)
    page.close()


def test_erin_handles_a_cn_complaint_to_a_decision_notice_with_a_root_cause_cn_31(
    live_server,
    browser,  # noqa: F811
    seeded,
):
    complaint = submit(factories.alice(), now=timezone.now())
    factories.erin()
    page = _sign_in(browser, live_server, "erin")
    page.goto(f"{live_server.url}/console/complaints/{complaint.reference}/")
    page.select_option("#category", "claims_delay")
    page.click("button:has-text('Save classification')")
    page.wait_for_selector("text=Classified.")
    page.click("summary:has-text('Respond')")
    page.select_option("#outcome", "rejected")
    page.fill("#findings", "The claim was paid on the tenth working day.")
    page.fill("#basis", "Clause 7.2 and the claim file.")
    page.fill("#reasons", "The delay came from the missing repair invoice.")
    page.click("button:has-text('Send the response letter')")
    page.wait_for_selector("text=Response sent.")
    page.select_option("#rc-category", "service_delay")
    page.fill("#team", "Claims desk")
    page.click("button:has-text('Record root cause')")
    page.wait_for_selector("text=Root cause recorded.")
    assert "Decision notice" in page.inner_text(".letters")
    assert "Service delay" in page.inner_text("section:has(h2:has-text('Root cause'))")
    assert page.locator("button:has-text('Resolve and invite a rating')").count() == 1
    page.close()


def test_carol_reads_the_analytics_charts(live_server, browser, seeded):  # noqa: F811
    erin = factories.erin()
    alice = factories.alice()
    for category in ("claims_delay", "premium_billing", "claims_delay"):
        classified(
            submit(alice, now=timezone.now()), handler=erin, now=timezone.now(), category=category
        )
    factories.carol()
    page = _sign_in(browser, live_server, "carol")
    page.goto(f"{live_server.url}/console/complaints/analytics/")
    charts = page.locator("svg.chart")
    assert charts.count() >= 8
    assert page.locator("svg.chart rect").count() >= 2  # bars
    assert page.locator("svg.chart polyline.series").count() >= 2  # lines
    assert page.locator("svg.chart .legend").count() == 2  # received / answered late
    box = charts.first.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 150  # drawn, not collapsed
    page.close()
