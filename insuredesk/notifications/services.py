"""The outbox: write a message with the change that causes it, deliver it after commit.

Delivery guarantee, honestly stated
-----------------------------------
A message is written in the caller's transaction and a delivery task is enqueued only after
that transaction commits (`transaction.on_commit`); if the enqueue itself is lost (the process
dies right after the commit), the worker's sweep finds the pending row and queues it again.

A deliverer first *claims* the row with one compare-and-set UPDATE (pending/failed → sending,
stamped with its worker name). Only the deliverer whose UPDATE matched sends, so two workers,
two duplicate tasks or a task racing the sweep never send the same message twice. After the
send, the outcome is recorded with another compare-and-set on (sending, claimed_by = me).

The one unavoidable window is between the send and that record: if the worker dies there, the
row stays `sending`. After the lease (`LEASE`, 5 minutes by default, far longer than the send
timeout) the sweep puts it back to pending and it is sent again. We choose that over losing
the message: a statutory notice that never arrives is worse than one that arrives twice. So the
outbox is at-least-once across a crash in that window and exactly-once otherwise; each send
carries the message's public id (e-mail Message-ID, SMS gateway reference) so a receiving
system can recognise a repeat. A worker that dies *before* sending (after claiming) costs
nothing but the lease: the message is sent once, when re-claimed.
"""

import logging
import os
import socket
import threading
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q

from insuredesk.customers.models import CustomerProfile
from insuredesk.customers.selectors import customer_of
from insuredesk.errors import ValidationFailed
from insuredesk.notifications import sms
from insuredesk.notifications.models import CLAIMABLE, Channel, Message, MessageStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import User  # AUTH_USER_MODEL

logger = logging.getLogger(__name__)


def _setting(name: str, default):
    return settings.INSUREDESK.get(name, default)


# Tunables (settings.INSUREDESK overrides): attempts before a message is dead, the first retry
# delay (doubled on each further failure, capped), and the lease after which a `sending` row
# whose worker went silent may be claimed again.
MAX_ATTEMPTS = 6
BACKOFF_FIRST = timedelta(seconds=60)
BACKOFF_CAP = timedelta(hours=2)
LEASE = timedelta(minutes=5)
SEND_TIMEOUT_SECONDS = 60  # must stay well below LEASE (see the module docstring)
REQUEUE_AFTER = timedelta(seconds=60)


def max_attempts() -> int:
    return int(_setting("OUTBOX_MAX_ATTEMPTS", MAX_ATTEMPTS))


def lease() -> timedelta:
    return timedelta(seconds=int(_setting("OUTBOX_LEASE_SECONDS", LEASE.total_seconds())))


def backoff(attempts: int) -> timedelta:
    """Delay before the next try after `attempts` failed ones: 1, 2, 4, 8 … minutes, capped."""
    first = timedelta(seconds=int(_setting("OUTBOX_BACKOFF_SECONDS", BACKOFF_FIRST.seconds)))
    return min(first * (2 ** max(attempts - 1, 0)), BACKOFF_CAP)


def worker_name() -> str:
    """Who claims a row: host, process and thread, so two threads never share a claim."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{threading.get_ident()}"[:64]


# ---------------------------------------------------------------------------------------------
# Writing


def notify(
    *,
    recipient,  # CustomerProfile or User
    channel: str,
    subject: str,
    body: str,
    dedupe_key: str,
    case=None,
    letter=None,
    now: datetime,
) -> Message:
    """Write an outbox message in the caller's transaction; deliver it after the commit.

    `recipient` is a customer profile or a user (staff alerts). The address (e-mail or phone)
    is copied onto the row, so the record shows where it was sent even if the profile changes.
    The same `dedupe_key` twice returns the first message and writes nothing: callers make
    keys from what the message is about, e.g. f"claim-refusal:{case.reference}".

    A message with nowhere to go (no e-mail address, no phone) is written as `dead` with the
    reason, not raised: the business change that caused it must not fail for it, and the dead
    row shows staff who could not be reached.
    """
    if channel not in Channel.values:
        raise ValidationFailed(f"Unknown channel {channel!r}.", field="channel")
    if not dedupe_key or len(dedupe_key) > 200:
        raise ValidationFailed(
            "A dedupe key of 1 to 200 characters is required.", field="dedupe_key"
        )
    if len(subject) > 200:
        raise ValidationFailed("The subject is longer than 200 characters.", field="subject")

    existing = Message.objects.filter(dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing

    customer, user = _recipients(recipient)
    address = _address(channel, customer, user)
    message = Message(
        recipient_customer=customer,
        recipient_user=user,
        address=address,
        channel=channel,
        subject=subject,
        body=body,
        case=case,
        letter=letter,
        dedupe_key=dedupe_key,
        created_at=now,
        next_attempt_at=now,
        queued_at=now,
    )
    if channel != Channel.PORTAL and not address:
        message.status = MessageStatus.DEAD
        message.last_error = f"No {Channel(channel).label} address on file for the recipient."
    try:
        # A savepoint, so a concurrent writer of the same key does not break the caller's
        # transaction: we return the row that writer committed.
        with transaction.atomic():
            message.save()
    except IntegrityError:
        existing = Message.objects.filter(dedupe_key=dedupe_key).first()
        if existing is None:
            raise
        return existing
    if message.status == MessageStatus.PENDING:
        transaction.on_commit(partial(enqueue_delivery, message.pk))
    return message


def notify_customer(
    customer,
    *,
    subject: str,
    body: str,
    dedupe_key: str,
    case=None,
    letter=None,
    now: datetime,
) -> list[Message]:
    """`notify` a customer in their portal inbox, and by e-mail when they gave an address.

    Each message's dedupe key is `dedupe_key` followed by ":" and its channel.
    """
    channels = [Channel.PORTAL] + ([Channel.EMAIL] if customer.email else [])
    return [
        notify(
            recipient=customer,
            channel=channel,
            subject=subject,
            body=body,
            dedupe_key=f"{dedupe_key}:{channel}",
            case=case,
            letter=letter,
            now=now,
        )
        for channel in channels
    ]


def enqueue_delivery(message_id: int) -> None:
    """Queue the delivery task; a lost enqueue is repaired by the sweep, so never raise."""
    from insuredesk.notifications.tasks import deliver_message

    try:
        deliver_message.enqueue(message_id)
    except Exception:
        logger.exception(
            "Could not enqueue delivery of message %s; the sweep will retry", message_id
        )


def _recipients(recipient) -> tuple[CustomerProfile | None, "User | None"]:
    if isinstance(recipient, CustomerProfile):
        return recipient, recipient.user
    if isinstance(recipient, get_user_model()):
        return customer_of(recipient), recipient
    raise ValidationFailed("The recipient must be a customer or a user.", field="recipient")


def _address(channel: str, customer, user) -> str:
    if channel == Channel.EMAIL:
        return (customer and customer.email) or (user and user.email) or ""
    if channel == Channel.SMS:
        return (customer and customer.phone) or ""
    return ""


# ---------------------------------------------------------------------------------------------
# Delivering


def deliver_message(*, message_id: int, worker: str, now: datetime) -> str:
    """Claim, send and record one message; returns "sent", "failed", "dead" or "skipped".

    Runs outside any transaction on purpose: the claim must be committed (visible to every
    other deliverer) before the send, and the send is I/O that no transaction can undo.
    """
    if claim_message(message_id=message_id, worker=worker, now=now) is None:
        return "skipped"
    return send_claimed(message_id=message_id, worker=worker, now=now)


def claim_message(*, message_id: int, worker: str, now: datetime) -> Message | None:
    """Compare-and-set pending/failed → sending for this worker; None if someone else has it.

    The attempt is counted at the claim, so a message that kills its worker every time still
    reaches `max_attempts()` and goes dead instead of being retried for ever.
    """
    claimed = Message.objects.filter(
        pk=message_id, status__in=CLAIMABLE, next_attempt_at__lte=now
    ).update(
        status=MessageStatus.SENDING,
        claimed_at=now,
        claimed_by=worker,
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return None
    return Message.objects.get(pk=message_id)


def send_claimed(*, message_id: int, worker: str, now: datetime) -> str:
    """Send a message this worker has claimed and record the outcome."""
    message = Message.objects.select_related("letter").get(pk=message_id)
    # Idempotence: send only what is still ours to send (the sweep may have taken it back).
    if message.status != MessageStatus.SENDING or message.claimed_by != worker:
        return "skipped"
    mine = Message.objects.filter(pk=message_id, status=MessageStatus.SENDING, claimed_by=worker)
    try:
        _send(message)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if message.attempts >= max_attempts():
            mine.update(status=MessageStatus.DEAD, last_error=error, claimed_at=None)
            logger.error(
                "Message %s is dead after %s attempts: %s",
                message.public_id,
                message.attempts,
                error,
            )
            return "dead"
        mine.update(
            status=MessageStatus.FAILED,
            last_error=error,
            next_attempt_at=now + backoff(message.attempts),
            claimed_at=None,
        )
        logger.warning(
            "Message %s attempt %s failed: %s", message.public_id, message.attempts, error
        )
        return "failed"
    if not mine.update(status=MessageStatus.SENT, sent_at=now, last_error=""):
        # The lease ran out while we were sending and the sweep handed the row back: it may be
        # sent again (see the module docstring). Loud, because the lease should never be hit.
        logger.error(
            "Message %s was sent after its lease expired; a repeat is possible", message.public_id
        )
    return "sent"


def _send(message: Message) -> None:
    if message.channel == Channel.EMAIL:
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.address],
            headers={"Message-ID": f"<{message.public_id}@insuredesk>"},
            connection=get_connection(timeout=SEND_TIMEOUT_SECONDS),
        )
        if message.letter is not None:
            with message.letter.file.open("rb") as pdf:
                email.attach(message.letter.filename, pdf.read(), "application/pdf")
        email.send(fail_silently=False)
    elif message.channel == Channel.SMS:
        sms.get_backend().send(
            to=message.address, body=message.body, reference=str(message.public_id)
        )
    # Portal: the row itself is the inbox entry; marking it sent is the delivery.


# ---------------------------------------------------------------------------------------------
# Sweeping


def sweep_outbox(*, now: datetime, limit: int = 500) -> dict[str, int]:
    """Repair what delivery-after-commit cannot: expired claims and lost or due retries.

    1. Rows in `sending` whose claim is older than the lease (the worker died between claim
       and record) go back to pending, or to dead if they have used up their attempts.
    2. Pending and failed rows whose time has come and that no task was queued for recently
       get a delivery task (at most `limit` per sweep). `queued_at` stops a slow queue from
       being flooded with duplicate tasks; a duplicate would be harmless anyway (claims are
       compare-and-set).
    """
    expired = Message.objects.filter(status=MessageStatus.SENDING, claimed_at__lt=now - lease())
    dead = expired.filter(attempts__gte=max_attempts()).update(
        status=MessageStatus.DEAD,
        last_error="The worker stopped while sending, and no attempts are left.",
        claimed_at=None,
    )
    reclaimed = expired.update(
        status=MessageStatus.PENDING,
        next_attempt_at=now,
        claimed_at=None,  # claimed_by stays: it names the worker that went silent
        last_error="The claim expired before the send was recorded; sending again.",
    )
    if reclaimed:
        logger.warning("Outbox sweep took back %s message(s) from silent workers", reclaimed)

    due = list(
        Message.objects.filter(status__in=CLAIMABLE, next_attempt_at__lte=now)
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lte=now - REQUEUE_AFTER))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    if due:
        Message.objects.filter(pk__in=due).update(queued_at=now)
        for message_id in due:
            enqueue_delivery(message_id)
    return {"reclaimed": reclaimed, "dead": dead, "queued": len(due)}


# ---------------------------------------------------------------------------------------------
# Reading the inbox


def mark_message_read(*, actor, message_id, now: datetime) -> Message:
    """Mark one of the actor's inbox messages read (the first reading time is kept)."""
    from insuredesk.notifications.selectors import get_message_for

    with transaction.atomic(durable=True):
        message = get_message_for(actor, message_id)
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=now)
        message.refresh_from_db(fields=["read_at"])
    return message
