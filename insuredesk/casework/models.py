"""What every case shares: its status, its event log and its clocks.

A claim, complaint or consultation is a domain row with a one-to-one `case`; the status lives
here, so one mechanism moves every kind of case and one queue orders them all.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from insuredesk.casework.choices import ClockState
from insuredesk.casework.registry import status_label


class Case(models.Model):
    """One customer matter handled to a conclusion: a claim, a complaint, a consultation.

    `status` changes only through `casework.services.transition` (compare-and-set);
    `next_deadline` is the nearest deadline of its open clocks, kept for the work queues.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=30, unique=True)
    kind = models.CharField(max_length=30, help_text="claim, complaint, consultation…")
    status = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    jurisdiction = models.CharField(max_length=10, default="CN")
    customer = models.ForeignKey(
        "customers.CustomerProfile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
    )
    opened_at = models.DateTimeField()
    status_changed_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    next_deadline = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["closed_at", "next_deadline"]),
            models.Index(fields=["assignee", "closed_at", "next_deadline"]),
            models.Index(fields=["customer", "opened_at"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def status_label(self) -> str:
        """The status as its kind names it, e.g. "Awaiting documents"."""
        return status_label(self.kind, self.status)


class CaseEvent(models.Model):
    """An immutable entry of the audit trail and the customer's timeline.

    Events form one hash chain across all cases: each stores the hash of the event before it
    (by `sequence`), so `insuredesk audit verify` finds the first edited, inserted or removed
    row. Nothing in the application updates or deletes an event.
    """

    sequence = models.PositiveBigIntegerField(unique=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=60)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=150, help_text="Who, as shown: username or 'system'.")
    from_status = models.CharField(max_length=40, blank=True)
    to_status = models.CharField(max_length=40, blank=True)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    visible_to_customer = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["sequence"]
        indexes = [models.Index(fields=["case", "sequence"])]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.case_id} {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Case events are immutable.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Case events are immutable.")

    @property
    def kind_label(self) -> str:
        """The event kind in words: "documents_requested" → "Documents requested"."""
        return self.kind.replace("_", " ").capitalize()

    @property
    def from_label(self) -> str:
        return status_label(self.case.kind, self.from_status)

    @property
    def to_label(self) -> str:
        return status_label(self.case.kind, self.to_status)


class ChainHead(models.Model):
    """The last link of the event chain; locked while an event is appended.

    Keeping the head in its own row serialises appends (SELECT … FOR UPDATE on PostgreSQL,
    the write lock on SQLite) and lets verification notice events removed from the end.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"head #{self.sequence}"


class Clock(models.Model):
    """A statutory or service deadline running on a case, e.g. "decide within 30 days".

    The deadline comes from the rule of the case's jurisdiction profile; pauses (CN-20) are
    kept so the deadline can be recomputed exactly as the law counts it.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="clocks")
    name = models.CharField(max_length=60)
    label = models.CharField(max_length=200)
    rule = models.CharField(max_length=40, help_text="Rule id in the jurisdiction profile.")
    extends_rule = models.CharField(
        max_length=40,
        blank=True,
        help_text="When set, `rule` is a further period counted from the end of this rule's "
        "period (CN-28.extended runs on from CN-28.complex).",
    )
    extra_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Days of the further period, when fewer than the rule's.",
    )
    cap_rule = models.CharField(
        max_length=40, blank=True, help_text="A rule whose period the deadline never passes."
    )
    source = models.CharField(max_length=200, blank=True)
    state = models.CharField(max_length=12, choices=ClockState.choices, default=ClockState.RUNNING)
    started_at = models.DateTimeField()
    paused_since = models.DateTimeField(null=True, blank=True)
    pauses = models.JSONField(
        default=list, blank=True, help_text="Completed pauses as [[from ISO, to ISO], …]."
    )
    deadline = models.DateTimeField(help_text="Exclusive end: met only when stopped before it.")
    due_date = models.DateField(help_text="The last day, as printed on letters.")
    stopped_at = models.DateTimeField(null=True, blank=True)
    due_soon_alerted_at = models.DateTimeField(null=True, blank=True)
    breach_alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["deadline"]
        indexes = [models.Index(fields=["state", "deadline"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.name} → {self.due_date}"

    @property
    def is_open(self) -> bool:
        return self.state in (ClockState.RUNNING, ClockState.PAUSED)

    def is_due_soon(self, now, lead) -> bool:
        return self.state == ClockState.RUNNING and now < self.deadline <= now + lead

    def is_overdue(self, now) -> bool:
        return self.state == ClockState.RUNNING and self.deadline <= now

    def display_state(self, now, lead) -> str:
        """running, due_soon, overdue, paused, met, breached or cancelled, for badges."""
        if self.is_overdue(now):
            return "overdue"
        if self.is_due_soon(now, lead):
            return "due_soon"
        return self.state


class CaseAccess(models.Model):
    """A member of staff opened a case (DESIGN: every staff access to a case is logged)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()
    what = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user_id} opened {self.case_id}"


class ReferenceCounter(models.Model):
    """The last number handed out per prefix and year, e.g. CLM 2026 → 123 gives CLM-2026-000124."""

    prefix = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="one_counter_per_prefix_year"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.value}"
