"""Work queues: nearest deadline first; supervisors see everyone's and reassign."""

from datetime import timedelta

from insuredesk.casework import services
from insuredesk.casework.selectors import work_queue
from insuredesk.casework.tests.test_transitions import NOW, open_test_case


def test_queue_orders_cases_by_nearest_deadline(alice, bob):
    later = open_test_case(alice, now=NOW)
    sooner = open_test_case(alice, now=NOW - timedelta(days=20))
    no_clock = open_test_case(alice, now=NOW)
    services.transition(no_clock, to="assessing", actor=bob, now=NOW)
    services.transition(no_clock, to="decided", actor=bob, now=NOW)
    refs = [c.reference for c in work_queue(bob)]
    assert refs == [sooner.reference, later.reference, no_clock.reference]


def test_staff_queue_shows_own_and_unassigned_but_not_colleagues_cases(alice, bob, erin):
    mine = open_test_case(alice)
    theirs = open_test_case(alice)
    pool = open_test_case(alice)
    services.assign(mine, assignee=bob, actor=None, now=NOW)
    services.assign(theirs, assignee=erin, actor=None, now=NOW)
    refs = {c.reference for c in work_queue(bob)}
    assert refs == {mine.reference, pool.reference}


def test_supervisor_sees_everyones_queue(alice, bob, erin, carol):
    theirs = open_test_case(alice)
    services.assign(theirs, assignee=erin, actor=None, now=NOW)
    assert theirs.reference in {c.reference for c in work_queue(carol, everyone=True)}
    assert theirs.reference not in {c.reference for c in work_queue(bob, everyone=True)}


def test_queue_page_lists_cases_with_bounded_queries(
    client, alice, bob, django_assert_max_num_queries
):
    for _ in range(5):
        open_test_case(alice)
    client.force_login(bob)
    with django_assert_max_num_queries(12):
        response = client.get("/console/queue/")
    assert response.status_code == 200
    assert response.content.count(b"TST-2026-") >= 5


def test_supervisor_reassigns_from_the_queue_page_and_an_event_is_written(
    client, alice, carol, bob
):
    case = open_test_case(alice)
    client.force_login(carol)
    response = client.post(f"/console/cases/{case.reference}/assign/", {"assignee": bob.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assignee == bob
    assert case.events.filter(kind="assigned").exists()


def test_a_handler_cannot_reassign(client, alice, bob):
    case = open_test_case(alice)
    client.force_login(bob)
    response = client.post(f"/console/cases/{case.reference}/assign/", {"assignee": bob.pk})
    assert response.status_code == 403


def test_customer_timeline_shows_only_customer_visible_events(client, alice, bob):
    case = open_test_case(alice)
    services.assign(case, assignee=bob, actor=bob, now=NOW)  # staff-only event
    client.force_login(alice.user)
    page = client.get("/portal/timeline/").content.decode()
    assert case.reference in page and "Assigned" not in page
    client.force_login(bob)
    page = client.get(f"/console/customers/{alice.number}/timeline/").content.decode()
    assert "Assigned" in page


def test_mallory_cannot_open_alices_case_page(client, alice, mallory):
    case = open_test_case(alice)
    client.force_login(mallory.user)
    assert client.get(f"/portal/cases/{case.reference}/").status_code == 404


def test_api_queue_is_for_staff_and_case_detail_is_404_for_other_customers(
    client, alice, mallory, bob, auth_headers
):
    case = open_test_case(alice)
    assert client.get("/api/v1/cases/queue", headers=auth_headers(alice.user)).status_code == 403
    response = client.get("/api/v1/cases/queue", headers=auth_headers(bob))
    assert response.status_code == 200 and response.json()["count"] == 1
    response = client.get(f"/api/v1/cases/{case.reference}", headers=auth_headers(mallory.user))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    mine = client.get(f"/api/v1/cases/{case.reference}", headers=auth_headers(alice.user)).json()
    assert mine["clocks"][0]["rule"] == "CN-19"
