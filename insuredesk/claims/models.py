"""Claims: the report, its documents, surveys, assessments, offers, agreements, payments,
refusals and disputes. The status of a claim or dispute lives on its casework Case."""

import uuid
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q

from insuredesk.claims.choices import (
    DisputeChannel,
    DocumentKind,
    OfferStatus,
    PaymentKind,
    PaymentStatus,
    RefusalGround,
    ReportChannel,
    SurveyStatus,
)

if TYPE_CHECKING:
    from insuredesk.customers.models import CustomerProfile

User = settings.AUTH_USER_MODEL


class Claim(models.Model):
    """A request for the insurer to pay for a loss under a policy.

    `open_key` is "<policy>:<event date>:<loss type>" while the claim is open and NULL once it
    is closed or withdrawn; its unique constraint is what stops two open claims for the same
    loss even when two reports arrive at once.
    """

    case = models.OneToOneField("casework.Case", on_delete=models.PROTECT, related_name="claim")
    policy = models.ForeignKey("policies.Policy", on_delete=models.PROTECT, related_name="claims")
    coverage = models.ForeignKey(
        "catalog.Coverage", on_delete=models.PROTECT, related_name="claims"
    )
    loss_type = models.CharField(max_length=40)
    event_date = models.DateField()
    event_place = models.CharField(max_length=300)
    description = models.TextField()
    amount_claimed = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3)
    contact_phone = models.CharField(max_length=40, blank=True)
    contact_email = models.EmailField(blank=True)
    channel = models.CharField(max_length=10, choices=ReportChannel.choices)
    reported_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reported_at = models.DateTimeField()
    open_key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    documents_complete_at = models.DateTimeField(
        null=True, blank=True, help_text="Proof of claim: every required document held."
    )
    fast_track_eligible = models.BooleanField(default=False)
    fast_track_note = models.TextField(blank=True, help_text="Why fast-track did not apply.")
    advance_payment_flagged_at = models.DateTimeField(
        null=True, blank=True, help_text="CN-23: amount still open 60 days after the documents."
    )

    class Meta:
        ordering = ["-reported_at"]
        indexes = [models.Index(fields=["policy", "event_date", "loss_type"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_claimed__isnull=True) | Q(amount_claimed__gt=0),
                name="claim_amount_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.case.reference if self.case_id else "claim"

    @property
    def reference(self) -> str:
        return self.case.reference

    @property
    def customer(self) -> "CustomerProfile":
        """The claimant: the policyholder the claim's case was opened for."""
        customer = self.case.customer
        # Only consultations open customer-less cases; report_claim always passes the holder.
        assert customer is not None
        return customer


class ClaimDocument(models.Model):
    """A file the customer, a handler or a surveyor added to a claim, with its SHA-256."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="documents")
    dispute = models.ForeignKey(
        "claims.Dispute", on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    code = models.CharField(max_length=40, help_text="Required-document code, or the kind.")
    name = models.CharField(max_length=200)
    file = models.FileField(upload_to="claims/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "sha256"], name="one_copy_of_a_file_per_claim")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.original_name})"


class DocumentRequest(models.Model):
    """The consolidated missing-documents notice (CN-18): everything missing, asked once."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="document_requests")
    items = models.JSONField(help_text='[{"code": ..., "name": ...}] still missing when sent.')
    note = models.TextField(blank=True)
    letter = models.ForeignKey(
        "documents.Letter", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    fulfilled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at"]

    def __str__(self) -> str:
        return f"{self.claim} documents requested {self.requested_at:%Y-%m-%d}"


class SurveyorProfile(models.Model):
    """Where and what a surveyor covers; the automatic dispatch rule reads it."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="surveyor_profile")
    regions = models.JSONField(default=list, blank=True, help_text="Empty: every region.")
    loss_types = models.JSONField(default=list, blank=True, help_text="Empty: every loss type.")
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"surveyor {self.user}"

    def covers(self, *, region: str, loss_type: str) -> bool:
        return (not self.regions or region in self.regions) and (
            not self.loss_types or loss_type in self.loss_types
        )


class Survey(models.Model):
    """A surveyor's visit to establish cause and size of the loss, and the report.

    Its cost is the insurer's and never reaches the customer's assessment (CN-26, IL Art. 64).
    """

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="surveys")
    surveyor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="surveys")
    status = models.CharField(
        max_length=12, choices=SurveyStatus.choices, default=SurveyStatus.SCHEDULED
    )
    appointment_at = models.DateTimeField()
    location = models.CharField(max_length=300)
    dispatched_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    dispatched_at = models.DateTimeField()
    auto_assigned = models.BooleanField(default=False)
    findings = models.TextField(blank=True)
    estimated_loss = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    cost = models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal("0"), help_text="Borne by the insurer."
    )
    reported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["appointment_at"]
        indexes = [models.Index(fields=["surveyor", "status", "appointment_at"])]

    def __str__(self) -> str:
        return f"survey of {self.claim} by {self.surveyor}"


class Assessment(models.Model):
    """The loss worked out: items mapped to coverages, each deduction citing its clause.

    `lines` is the breakdown the customer reads: [{"label", "amount", "clause", "kind"}].
    A reassessment is a new row with the next `number`; the latest is the current one.
    """

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="assessments")
    number = models.PositiveSmallIntegerField()
    items = models.JSONField(help_text="Loss items as entered, with their coverage.")
    lines = models.JSONField(help_text="The readable breakdown.")
    gross = models.DecimalField(max_digits=14, decimal_places=2)
    payable = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3)
    note = models.TextField(blank=True)
    assessed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assessed_at = models.DateTimeField()

    class Meta:
        ordering = ["claim", "number"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "number"], name="one_assessment_number"),
            models.CheckConstraint(condition=Q(payable__gte=0), name="payable_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.claim} assessment {self.number}: {self.payable}"


class Offer(models.Model):
    """An amount the insurer offers, with the breakdown; the customer accepts or counters."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="offers")
    number = models.PositiveSmallIntegerField()
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="offers")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    lines = models.JSONField()
    note = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=OfferStatus.choices, default=OfferStatus.OPEN)
    made_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    made_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)
    counter_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    counter_reasons = models.TextField(blank=True)

    class Meta:
        ordering = ["claim", "number"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "number"], name="one_offer_number"),
            models.UniqueConstraint(
                fields=["claim"], condition=Q(status="open"), name="one_open_offer_per_claim"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="offer_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.claim} offer {self.number}: {self.amount}"


class SettlementAgreement(models.Model):
    """Who accepted which amount when; starts the payment clock (CN-21, CA-11)."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="agreements")
    offer = models.OneToOneField(Offer, on_delete=models.PROTECT, related_name="agreement")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    lines = models.JSONField()
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_by_label = models.CharField(max_length=150)
    accepted_at = models.DateTimeField()
    letter = models.ForeignKey(
        "documents.Letter", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["accepted_at"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="agreed_positive")]

    def __str__(self) -> str:
        return f"{self.claim} agreed {self.amount}"


class PaymentOrder(models.Model):
    """An instruction to pay; executed at most once (the `Payment` is one-to-one with it)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="payment_orders")
    agreement = models.ForeignKey(
        SettlementAgreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payment_orders",
    )
    kind = models.CharField(max_length=12, choices=PaymentKind.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3)
    status = models.CharField(
        max_length=12, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    needs_supervisor = models.BooleanField(default=False)
    payee_name = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_order_positive"),
            models.CheckConstraint(
                condition=~Q(kind="settlement") | Q(agreement__isnull=False),
                name="settlement_order_has_agreement",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claim} {self.kind} {self.amount} ({self.status})"


class Payment(models.Model):
    """Money sent: one per order at most, enforced by the database."""

    order = models.OneToOneField(PaymentOrder, on_delete=models.PROTECT, related_name="payment")
    reference = models.CharField(max_length=40, unique=True)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    executed_at = models.DateTimeField()
    letter = models.ForeignKey(
        "documents.Letter", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["executed_at"]

    def __str__(self) -> str:
        return self.reference


class Refusal(models.Model):
    """A person's decision that the claim is not payable, with reasons and the clauses relied on.

    `clauses` is [{"clause_id", "number", "title", "text", "exemption", "how_it_applies"}] copied
    from the policy's own product version at decision time, as the notice quotes them.
    """

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="refusals")
    ground = models.CharField(max_length=30, choices=RefusalGround.choices)
    reasons = models.TextField()
    clauses = models.JSONField()
    warnings = models.JSONField(default=list, blank=True)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    letter = models.ForeignKey(
        "documents.Letter", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notice_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["decided_at"]

    def __str__(self) -> str:
        return f"{self.claim} refused ({self.ground})"


class Dispute(models.Model):
    """The customer contests a refusal or an offer; its status lives on its own case (DSP-…)."""

    case = models.OneToOneField("casework.Case", on_delete=models.PROTECT, related_name="dispute")
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="disputes")
    channel = models.CharField(max_length=20, choices=DisputeChannel.choices)
    grounds = models.TextField()
    claim_status_before = models.CharField(max_length=40)
    opened_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField()
    outcome_reasons = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    letter = models.ForeignKey(
        "documents.Letter", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return self.case.reference if self.case_id else "dispute"


class Hearing(models.Model):
    """A hearing, mediation session or review meeting in a dispute."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="hearings")
    held_at = models.DateTimeField()
    place = models.CharField(max_length=300)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["held_at"]

    def __str__(self) -> str:
        return f"hearing {self.held_at:%Y-%m-%d} in {self.dispute}"
