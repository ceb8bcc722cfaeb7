"""Browser journey: Alice proposes a time for her welcome visit, Dave confirms it and records
the visit with its checklist, and Alice rates it (Playwright on the system Chromium)."""

import datetime as dt

import pytest
from django.utils import timezone

from insuredesk.policies import visiting
from insuredesk.policies.choices import VisitStatus
from insuredesk.policies.models import Visit
from insuredesk.policies.tests.visit_factories import sold_policy
from insuredesk.tests.factories import PASSWORD
from insuredesk.web.tests.test_browser import browser  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(browser, live_server, username):  # noqa: F811
    page = browser.new_context().new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


def test_alice_proposes_dave_confirms_and_records_and_alice_rates_the_visit(
    live_server,
    browser,  # noqa: F811
    alice,
    dave,
):
    now = timezone.now()
    policy = sold_policy(alice, dave, issued_at=now)
    visiting.plan_visits(now=now)
    visit = Visit.objects.get(policy=policy)
    tomorrow = timezone.localtime(now).date() + dt.timedelta(days=1)

    page = sign_in(browser, live_server, "alice")
    page.goto(f"{live_server.url}/portal/visits/")
    page.click(f"#upcoming a[href='/portal/visits/{visit.reference}/']")
    page.fill("#propose input[name=scheduled_at]", f"{tomorrow.isoformat()}T10:30")
    page.select_option("#propose select[name=channel]", "video")
    page.fill("#propose input[name=place]", "https://meet.example/alice")
    page.click("#propose button[type=submit]")
    page.wait_for_selector(".msg.success")
    assert "The time you proposed" in page.inner_text("#appointment")

    agent = sign_in(browser, live_server, "dave")
    agent.goto(f"{live_server.url}/console/visits/")
    agent.click(f"#visit-queue a[href='/console/visits/{visit.reference}/']")
    agent.click("#appointment button[type=submit]")  # confirm the proposal as it stands
    agent.wait_for_selector(".msg.success")
    agent.select_option("#outcome select[name=outcome]", "completed")
    agent.fill("#outcome textarea[name=notes]", "Went through clause 4.1 together.")
    for key in visiting.WELCOME_CHECKLIST:
        agent.check(f"#outcome input[name={key}]")
    agent.click("#outcome button[type=submit]")
    agent.wait_for_selector(".msg.success")
    assert "Completed" in agent.inner_text("h1")

    page.goto(f"{live_server.url}/portal/visits/{visit.reference}/")
    page.check("#rate input[name=rating][value='5']")
    page.fill("#rate textarea[name=comment]", "Clear and kind.")
    page.click("#rate button[type=submit]")
    page.wait_for_selector(".msg.success")
    assert "You rated this visit 5/5" in page.inner_text("#rate")

    visit.refresh_from_db()
    assert visit.case.status == VisitStatus.COMPLETED
    assert (visit.channel, visit.rating) == ("video", 5)
    assert visit.checklist == dict.fromkeys(visiting.WELCOME_CHECKLIST, True)
