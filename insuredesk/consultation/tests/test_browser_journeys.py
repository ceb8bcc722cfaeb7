"""Browser journeys through the consultation pages (Playwright on the system Chromium).

A prospect asks without an account; Alice acknowledges a product's exemption clauses online and
Dave finds the evidence on her console page (CN-02, CN-03); Alice books lecture seats.
"""

import pytest
from django.utils import timezone

from insuredesk.consultation import services
from insuredesk.consultation.tests.factories import make_knowledge_base, make_lecture
from insuredesk.tests.factories import PASSWORD, make_product
from insuredesk.web.tests.test_browser import browser  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMEOUT_MS = 15_000


def _page(browser):  # noqa: F811
    page = browser.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return page


def _sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_a_prospect_asks_a_general_question_and_sees_the_answer_or_the_queued_notice(
    live_server,
    browser,  # noqa: F811
):
    make_knowledge_base()
    page = _page(browser)

    page.goto(f"{live_server.url}/portal/ask/")
    page.fill("#id_question", "How do I report a claim?")
    page.fill("#id_name", "Pat Prospect")
    page.fill("#id_email", "pat@example.com")
    page.click("button[type=submit]")

    page.wait_for_selector("ol.thread")
    notice = page.inner_text("main")
    assert "We have your question." in notice
    assert "Here is our answer." in notice or "An agent will answer you by e-mail." in notice
    assert "How do I report a claim?" in page.inner_text("ol.thread")
    page.close()


def test_alice_acknowledges_each_exemption_clause_and_dave_sees_the_evidence_cn_02(
    live_server,
    browser,  # noqa: F811
    alice,
    dave,
):
    version = make_product()
    exemptions = [c.number for c in version.clauses.all() if c.is_exemption]
    page = _page(browser)
    _sign_in(page, live_server, "alice")

    page.goto(f"{live_server.url}/portal/explain/{version.product.code}/")
    for number in exemptions:
        page.check(f"[id='clause-{number}'] input[name=acknowledged]")
    page.click("form.guided button[type=submit]")
    page.wait_for_url("**/portal/explanations/**")
    assert "acknowledged" in page.inner_text("main").lower()
    page.close()

    staff = _page(browser)
    _sign_in(staff, live_server, "dave")
    staff.goto(f"{live_server.url}/console/customers/{alice.number}/")
    section = staff.inner_text("main")
    assert "Clause explanations" in section
    assert "Online" in section and "customer online" in section
    for number in exemptions:
        assert number in section
    staff.close()


def test_alice_books_a_seat_and_joins_the_waiting_list_of_a_full_lecture(
    live_server,
    browser,  # noqa: F811
    alice,
    mallory,
):
    full = make_lecture(capacity=1)
    full.title = "Full lecture"
    full.save(update_fields=["title"])
    services.register_for_lecture(
        lecture=full, attendee=mallory, actor=mallory.user, now=timezone.now()
    )
    open_ = make_lecture(capacity=5)
    page = _page(browser)
    _sign_in(page, live_server, "alice")

    page.goto(f"{live_server.url}/portal/lectures/")
    page.locator(".card", has_text="Insurance for young families").get_by_role(
        "button", name="Book a seat"
    ).click()
    page.wait_for_load_state()
    page.locator(".card", has_text="Full lecture").get_by_role(
        "button", name="Join the waiting list"
    ).click()
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/portal/lectures/")
    assert "Registered" in page.locator(".card", has_text=open_.title).inner_text()
    assert "On the waiting list" in page.locator(".card", has_text="Full lecture").inner_text()
    page.close()
