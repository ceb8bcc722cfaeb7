"""Browser smoke test: Playwright drives the system Chromium through the portal as Alice."""

import os
import shutil

import pytest
from django.db import connections

from insuredesk.tests.factories import PASSWORD, make_policy

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def browser(monkeypatch):
    if not os.path.exists(CHROMIUM):
        if os.environ.get("INSUREDESK_BROWSER_REQUIRED"):
            pytest.fail(f"No Chromium at {CHROMIUM}; CI installs Debian's chromium package.")
        pytest.skip(f"No system Chromium at {CHROMIUM} (apt-get install chromium to run this).")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright runs an event loop in this thread; the test's own database work is synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield launched
        launched.close()
        # With the loop running, Django keeps this test's connection apart from the thread's, and
        # nothing else would close it: on PostgreSQL it outlived the session and blocked dropping
        # the test database ("being accessed by other users").
        connections.close_all()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_alice_signs_in_and_reads_her_policy_with_the_exemption_clause_marked(live_server, browser):
    from insuredesk.tests.factories import alice

    customer = alice()
    policy = make_policy(customer)
    page = browser.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/portal/")
    assert "My policies" in page.inner_text("h1")
    page.click(f"a[href='/portal/policies/{policy.number}/']")
    page.wait_for_selector(".clause.exemption")
    exemption = page.inner_text(".clause.exemption")
    assert "Wear and tear" in exemption
    assert "In plain words" in exemption
    page.close()
