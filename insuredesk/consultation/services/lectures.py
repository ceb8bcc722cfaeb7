"""Free lectures: publish, register (with a waiting list), cancel, remind, record attendance."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from insuredesk.consultation.choices import LectureStatus, RegistrationStatus
from insuredesk.consultation.models import Lecture, LectureRegistration
from insuredesk.customers.models import CustomerProfile
from insuredesk.customers.roles import Role, has_role
from insuredesk.customers.selectors import customer_of
from insuredesk.errors import Conflict, InvalidTransition, NotFound, NotPermitted, ValidationFailed

REMINDER_LEAD = timedelta(days=1)


def _must_organise(actor) -> None:
    if not has_role(actor, Role.AGENT, Role.SUPERVISOR, Role.ADMINISTRATOR):
        raise NotPermitted("Only agents organise lectures.")


def publish_lecture(
    *,
    actor,
    now: datetime,
    title: str,
    topic: str,
    speaker: str,
    starts_at: datetime,
    capacity: int,
    duration_minutes: int = 60,
    venue: str = "",
    online_link: str = "",
    description: str = "",
) -> Lecture:
    """A lecture open for registration."""
    _must_organise(actor)
    for name, value in (("title", title), ("topic", topic), ("speaker", speaker)):
        if not (value or "").strip():
            raise ValidationFailed(f"The {name} is required.", field=name)
        if len(value) > 200:
            raise ValidationFailed(f"The {name} is too long.", field=name)
    if timezone.is_naive(starts_at):
        raise ValidationFailed("Give the time with its time zone.", field="starts_at")
    if starts_at <= now:
        raise ValidationFailed("The lecture must start in the future.", field="starts_at")
    if not isinstance(capacity, int) or not 1 <= capacity <= 10000:
        raise ValidationFailed("Capacity is 1 to 10,000 seats.", field="capacity")
    if not 10 <= duration_minutes <= 600:
        raise ValidationFailed("A lecture lasts 10 to 600 minutes.", field="duration_minutes")
    if not venue.strip() and not online_link.strip():
        raise ValidationFailed("Give a venue or an online link.", field="venue")
    if online_link and not online_link.startswith(("https://", "http://")):
        raise ValidationFailed("The online link must be a web address.", field="online_link")
    with transaction.atomic(durable=True):
        return Lecture.objects.create(
            title=title.strip(),
            topic=topic.strip(),
            speaker=speaker.strip(),
            description=description.strip(),
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            venue=venue.strip(),
            online_link=online_link.strip(),
            capacity=capacity,
            created_by=actor,
            created_at=now,
        )


def register_for_lecture(
    *,
    lecture: Lecture,
    attendee: CustomerProfile,
    actor,
    now: datetime,
    wants_follow_up: bool = False,
) -> LectureRegistration:
    """A seat if one is free, else a place on the waiting list (first come, first served).

    The lecture row is locked while seats are counted, so two people cannot take the last seat.
    """
    with transaction.atomic(durable=True):
        locked = Lecture.objects.select_for_update().get(pk=lecture.pk)
        if locked.status != LectureStatus.PUBLISHED:
            raise InvalidTransition("This lecture is cancelled.")
        if locked.starts_at <= now:
            raise InvalidTransition("This lecture has started; registration is closed.")
        live = locked.registrations.exclude(status=RegistrationStatus.CANCELLED)
        if live.filter(attendee=attendee).exists():
            raise Conflict("You are already registered for this lecture.")
        seats_taken = live.filter(status=RegistrationStatus.REGISTERED).count()
        status = (
            RegistrationStatus.REGISTERED
            if seats_taken < locked.capacity
            else RegistrationStatus.WAITING
        )
        registration = LectureRegistration.objects.create(
            lecture=locked,
            attendee=attendee,
            status=status,
            wants_follow_up=wants_follow_up,
            registered_at=now,
        )
        _tell(registration, now=now, what="registered" if status == "registered" else "waiting")
    return registration


def cancel_registration(*, registration: LectureRegistration, actor, now: datetime) -> None:
    """Give up a seat (or a waiting-list place); a freed seat goes to the first one waiting."""
    customer = customer_of(actor)
    own = customer is not None and customer.pk == registration.attendee_id
    if not own and not has_role(actor, Role.AGENT, Role.SUPERVISOR, Role.ADMINISTRATOR):
        raise NotFound("No such registration.")
    with transaction.atomic(durable=True):
        lecture = Lecture.objects.select_for_update().get(pk=registration.lecture_id)
        held_seat = LectureRegistration.objects.filter(
            pk=registration.pk, status=RegistrationStatus.REGISTERED
        ).exists()
        cancelled = (
            LectureRegistration.objects.filter(pk=registration.pk)
            .exclude(status=RegistrationStatus.CANCELLED)
            .update(status=RegistrationStatus.CANCELLED, cancelled_at=now)
        )
        if not cancelled:
            raise InvalidTransition("This registration is already cancelled.")
        registration.status, registration.cancelled_at = RegistrationStatus.CANCELLED, now
        if held_seat and lecture.starts_at > now:
            _promote_waiting(lecture, now=now)


def _promote_waiting(lecture: Lecture, *, now: datetime) -> LectureRegistration | None:
    seats_taken = lecture.registrations.filter(status=RegistrationStatus.REGISTERED).count()
    if seats_taken >= lecture.capacity:
        return None
    first = (
        lecture.registrations.filter(status=RegistrationStatus.WAITING)
        .order_by("registered_at", "id")
        .first()
    )
    if first is None:
        return None
    LectureRegistration.objects.filter(pk=first.pk).update(
        status=RegistrationStatus.REGISTERED, promoted_at=now
    )
    first.status, first.promoted_at = RegistrationStatus.REGISTERED, now
    _tell(first, now=now, what="promoted")
    return first


def _tell(registration: LectureRegistration, *, now: datetime, what: str) -> None:
    from insuredesk.notifications.services import notify

    lecture = registration.lecture
    when = timezone.localtime(lecture.starts_at).strftime("%Y-%m-%d %H:%M")
    where = lecture.venue or lecture.online_link
    texts = {
        "registered": (
            "Your seat is booked",
            f"You have a seat at “{lecture.title}” on {when}, {where}.",
        ),
        "waiting": (
            "You are on the waiting list",
            f"“{lecture.title}” on {when} is full; you "
            "are on the waiting list and we will write as soon as a seat is free.",
        ),
        "promoted": (
            "A seat is free for you",
            f"A seat became free: you now have a seat at “{lecture.title}” on {when}, {where}.",
        ),
        "reminder": (
            "Reminder: lecture tomorrow",
            f"“{lecture.title}” with {lecture.speaker} "
            f"starts on {when}, {where}. We look forward to seeing you.",
        ),
    }
    subject, body = texts[what]
    notify(
        recipient=registration.attendee,
        channel="email",
        subject=subject,
        body=body,
        dedupe_key=f"lecture-{what}:{registration.public_id}",
        now=now,
    )


def send_lecture_reminders(*, now: datetime) -> int:
    """Remind everyone with a seat at a lecture starting within the next day, once each.

    The sweep runs periodically (the worker's schedule or `insuredesk lectures remind`); the
    `reminded_at` mark and the outbox's dedupe key make a repeated sweep send nothing twice.
    """
    due = LectureRegistration.objects.filter(
        status=RegistrationStatus.REGISTERED,
        reminded_at__isnull=True,
        lecture__status=LectureStatus.PUBLISHED,
        lecture__starts_at__gt=now,
        lecture__starts_at__lte=now + REMINDER_LEAD,
    ).select_related("lecture", "attendee")
    sent = 0
    with transaction.atomic(durable=True):
        for registration in due.select_for_update(of=("self",)):
            marked = LectureRegistration.objects.filter(
                pk=registration.pk, reminded_at__isnull=True
            ).update(reminded_at=now)
            if marked:
                _tell(registration, now=now, what="reminder")
                sent += 1
    return sent


def record_attendance(
    *,
    registration: LectureRegistration,
    attended: bool,
    actor,
    now: datetime,
) -> LectureRegistration:
    """Mark who came; an attendee who asked for a follow-up gets a task in the agents' queue."""
    from insuredesk.consultation.services.consultations import open_follow_up_task

    _must_organise(actor)
    lecture = registration.lecture
    if lecture.starts_at > now:
        raise InvalidTransition("Attendance is recorded once the lecture has begun.")
    if registration.status != RegistrationStatus.REGISTERED:
        raise InvalidTransition("Only someone with a seat can attend.")
    with transaction.atomic(durable=True):
        registration = LectureRegistration.objects.select_for_update().get(pk=registration.pk)
        registration.attended = attended
        fields = ["attended"]
        if attended and registration.wants_follow_up and registration.follow_up_id is None:
            registration.follow_up = open_follow_up_task(
                customer=registration.attendee,
                subject=f"Follow-up after the lecture “{lecture.title}”"[:200],
                body=(
                    f"{registration.attendee.full_name} attended “{lecture.title}” on "
                    f"{timezone.localtime(lecture.starts_at):%Y-%m-%d} and asked to be contacted "
                    "by an agent."
                ),
                now=now,
                language=registration.attendee.language,
            )
            fields.append("follow_up")
        registration.save(update_fields=fields)
    return registration


def cancel_lecture(*, lecture: Lecture, actor, now: datetime) -> None:
    """Call a lecture off and tell everyone registered or waiting."""
    _must_organise(actor)
    from insuredesk.notifications.services import notify

    with transaction.atomic(durable=True):
        moved = Lecture.objects.filter(pk=lecture.pk, status=LectureStatus.PUBLISHED).update(
            status=LectureStatus.CANCELLED
        )
        if not moved:
            raise InvalidTransition("This lecture is already cancelled.")
        for registration in lecture.registrations.exclude(
            status=RegistrationStatus.CANCELLED
        ).select_related("attendee"):
            notify(
                recipient=registration.attendee,
                channel="email",
                subject="Lecture cancelled",
                body=f"We are sorry: “{lecture.title}” will not take place.",
                dedupe_key=f"lecture-cancelled:{registration.public_id}",
                now=now,
            )
