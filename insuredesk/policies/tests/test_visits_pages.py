"""The visit pages: the customer's in the portal, the agents' queue and visit page in the
console, and the customer page's section; who may open which, and what each form does."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from insuredesk.policies import visiting
from insuredesk.policies.choices import VisitStatus
from insuredesk.policies.tests.visit_factories import NOW, fresh, sold_policy, welcome_visit
from insuredesk.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def signed_in(client, user):
    client.login(username=user.username, password=factories.PASSWORD)
    return client


def test_alice_sees_her_upcoming_visit_and_can_ask_for_one(client, alice, dave):
    visit = welcome_visit(alice, dave)

    page = signed_in(client, alice.user).get("/portal/visits/").content.decode()

    assert visit.reference in page and "Welcome and delivery" in page
    assert "Ask for a visit" in page


def test_mallory_gets_404_for_alices_visit_page(client, alice, mallory, dave):
    visit = welcome_visit(alice, dave)

    response = signed_in(client, mallory.user).get(f"/portal/visits/{visit.reference}/")

    assert response.status_code == 404


def test_alice_proposes_a_time_from_the_visit_page(client, alice, dave):
    visit = welcome_visit(alice, dave)

    response = signed_in(client, alice.user).post(
        f"/portal/visits/{visit.reference}/propose/",
        {"scheduled_at": "2026-03-11T15:00", "channel": "video", "place": "", "note": ""},
    )

    visit = fresh(visit)
    assert response.status_code == 302
    assert visit.case.status == VisitStatus.PROPOSED
    assert visit.scheduled_at == dt.datetime(2026, 3, 11, 15, 0, tzinfo=NOW.tzinfo)


def test_a_time_in_the_past_is_refused_naming_the_field(client, alice, dave):
    visit = welcome_visit(alice, dave)
    signed_in(client, alice.user)

    response = client.post(
        f"/portal/visits/{visit.reference}/propose/",
        {"scheduled_at": "2026-03-01T15:00", "channel": "video"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    beside = page.split('id="id_scheduled_at"', 1)[1].split("</div>", 1)[0]
    assert 'id="id_scheduled_at-error">The visit must be in the future.' in beside
    assert 'value="2026-03-01T15:00"' in page  # what she typed, kept
    assert fresh(visit).case.status == VisitStatus.PLANNED


def test_alice_asks_for_a_visit_about_her_policy(client, alice, dave):
    policy = sold_policy(alice, dave, issued_at=NOW - dt.timedelta(days=200))

    response = signed_in(client, alice.user).post(
        "/portal/visits/request/", {"policy": policy.number, "note": "New baby.", "channel": ""}
    )

    visit = policy.visits.get()
    assert response.status_code == 302 and response.url == f"/portal/visits/{visit.reference}/"
    assert visit.case.assignee == dave


def test_alice_rates_her_completed_visit(client, alice, dave):
    visit = welcome_visit(alice, dave)
    visiting.record_visit_outcome(
        actor=dave,
        visit=visit,
        outcome="completed",
        checklist=dict.fromkeys(visiting.WELCOME_CHECKLIST, True),
        now=NOW,
    )
    signed_in(client, alice.user)

    client.post(f"/portal/visits/{visit.reference}/rate/", {"rating": "5", "comment": "Kind."})

    assert fresh(visit).rating == 5
    assert (
        "You rated this visit" in client.get(f"/portal/visits/{visit.reference}/").content.decode()
    )


def test_a_customer_cannot_open_the_console_queue(client, alice):
    assert signed_in(client, alice.user).get("/console/visits/").status_code == 403


def test_daves_queue_puts_the_overdue_first_and_draws_the_weekly_chart(client, alice, dave):
    late = welcome_visit(alice, dave, now=NOW - dt.timedelta(days=15))  # was due on 4 March
    soon = welcome_visit(alice, dave)

    page = signed_in(client, dave).get("/console/visits/").content.decode()

    assert page.index(late.reference) < page.index(soon.reference)
    assert "1 overdue of 2" in page
    assert '<svg class="chart"' in page and "completed" in page


def test_the_queue_costs_the_same_queries_for_two_visits_or_twelve(client, alice, dave):
    welcome_visit(alice, dave)
    welcome_visit(alice, None)
    signed_in(client, dave).get("/console/visits/")
    with CaptureQueriesContext(connection) as few:
        client.get("/console/visits/")
    for _ in range(10):
        sold_policy(alice, dave)
    visiting.plan_visits(now=NOW)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/console/visits/").content.decode()

    assert page.count('href="/console/visits/VIS-') == 11
    assert len(many) == len(few), [q["sql"] for q in many]


def test_the_portal_list_costs_the_same_queries_for_one_visit_or_ten(client, alice, dave):
    welcome_visit(alice, dave)
    signed_in(client, alice.user).get("/portal/visits/")
    with CaptureQueriesContext(connection) as few:
        client.get("/portal/visits/")
    for _ in range(9):
        sold_policy(alice, dave)
    visiting.plan_visits(now=NOW)
    with CaptureQueriesContext(connection) as many:
        client.get("/portal/visits/")

    assert len(many) == len(few), [q["sql"] for q in many]


def test_dave_confirms_records_a_welcome_visit_and_raises_a_task(client, alice, dave):
    visit = welcome_visit(alice, dave)
    signed_in(client, dave)
    url = f"/console/visits/{visit.reference}/"

    page = client.get(url).content.decode()
    client.post(url + "schedule/", {"scheduled_at": "2026-03-09T16:00", "channel": "phone"})
    client.post(
        url + "outcome/",
        {
            "outcome": "completed",
            "notes": "Explained 4.1.",
            "needs": ["address_change"],
            "policy_explained": "on",
            "exemptions_understood": "on",
            "cooling_off_explained": "on",
        },
    )
    client.post(
        url + "follow-ups/", {"need": "address_change", "action": "task", "note": "Update it."}
    )

    visit = fresh(visit)
    assert "Cooling-off" in page and "Wear and tear" in page  # what a welcome visit checks
    assert visit.case.status == VisitStatus.COMPLETED
    assert visit.checklist == dict.fromkeys(visiting.WELCOME_CHECKLIST, True)
    assert visit.follow_ups.get().action == "task"
    assert "Update it." in client.get(url).content.decode()


def test_the_customer_page_lists_the_customers_visits(client, alice, dave):
    visit = welcome_visit(alice, dave)

    page = signed_in(client, dave).get(f"/console/customers/{alice.number}/").content.decode()

    assert 'id="customer-visits"' in page and visit.reference in page


def test_an_agent_plans_a_visit_the_customer_asked_for_by_phone(client, alice, dave):
    signed_in(client, dave).post(
        f"/console/customers/{alice.number}/visits/",
        {"policy": "", "channel": "phone", "scheduled_at": "2026-03-10T09:30", "note": "Called."},
    )

    visit = alice.visits.get()
    assert (visit.case.status, visit.case.assignee) == (VisitStatus.SCHEDULED, dave)


def test_the_admin_lists_visits_read_only(admin_client, alice, dave):
    visit = welcome_visit(alice, dave)

    listed = admin_client.get("/admin/policies/visit/")
    opened = admin_client.get(f"/admin/policies/visit/{visit.pk}/change/")

    assert listed.status_code == 200 and visit.reference in listed.content.decode()
    assert opened.status_code == 200 and 'name="due_on"' not in opened.content.decode()


def test_the_policy_page_lists_its_visits_for_alice_and_dave(client, alice, dave):
    visit = welcome_visit(alice, dave)
    number = visit.policy.number

    portal = signed_in(client, alice.user).get(f"/portal/policies/{number}/").content.decode()
    assert f'href="/portal/visits/{visit.reference}/"' in portal
    assert "Welcome and delivery" in portal

    console = signed_in(client, dave).get(f"/console/policies/{number}/").content.decode()
    assert f'href="/console/visits/{visit.reference}/"' in console
    assert dave.username in console.split('id="visits"', 1)[1]


def test_a_policy_without_visits_says_so(client, alice):
    policy = sold_policy(alice)

    page = signed_in(client, alice.user).get(f"/portal/policies/{policy.number}/").content.decode()

    assert "No visit about this policy yet." in page


def test_dave_arranging_a_time_in_the_past_sees_the_reason_beside_it(client, alice, dave):
    visit = welcome_visit(alice, dave)

    response = signed_in(client, dave).post(
        f"/console/visits/{visit.reference}/schedule/",
        {"scheduled_at": "2026-03-02T09:00", "channel": "phone", "place": "", "note": ""},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_scheduled_at-error">The visit must be in the future.' in page
    assert "<details open>" in page.split('id="appointment"', 1)[1]
    assert fresh(visit).case.status == VisitStatus.PLANNED


def test_a_follow_up_without_its_note_is_shown_again_open_with_the_reason(client, alice, dave):
    visit = welcome_visit(alice, dave)
    url = f"/console/visits/{visit.reference}/"
    signed_in(client, dave).post(
        url + "schedule/", {"scheduled_at": "2026-03-09T16:00", "channel": "phone"}
    )
    ticked = dict.fromkeys(visiting.WELCOME_CHECKLIST, "on")
    client.post(url + "outcome/", {"outcome": "completed", "needs": ["quote"], **ticked})

    response = client.post(url + "follow-ups/", {"need": "quote", "action": "task", "note": ""})

    section = response.content.decode().split('id="follow-ups"', 1)[1]
    assert response.status_code == 200
    assert "<details open>" in section and 'id="id_note-error"' in section
    assert not fresh(visit).follow_ups.exists()


def test_planning_a_visit_for_a_customer_with_a_bad_time_keeps_the_form_open(client, alice, dave):
    response = signed_in(client, dave).post(
        f"/console/customers/{alice.number}/visits/",
        {"policy": "", "channel": "phone", "scheduled_at": "not a time", "place": "", "note": ""},
    )

    section = response.content.decode().split('id="plan-visit"', 1)[1]
    assert response.status_code == 200
    assert section.startswith(" open>") and 'id="id_scheduled_at-error"' in section
    assert not alice.visits.exists()
