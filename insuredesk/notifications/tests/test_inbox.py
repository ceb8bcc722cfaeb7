"""The inbox (notifications): Alice reads what reached her; Mallory sees none of it."""

import pytest
from django.urls import reverse

from insuredesk.notifications import services
from insuredesk.notifications.models import Message


def deliver(alice, channel: str, key: str, **extra):
    message = services.notify(
        recipient=alice,
        channel=channel,
        subject=f"About {key}",
        body="Body text",
        dedupe_key=key,
        now=extra.pop("now", None) or _now(),
        **extra,
    )
    assert services.deliver_message(message_id=message.pk, worker="t", now=_now()) == "sent"
    return Message.objects.get(pk=message.pk)


def _now():
    from django.utils import timezone

    return timezone.now()


@pytest.fixture
def alice_inbox(alice):
    return [
        deliver(alice, "portal", "p1"),
        deliver(alice, "email", "e1"),
        deliver(alice, "sms", "s1"),
    ]


def test_alices_inbox_shows_portal_messages_and_what_was_sent_to_her(
    client, alice, alice_inbox, django_assert_max_num_queries
):
    services.notify(
        recipient=alice,
        channel="email",
        subject="Not yet sent",
        body="",
        dedupe_key="pending",
        now=_now(),
    )
    client.force_login(alice.user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("portal:inbox"))
    html = response.content.decode()
    assert response.status_code == 200
    assert all(f"About {k}" in html for k in ("p1", "e1", "s1"))
    assert "Not yet sent" not in html
    assert html.count("unread</span>") == 3


def test_mallory_sees_nothing_of_alices_inbox(client, mallory, alice_inbox, auth_headers):
    client.force_login(mallory.user)
    assert "About p1" not in client.get(reverse("portal:inbox")).content.decode()
    target = alice_inbox[0].public_id
    assert client.post(reverse("portal:inbox-read", args=[target])).status_code == 404
    headers = auth_headers(mallory.user)
    assert client.get("/api/v1/inbox", headers=headers).json() == {"items": [], "count": 0}
    response = client.post(f"/api/v1/inbox/{target}/read", headers=headers)
    assert response.status_code == 404
    alice_inbox[0].refresh_from_db()
    assert alice_inbox[0].read_at is None


def test_alice_marks_a_message_read_and_the_first_time_is_kept(
    client, alice, alice_inbox, auth_headers
):
    headers = auth_headers(alice.user)
    target = alice_inbox[0].public_id
    first = client.post(f"/api/v1/inbox/{target}/read", headers=headers).json()
    again = client.post(f"/api/v1/inbox/{target}/read", headers=headers).json()
    assert first["unread"] is False and first["read_at"] == again["read_at"]
    unread = client.get("/api/v1/inbox?unread=true", headers=headers).json()
    assert unread["count"] == 2


def test_marking_read_on_the_page_answers_htmx_with_the_updated_message(client, alice, alice_inbox):
    client.force_login(alice.user)
    url = reverse("portal:inbox-read", args=[alice_inbox[1].public_id])
    response = client.post(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "unread</span>" not in response.content.decode()
    assert client.post(url).status_code == 302


def test_staff_read_their_deadline_alerts_in_the_console_inbox(client, bob):
    deliver(bob, "portal", "clock:1:soon")
    client.force_login(bob)
    response = client.get(reverse("console:inbox"))
    assert response.status_code == 200
    assert "About clock:1:soon" in response.content.decode()
