"""The outbox: every message the insurer sends, written with the change that caused it."""

import uuid

from django.conf import settings
from django.db import models


class Channel(models.TextChoices):
    EMAIL = "email", "E-mail"  # through Django's e-mail backend
    SMS = "sms", "SMS"  # through settings.INSUREDESK["SMS_BACKEND"]
    PORTAL = "portal", "Portal inbox"  # shown in the customer's inbox, nothing leaves the system


class MessageStatus(models.TextChoices):
    PENDING = "pending", "Pending"  # written, waiting for a deliverer
    SENDING = "sending", "Sending"  # claimed by one deliverer; re-claimable after the lease
    SENT = "sent", "Sent"  # handed to the channel (e-mail server, SMS gateway, inbox)
    FAILED = "failed", "Failed, will retry"  # last attempt failed; retried at next_attempt_at
    DEAD = "dead", "Dead"  # gave up: attempts exhausted or nowhere to send it


# Statuses a deliverer may claim a row from (when next_attempt_at has come).
CLAIMABLE = (MessageStatus.PENDING, MessageStatus.FAILED)


class Message(models.Model):
    """One message to one recipient on one channel: an outbox row and its delivery record.

    Written in the same transaction as the business change that causes it, so a change that
    rolls back leaves no message behind, and a committed change always has its message. The
    worker claims the row by compare-and-set, sends it and records the outcome; `dedupe_key`
    makes "send this notice" idempotent for callers that may run twice.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient_customer = models.ForeignKey(
        "customers.CustomerProfile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
    )
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
    )
    address = models.CharField(
        max_length=254, blank=True, help_text="E-mail address or phone number when written."
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    case = models.ForeignKey(
        "casework.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
    )
    letter = models.ForeignKey(
        "documents.Letter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
        help_text="Attached to e-mails; linked from the inbox.",
    )
    dedupe_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(
        max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField()
    queued_at = models.DateTimeField(
        null=True, blank=True, help_text="When a delivery task was last enqueued for it."
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["recipient_customer", "created_at"]),
            models.Index(fields=["recipient_user", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recipient_customer__isnull=False)
                | models.Q(recipient_user__isnull=False),
                name="message_has_a_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.subject!r} ({self.status})"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
