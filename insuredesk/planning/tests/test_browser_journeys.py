"""Browser journeys (Playwright on the system Chromium): Alice checks her risks in the portal,
reads her matrix and plan and applies for the cover it recommends, the form filled in; Mallory
accepts an option of her issued proposal and lands on its application, filled in too."""

import pytest
from django.utils import timezone

from insuredesk.catalog.loading import load_demo_catalogue
from insuredesk.planning.choices import ProposalStatus
from insuredesk.planning.models import Proposal, RiskAssessment
from insuredesk.planning.questions import BY_CODE, CHOICE, YES_NO
from insuredesk.planning.tests.builders import agent, answers, issued, supervisor
from insuredesk.tests.factories import PASSWORD
from insuredesk.web.tests.test_browser import browser  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base: str, username: str) -> None:
    page.set_default_timeout(15_000)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/portal/")


def answer(page, code: str, value) -> None:
    question = BY_CODE[code]
    if question.kind in (CHOICE, YES_NO) and len(question.choices) <= 3:
        page.check(f"input[name='{code}'][value='{value}']")
    elif question.kind == CHOICE:
        page.select_option(f"#id_{code}", str(value))
    else:
        page.fill(f"#id_{code}", str(value))


def test_alice_checks_her_risks_sees_her_matrix_and_applies_for_the_recommended_cover(
    live_server,
    browser,  # noqa: F811
    alice,
):
    load_demo_catalogue()
    page = browser.new_page()
    sign_in(page, live_server.url, "alice")

    page.click("nav >> text=Risk planning")
    page.click("text=Do a risk check")
    # Not asked until she says she owns her home: the page's script hides it once loaded, so
    # wait for that (a timeout here means it stayed visible).
    page.wait_for_selector("#id_rebuild_value", state="hidden", timeout=5000)
    for code, value in answers().items():
        answer(page, code, value)
    assert page.is_visible("#id_rebuild_value")
    page.click("form#risk-check button[type=submit]")

    page.wait_for_selector("svg.risk-matrix")
    assessment = RiskAssessment.objects.get()
    assert page.locator("svg.risk-matrix g.risk-dot").count() == assessment.risks.count()
    assert "Reduced to fit" in page.inner_text("#plan")
    page.click("#rec-harbour-term-life a.button")

    page.wait_for_selector("form#apply")
    assert page.input_value("#id_sum_insured") == "2280000.00"
    assert page.input_value("#id_term_years") == "20"
    page.close()


def test_mallory_accepts_an_option_of_her_proposal_and_goes_on_to_apply(
    live_server,
    browser,  # noqa: F811
    mallory,
):
    load_demo_catalogue()
    proposal = issued(mallory, agent(), supervisor(), now=timezone.now())
    page = browser.new_page()
    sign_in(page, live_server.url, "mallory")

    page.goto(f"{live_server.url}/portal/planning/")
    page.click(f"text={proposal.reference}")
    page.wait_for_selector("#options")
    assert page.locator("svg.risk-matrix").count() == 1
    assert "beyond" not in page.inner_text("#option-2")  # the building alone fits her budget
    page.click("#option-2 button")

    page.wait_for_selector("form#apply")
    assert page.input_value("#id_sum_insured") == "10500000.00"
    assert page.input_value("#id_rating_contents_value") == "0.00"
    assert Proposal.objects.get().status == ProposalStatus.ACCEPTED
    page.close()
