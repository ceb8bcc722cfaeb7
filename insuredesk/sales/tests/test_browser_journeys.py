"""Browser journey: Alice applies for term life with a clean declaration, is offered standard
terms at once, reads and acknowledges the exemption clauses on the guided page (CN-02), accepts
the offer and lands on her issued policy (Playwright on the system Chromium)."""

import pytest

from insuredesk.catalog.loading import load_demo_catalogue
from insuredesk.catalog.models import ProductVersion
from insuredesk.policies.models import Policy
from insuredesk.sales.choices import ApplicationStatus
from insuredesk.sales.models import Application
from insuredesk.sales.questions import questions_for
from insuredesk.tests.factories import PASSWORD
from insuredesk.web.tests.test_browser import browser  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TERM_LIFE = "harbour-term-life"


def test_alice_applies_acknowledges_the_exemption_clauses_accepts_and_gets_her_policy(
    live_server,
    browser,  # noqa: F811
    alice,
):
    load_demo_catalogue()
    version = ProductVersion.objects.get(product__code=TERM_LIFE)
    exemptions = [c.number for c in version.clauses.all() if c.is_exemption]
    page = browser.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/portal/")

    page.goto(f"{live_server.url}/portal/products/{TERM_LIFE}/")
    page.click(f"a[href='/portal/apply/{TERM_LIFE}/']")
    page.wait_for_selector("form#apply")
    page.fill("#id_insured_date_of_birth", "1990-06-15")
    page.fill("#id_sum_insured", "500000")
    page.select_option("#id_term_years", "20")
    for question in questions_for("term_life"):
        page.check(f"#question-{question.code} input[value=no]")
    page.click("form#apply button[type=submit]")

    page.wait_for_selector("#offer")
    application = Application.objects.get()
    assert application.status == ApplicationStatus.OFFERED
    assert "Accept and issue my policy" in page.inner_text("#offer")
    notice = page.inner_text("#exemptions")
    assert all(number in notice for number in exemptions)

    page.click("#exemptions a")
    page.wait_for_selector("form.guided")
    for number in exemptions:
        page.check(f"[id='clause-{number}'] input[name=acknowledged]")
    page.click("form.guided button[type=submit]")
    # Back on the application: the clauses no longer stand between her and the policy.
    page.wait_for_url(f"**/portal/applications/{application.reference}/")
    page.wait_for_selector("#offer")
    assert "your acknowledgement is recorded" in page.content()
    assert page.locator("#exemptions").count() == 0
    page.click("#offer button[type=submit]")

    page.wait_for_url("**/portal/policies/**")
    policy = Policy.objects.get()
    assert page.url == f"{live_server.url}/portal/policies/{policy.number}/"
    assert f"Your policy {policy.number} is issued" in page.inner_text(".messages")
    assert policy.premium == application.offered_premium
    page.goto(f"{live_server.url}/portal/applications/{application.reference}/")
    assert policy.number in page.inner_text("#issued")
    page.close()
