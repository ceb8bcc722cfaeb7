"""Free lectures: seats, the waiting list, reminders once, attendance and follow-up tasks."""

import datetime as dt

import pytest
from django.utils import timezone

from insuredesk.consultation import services
from insuredesk.consultation.choices import ConsultationStatus, RegistrationStatus
from insuredesk.consultation.tests.factories import make_lecture
from insuredesk.errors import Conflict, NotFound, ValidationFailed
from insuredesk.notifications.models import Message
from insuredesk.tests.factories import make_customer

pytestmark = pytest.mark.django_db


def _register(lecture, customer, **kwargs):
    return services.register_for_lecture(
        lecture=lecture, attendee=customer, actor=customer.user, now=timezone.now(), **kwargs
    )


def test_a_full_lecture_puts_people_on_the_waiting_list_and_a_cancellation_promotes_the_first(
    alice, mallory
):
    lecture = make_lecture(capacity=1)
    zoe = make_customer("zoe")
    first = _register(lecture, alice)
    second = _register(lecture, mallory)
    third = _register(lecture, zoe)
    assert [first.status, second.status, third.status] == ["registered", "waiting", "waiting"]
    services.cancel_registration(registration=first, actor=alice.user, now=timezone.now())
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == RegistrationStatus.REGISTERED and second.promoted_at
    assert third.status == RegistrationStatus.WAITING
    assert Message.objects.filter(dedupe_key=f"lecture-promoted:{second.public_id}").exists()


def test_registering_twice_is_a_conflict(alice):
    lecture = make_lecture()
    _register(lecture, alice)
    with pytest.raises(Conflict):
        _register(lecture, alice)


def test_mallory_cannot_cancel_alices_seat(alice, mallory):
    registration = _register(make_lecture(), alice)
    with pytest.raises(NotFound):
        services.cancel_registration(
            registration=registration, actor=mallory.user, now=timezone.now()
        )


def test_the_reminder_goes_out_once_the_day_before(alice, mallory):
    soon = make_lecture(capacity=5, starts_in=dt.timedelta(hours=20))
    later = make_lecture(capacity=5, starts_in=dt.timedelta(days=5))
    _register(soon, alice)
    _register(later, mallory)
    now = timezone.now()
    assert services.send_lecture_reminders(now=now) == 1
    assert services.send_lecture_reminders(now=now + dt.timedelta(minutes=10)) == 0
    reminders = Message.objects.filter(dedupe_key__startswith="lecture-reminder:")
    assert reminders.count() == 1 and reminders.get().recipient_customer == alice


def test_an_attendee_who_asked_for_follow_up_gets_an_agent_task(alice, mallory, dave):
    lecture = make_lecture(capacity=5, starts_in=dt.timedelta(hours=1))
    wants = _register(lecture, alice, wants_follow_up=True)
    does_not = _register(lecture, mallory)
    later = timezone.now() + dt.timedelta(hours=2)
    services.record_attendance(registration=wants, attended=True, actor=dave, now=later)
    services.record_attendance(registration=does_not, attended=True, actor=dave, now=later)
    wants.refresh_from_db()
    does_not.refresh_from_db()
    assert wants.follow_up.case.status == ConsultationStatus.AWAITING_AGENT
    assert wants.follow_up.asker == alice
    assert does_not.follow_up is None
    services.record_attendance(registration=wants, attended=True, actor=dave, now=later)
    wants.refresh_from_db()
    assert wants.follow_up is not None  # still one task


def test_a_lecture_needs_a_place_and_seats(dave):
    with pytest.raises(ValidationFailed) as raised:
        services.publish_lecture(
            actor=dave,
            now=timezone.now(),
            title="T",
            topic="t",
            speaker="s",
            starts_at=timezone.now() + dt.timedelta(days=1),
            capacity=10,
        )
    assert raised.value.details["field"] == "venue"
    with pytest.raises(ValidationFailed) as raised:
        services.publish_lecture(
            actor=dave,
            now=timezone.now(),
            title="T",
            topic="t",
            speaker="s",
            starts_at=timezone.now() + dt.timedelta(days=1),
            capacity=0,
            venue="Hall",
        )
    assert raised.value.details["field"] == "capacity"
