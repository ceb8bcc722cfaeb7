"""Risk-planning pages: Alice's risk check in the portal (her questions, the refusal beside its
question, the matrix and the plan with links to apply), her proposal to accept; Mallory gets
404; agents check a customer's risks and draft in the console, supervisors approve (never their
own draft); list pages stay within a query budget."""

import html
import re
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest
import time_machine
from django.urls import reverse

from insuredesk.planning.choices import ProposalStatus
from insuredesk.planning.models import Proposal, RiskAssessment
from insuredesk.planning.questions import BY_CODE
from insuredesk.planning.tests.builders import (
    NOW,
    VILLA,
    agent,
    answers,
    assess,
    drafted,
    issued,
    requested,
    supervisor,
)
from insuredesk.sales.models import Application
from insuredesk.sales.questions import questions_for
from insuredesk.tests import factories

pytestmark = pytest.mark.usefixtures("catalogue")


@pytest.fixture(autouse=True)
def frozen():
    """The builders date the proposals at NOW; the pages read the clock."""
    with time_machine.travel(NOW, tick=False):
        yield


def form_data(**overrides):
    """What Alice types: the family answers, yes/no as the radio buttons send them."""
    data = {}
    for code, value in answers(**overrides).items():
        data[code] = str(value)
    return data


# --- portal ---------------------------------------------------------------------------------


def test_the_risk_check_asks_alice_with_what_we_know_filled_in(client, alice):
    factories.make_policy(alice, sum_insured=Decimal("800000"))
    client.force_login(alice.user)

    page = client.get(reverse("portal:risk-check")).content.decode()

    assert BY_CODE["rebuild_value"].en in page
    assert 'data-asked-if="home_status:own"' in page
    assert 'name="home_cover" value="800000' in page  # her home policy with us
    assert 'name="age" value="' in page


def test_a_chinese_reader_is_asked_in_chinese(client, db):
    wang = factories.make_customer("wang")
    wang.language = "zh"
    wang.save()
    client.force_login(wang.user)

    page = client.get(reverse("portal:risk-check")).content.decode()

    assert BY_CODE["rebuild_value"].zh in page


def test_alice_answers_and_lands_on_her_matrix_and_plan(client, alice):
    client.force_login(alice.user)

    response = client.post(reverse("portal:risk-check"), form_data())

    assessment = RiskAssessment.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("portal:risk-assessment", args=[assessment.public_id])
    page = client.get(response.url).content.decode()
    assert 'class="chart risk-matrix"' in page
    assert 'class="chart cover-chart"' in page
    assert "Harbour Term Life" in page and "Reduced to fit" in page
    apply_link = reverse("portal:apply", args=["harbour-term-life"]) + "?sum_insured=2280000.00"
    assert apply_link in page.replace("&amp;", "&")
    assert "Fit smoke alarms" in page  # prevention, not only insurance


def test_a_missing_answer_is_shown_beside_its_question_and_nothing_is_written(client, alice):
    client.force_login(alice.user)

    response = client.post(reverse("portal:risk-check"), form_data(rebuild_value=""))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_rebuild_value-error"' in page
    assert not RiskAssessment.objects.exists()


def test_alice_fits_her_plan_to_another_budget(client, alice):
    assessment = assess(alice)
    client.force_login(alice.user)

    response = client.post(
        reverse("portal:risk-assessment-budget", args=[assessment.public_id]),
        {"annual_budget": "10000"},
    )

    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.annual_budget == 10000


def test_mallory_gets_404_for_alices_check_and_proposal(client, alice, mallory):
    proposal = issued(alice, agent(), supervisor())
    client.force_login(mallory.user)
    public_id = proposal.assessment.public_id

    assert client.get(reverse("portal:risk-assessment", args=[public_id])).status_code == 404
    assert (
        client.post(
            reverse("portal:risk-assessment-budget", args=[public_id]), {"annual_budget": "1"}
        ).status_code
        == 404
    )
    assert client.get(reverse("portal:proposal", args=[proposal.reference])).status_code == 404
    option = proposal.options.first().public_id
    accept = reverse("portal:proposal-accept", args=[proposal.reference])
    assert client.post(accept, {"option": option}).status_code == 404


def test_the_villa_owner_asks_for_the_proposal_svc_21_calls_for(client, alice):
    assessment = assess(alice, **VILLA)
    client.force_login(alice.user)

    page = client.get(reverse("portal:risk-assessment", args=[assessment.public_id])).content
    assert "Ask for my written proposal" in page.decode()
    response = client.post(
        reverse("portal:risk-assessment-proposal", args=[assessment.public_id]), {"note": ""}
    )

    proposal = Proposal.objects.get()
    assert response.url == reverse("portal:proposal", args=[proposal.reference])
    waiting = client.get(response.url).content.decode()
    assert "We are preparing it" in waiting
    assert "16 March 2026" in waiting  # SVC-22: 10 business days from Monday 2 March


def test_a_draft_is_not_shown_to_the_customer_before_approval(client, alice):
    proposal = drafted(alice, agent())
    client.force_login(alice.user)

    page = client.get(reverse("portal:proposal", args=[proposal.reference])).content.decode()

    assert "We are preparing it" in page
    assert "Insured for half" not in page and proposal.findings not in page


def test_alice_accepts_an_option_and_goes_on_to_apply_for_it_filled_in(client, alice):
    proposal = issued(alice, agent(), supervisor())
    building = proposal.options.get(position=1)
    client.force_login(alice.user)
    page = client.get(reverse("portal:proposal", args=[proposal.reference])).content.decode()
    assert reverse("portal:letter-pdf", args=[proposal.letter.public_id]) in page

    response = client.post(
        reverse("portal:proposal-accept", args=[proposal.reference]),
        {"option": building.public_id},
    )

    assert response.status_code == 302
    assert response.url.startswith(reverse("portal:apply", args=["harbour-home"]))
    form = client.get(response.url).content.decode()
    assert 'name="sum_insured" value="10500000.00"' in form
    assert 'name="rating_contents_value" value="0.00"' in form
    proposal.case.refresh_from_db()
    assert proposal.case.status == ProposalStatus.ACCEPTED


def _filled_in(form_url: str, form_page: str, line: str) -> dict[str, str]:
    """What Alice sends back: every field as the form filled it in (the inputs, and the terms
    the link chose), each question answered "no"."""
    fields = dict(re.findall(r'<input[^>]*name="([a-z_]+)" value="([^"]*)"', form_page))
    fields.pop("csrfmiddlewaretoken", None)
    fields.update(parse_qsl(urlsplit(form_url).query))
    fields.pop("origin")  # it stays in the address the form posts to
    fields.update({f"answer_{q.code}": "no" for q in questions_for(line)})
    fields.setdefault("premium_frequency", "annual")
    return fields


def test_alice_applies_from_her_accepted_proposal_and_each_links_to_the_other(client, alice):
    proposal = issued(alice, agent(), supervisor())
    building = proposal.options.get(position=1)
    client.force_login(alice.user)
    to_form = client.post(
        reverse("portal:proposal-accept", args=[proposal.reference]),
        {"option": building.public_id},
    ).url
    form = client.get(to_form).content.decode()
    proposal_url = reverse("portal:proposal", args=[proposal.reference])
    before = client.get(proposal_url).content.decode()

    response = client.post(to_form, _filled_in(to_form, form, "home"))

    assert f"origin={proposal.reference}" in to_form
    assert 'id="origin"' in form and proposal.reference in form
    assert 'id="sale"' in before and html.escape(to_form) in before  # apply from here too
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.origin == proposal.case
    assert application.sum_insured == Decimal("10500000.00")
    after = client.get(proposal_url).content.decode()
    sale = after.split('id="sale"', 1)[1].split("</section>", 1)[0]
    assert application.case.reference in sale and "Apply for the option" not in sale
    assert "Application submitted" in after  # on the proposal's timeline
    page = client.get(reverse("portal:application", args=[application.case.reference]))
    assert f'href="{proposal_url}"' in page.content.decode()


def test_an_application_cannot_claim_another_customers_proposal(client, alice, mallory):
    proposal = issued(alice, agent(), supervisor())
    client.force_login(mallory.user)

    response = client.get(
        reverse("portal:apply", args=["harbour-home"]) + f"?origin={proposal.reference}"
    )

    assert response.status_code == 404


def test_alice_declines_and_an_unanswerable_step_shows_as_a_message(client, alice):
    proposal = requested(alice)
    client.force_login(alice.user)
    decline = reverse("portal:proposal-decline", args=[proposal.reference])

    response = client.post(decline, {"reason": "No"}, follow=True)

    assert "cannot become declined" in response.content.decode()
    assert Proposal.objects.get().status == ProposalStatus.REQUESTED


def test_my_risk_planning_page_lists_within_a_query_budget(
    client, alice, django_assert_max_num_queries
):
    for _ in range(3):
        requested(alice)
    client.force_login(alice.user)

    with django_assert_max_num_queries(8):
        page = client.get(reverse("portal:planning"))

    assert page.content.decode().count("/portal/planning/proposals/PRP-") == 6


# --- console --------------------------------------------------------------------------------


def test_dave_checks_alices_risks_with_her_and_requests_a_proposal_saying_why(client, alice):
    dave = agent()
    client.force_login(dave)

    response = client.post(reverse("console:risk-check", args=[alice.number]), form_data())

    assessment = RiskAssessment.objects.get()
    assert assessment.agent == dave
    assert response.url == reverse("console:risk-assessment", args=[assessment.public_id])
    page = client.get(response.url).content.decode()
    assert "console:apply" not in page
    assert f"/console/customers/{alice.number}/apply/harbour-term-life/" in page
    refused = client.post(
        reverse("console:risk-assessment-proposal", args=[assessment.public_id]), {"note": ""}
    )
    assert refused.status_code == 200
    assert "say why" in refused.content.decode()
    made = client.post(
        reverse("console:risk-assessment-proposal", args=[assessment.public_id]),
        {"note": "Wants it in writing for the bank."},
    )
    assert made.url == reverse("console:proposal", args=[Proposal.objects.get().reference])


def test_a_claims_handler_reads_but_may_not_check_a_customers_risks(client, alice, bob):
    client.force_login(bob)

    assert client.get(reverse("console:risk-check", args=[alice.number])).status_code == 403
    assert client.get(reverse("console:customer-planning", args=[alice.number])).status_code == 200


def test_dave_drafts_from_the_prefilled_form_and_a_bad_option_shows_beside_it(client, alice):
    dave = agent()
    proposal = requested(alice)
    client.force_login(dave)
    page = client.get(reverse("console:proposal", args=[proposal.reference])).content.decode()
    assert "Fire destroys your home" in page  # the first draft's findings, from the check
    assert 'value="12000000' in page  # the plan's full cover as the first option

    data = {
        "findings": "Half insured.",
        "prevention_scheme": "Leak sensors.",
        "resolution_scheme": "Report at once.",
        "market_factors": "Rates yearly.",
        "option_0_label": "Full value",
        "option_0_product": "harbour-home",
        "option_0_sum_insured": "13000000",
        "option_0_term_years": "1",
    }
    refused = client.post(reverse("console:proposal-draft", args=[proposal.reference]), data)
    assert refused.status_code == 200
    assert "IL Art. 55" in refused.content.decode()
    assert 'class="has-error"' in refused.content.decode()
    data["option_0_sum_insured"] = "12000000"
    saved = client.post(reverse("console:proposal-draft", args=[proposal.reference]), data)

    assert saved.status_code == 302
    assert Proposal.objects.get().status == ProposalStatus.DRAFTED


def test_carol_approves_dave_may_not_and_carol_not_her_own_draft(client, alice):
    dave, carol = agent(), supervisor()
    proposal = drafted(alice, dave)
    approve = reverse("console:proposal-approve", args=[proposal.reference])

    client.force_login(dave)
    assert client.post(approve).status_code == 403
    client.force_login(carol)
    page = client.get(reverse("console:proposal", args=[proposal.reference])).content.decode()
    assert "Approve and issue" in page
    client.post(approve)

    assert Proposal.objects.get().status == ProposalStatus.ISSUED
    own = drafted(factories.make_customer("zoe"), carol)
    page = client.get(reverse("console:proposal", args=[own.reference])).content.decode()
    assert "Approve and issue" not in page
    assert "another supervisor approves it" in page


def test_the_proposals_list_orders_by_deadline_within_a_query_budget(
    client, alice, mallory, django_assert_max_num_queries
):
    carol = supervisor()
    for customer in (alice, mallory, factories.make_customer("zoe")):
        requested(customer)
    client.force_login(carol)

    with django_assert_max_num_queries(12):
        page = client.get(reverse("console:proposals"))

    assert page.content.decode().count('href="/console/proposals/PRP-') == 3


def test_the_customer_page_shows_their_risk_planning(client, alice):
    assess(alice)
    client.force_login(agent())

    page = client.get(reverse("console:customer", args=[alice.number])).content.decode()

    assert "Risk planning" in page
    assert reverse("console:risk-check", args=[alice.number]) in page


def test_a_customers_risk_planning_page_lists_within_a_query_budget(
    client, alice, django_assert_max_num_queries
):
    for _ in range(3):
        requested(alice)
    client.force_login(agent())

    with django_assert_max_num_queries(10):
        page = client.get(reverse("console:customer-planning", args=[alice.number]))

    assert page.content.decode().count('href="/console/proposals/PRP-') == 6
