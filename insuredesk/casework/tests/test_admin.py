"""The admin shows cases and events but cannot change or delete them (the audit trail)."""

from django.contrib.auth import get_user_model

from insuredesk.casework.tests.test_transitions import open_test_case


def test_admin_lists_events_but_offers_no_change_or_delete(client, alice):
    case = open_test_case(alice)
    event = case.events.get()
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(admin)
    assert client.get("/admin/casework/caseevent/").status_code == 200
    page = client.get(f"/admin/casework/caseevent/{event.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert (
        client.post(f"/admin/casework/caseevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert case.events.count() == 1
    assert client.get(f"/admin/casework/case/{case.pk}/change/").status_code == 200
