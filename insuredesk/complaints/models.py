"""Complaints, their root causes, the improvement plans built on them, and satisfaction.

Status, reference, jurisdiction, customer, assignee and deadlines live on the complaint's
`casework.Case`; this app holds what is particular to a complaint.
"""

import uuid
from datetime import date
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from insuredesk.complaints.choices import (
    AttachmentKind,
    Channel,
    ComplainantRole,
    ExtensionStatus,
    MeasureStatus,
    Outcome,
    PlanStatus,
    Priority,
    ResponseKind,
    RootCauseCategory,
    ServiceStage,
    WaiverPosition,
)

# Text limits shared by services, API schemas and forms.
DESCRIPTION_MAX = 5000
DESIRED_OUTCOME_MAX = 2000
RESPONSE_TEXT_MAX = 5000
NOTE_MAX = 2000
COMMENT_MAX = 1000
MAX_REPRESENTATIVES = 5  # CN-34 (group complaints name at most five representatives)


class Category(models.Model):
    """A node of the complaint category tree (e.g. Claims > Claims refusal)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return f"{self.parent.name} > {self.name}" if self.parent is not None else self.name

    @property
    def path(self) -> str:
        return str(self)


class ComplaintQuerySet(models.QuerySet["Complaint"]):
    def delete(self) -> tuple[int, dict[str, int]]:
        """Bulk deletion keeps GB-13 too: nothing goes while any record is in its period."""
        from django.utils import timezone

        from insuredesk.complaints import retention

        retention.refuse_early_deletion(self.select_related("case"), timezone.now())
        return super().delete()

    delete.queryset_only = True  # type: ignore[attr-defined]  # a flag Django reads off the method


class Complaint(models.Model):
    """A customer's expression of dissatisfaction, handled to a written response on a deadline.

    The complainant is the case's customer, or a proxy / heir acting for them with evidence of
    their authority. A group complaint names at most five representatives (CN-34).
    """

    case = models.OneToOneField("casework.Case", on_delete=models.PROTECT, related_name="complaint")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    received_at = models.DateTimeField(help_text="When it reached us: the clocks count from here.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    complainant_role = models.CharField(
        max_length=20, choices=ComplainantRole.choices, default=ComplainantRole.CUSTOMER
    )
    complainant_name = models.CharField(max_length=200, blank=True)
    complainant_contact = models.CharField(max_length=200, blank=True)
    authority_evidence = models.TextField(
        blank=True, help_text="What shows a proxy's or heir's authority (document, date, issuer)."
    )
    description = models.TextField(help_text="What happened, in the complainant's words.")
    desired_outcome = models.TextField(help_text="What the complainant wants.")
    policy = models.ForeignKey(
        "policies.Policy", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    related_case = models.ForeignKey(
        "casework.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints_about",
        help_text="The claim, consultation or application the complaint is about.",
    )
    # Classification.
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints"
    )
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    product_version = models.ForeignKey(
        "catalog.ProductVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    clause = models.ForeignKey(
        "catalog.Clause", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    service_stage = models.CharField(max_length=20, choices=ServiceStage.choices, blank=True)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    # Group complaint.
    is_group = models.BooleanField(default=False)
    group_size = models.PositiveIntegerField(null=True, blank=True)
    # Handling milestones.
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    complex_at = models.DateTimeField(null=True, blank=True)
    complex_reason = models.TextField(blank=True)
    summary_resolution_by = models.DateField(
        null=True, blank=True, help_text="GB-08: last business day for a summary resolution."
    )
    holding_letter_at = models.DateTimeField(null=True, blank=True)
    # The response.
    response_kind = models.CharField(max_length=30, choices=ResponseKind.choices, blank=True)
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    findings = models.TextField(blank=True)
    basis = models.TextField(blank=True, help_text="Contract terms, law and facts relied on.")
    reasons = models.TextField(blank=True)
    redress = models.TextField(blank=True)
    redress_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_in_time = models.BooleanField(null=True, help_text="The statutory clock was met.")
    resolved_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)
    satisfaction_invited_at = models.DateTimeField(null=True, blank=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["received_at"]),
            models.Index(fields=["category", "received_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(complainant_role=ComplainantRole.CUSTOMER) | ~Q(authority_evidence=""),
                name="complaint_proxy_needs_authority",
            ),
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.REJECTED) | ~Q(reasons=""),
                name="complaint_rejection_needs_reasons",
            ),
        ]

    def __str__(self) -> str:
        return f"Complaint {self.case.reference}"

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Refused (NotPermitted, GB-13 / DISP 1.9.1R) until 3 years after receipt."""
        from django.utils import timezone

        from insuredesk.complaints import retention

        retention.refuse_early_deletion([self], timezone.now())
        return super().delete(*args, **kwargs)

    @property
    def keep_until(self) -> date:
        """The first day this record may be deleted (GB-13, DISP 1.9.1R)."""
        from insuredesk.complaints import retention

        return retention.keep_until(self.received_at, self.case.jurisdiction)

    @property
    def reference(self) -> str:
        return self.case.reference

    @property
    def jurisdiction(self) -> str:
        return self.case.jurisdiction


class Representative(models.Model):
    """One of at most five people who speak for a group complaint (CN-34)."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="representatives"
    )
    full_name = models.CharField(max_length=200)
    contact = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.full_name


def attachment_upload_to(instance: "Attachment", filename: str) -> str:
    return f"complaints/{instance.uploaded_at:%Y}/{instance.public_id}{instance.extension}"


class Attachment(models.Model):
    """A file kept with a complaint: evidence, proof of authority, or a recording (CN-33)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=20, choices=AttachmentKind.choices)
    file = models.FileField(upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(max_length=200)
    extension = models.CharField(max_length=10)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class DocumentRequest(models.Model):
    """Documents we asked the complainant for; never ones we already hold (CN-34)."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="document_requests"
    )
    documents = models.JSONField(help_text="HeldDocument codes asked for.")
    note = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    requested_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.complaint_id}: {', '.join(self.documents)}"


class Extension(models.Model):
    """A request for the further 30 days of CN-28.extended and the supervisor's decision."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField()
    reason = models.TextField()
    status = models.CharField(
        max_length=12, choices=ExtensionStatus.choices, default=ExtensionStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    new_due_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint"],
                condition=Q(status__in=["requested", "approved"]),
                name="one_live_extension_per_complaint",
            ),
            models.CheckConstraint(
                condition=Q(status="requested") | Q(decided_by__isnull=False),
                name="extension_decision_has_decider",
            ),
        ]

    def __str__(self) -> str:
        return f"+{self.days} days ({self.status})"


class RootCause(models.Model):
    """Why the complaint arose, and what it points at: a clause, a product version, a stage,
    a team. Every resolved complaint has one."""

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="root_cause")
    category = models.CharField(max_length=30, choices=RootCauseCategory.choices)
    product_version = models.ForeignKey(
        "catalog.ProductVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    clause = models.ForeignKey(
        "catalog.Clause", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    service_stage = models.CharField(max_length=20, choices=ServiceStage.choices, blank=True)
    team = models.CharField(max_length=100, blank=True)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["category"])]

    def __str__(self) -> str:
        return self.get_category_display()


class ImprovementPlan(models.Model):
    """A supervisor's plan to remove a deficiency found behind complaints, and its verification.

    At verification the complaints with the plan's root-cause categories are counted in equal
    windows before and after `adopted_at`; the supervisor records whether the plan worked.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=200)
    deficiency = models.TextField(help_text="What is wrong in the terms or the service.")
    cause_categories = models.JSONField(default=list, help_text="RootCauseCategory codes.")
    root_causes = models.ManyToManyField(RootCause, related_name="plans", blank=True)
    products = models.ManyToManyField("catalog.Product", related_name="+", blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    adopted_at = models.DateTimeField()
    verification_date = models.DateField()
    status = models.CharField(max_length=30, choices=PlanStatus.choices, default=PlanStatus.OPEN)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verification_note = models.TextField(blank=True)
    verification_numbers = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-adopted_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == PlanStatus.OPEN

    @property
    def cause_labels(self) -> list[str]:
        labels = dict(RootCauseCategory.choices)
        return [labels.get(code, code) for code in self.cause_categories]


class Measure(models.Model):
    """One concrete step of an improvement plan, with an owner, a due date and evidence."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="measures")
    description = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField()
    status = models.CharField(
        max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )
    evidence = models.TextField(blank=True, help_text="How we know it was implemented.")
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["owner", "status", "due_date"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=MeasureStatus.DONE) | ~Q(evidence=""),
                name="measure_done_needs_evidence",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]


class Rating(models.Model):
    """The complainant's 1-5 rating of how the complaint was handled, given after closure."""

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(blank=True)
    rated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.score}/5"


class ResponseWording(models.Model):
    """The standard paragraphs of a profile's response letters, set by the administrator.

    GB-12 asks for the ombudsman's standard wording around the firm's own letter; the shipped
    default (migration 0002) states the same facts in our own words, marked for review.
    """

    jurisdiction = models.CharField(max_length=10, unique=True)
    referral_paragraph = models.TextField(
        help_text="GB: the right to refer to the ombudsman; CN: review by the superior (CN-29)."
    )
    other_remedies_paragraph = models.TextField(
        blank=True, help_text="CN: mediation, arbitration, litigation."
    )
    waiver_position = models.CharField(max_length=20, choices=WaiverPosition.choices, blank=True)
    waiver_paragraph = models.TextField(blank=True)
    website = models.URLField(blank=True)
    referral_months = models.PositiveSmallIntegerField(
        default=6, help_text="GB-11: months from the final response to refer."
    )
    review_days = models.PositiveSmallIntegerField(
        default=30, help_text="CN-29: days from the decision to ask the superior for a review."
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Response wording {self.jurisdiction}"
