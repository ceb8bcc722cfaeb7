"""Applications for insurance: what was applied for and declared, the underwriting decision,
the free medical examination, and the policy that came of it."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from insuredesk.policies.choices import PremiumFrequency
from insuredesk.sales.choices import Decision, ExamStatus, SalesChannel


class Application(models.Model):
    """One applicant's request to be insured on a product version, from submission to issue.

    The status lives on the case (`case.status`); the terms applied for are kept as submitted,
    and `premium`, `loading_percent` and the decision fields are the insurer's offer.
    """

    case = models.OneToOneField(
        "casework.Case", on_delete=models.PROTECT, related_name="application"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    applicant = models.ForeignKey(
        "customers.CustomerProfile", on_delete=models.PROTECT, related_name="applications"
    )
    product_version = models.ForeignKey(
        "catalog.ProductVersion", on_delete=models.PROTECT, related_name="applications"
    )
    channel = models.CharField(max_length=20, choices=SalesChannel.choices)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sold_applications",
        help_text="The agent who took the application, when one did.",
    )
    insured_name = models.CharField(max_length=200)
    insured_date_of_birth = models.DateField(null=True, blank=True)
    sum_insured = models.DecimalField(max_digits=14, decimal_places=2)
    term_years = models.PositiveSmallIntegerField()
    premium_frequency = models.CharField(max_length=10, choices=PremiumFrequency.choices)
    start_date = models.DateField()
    rating_inputs = models.JSONField(default=dict, blank=True)
    beneficiaries = models.JSONField(default=list, blank=True)
    quoted_premium = models.DecimalField(
        max_digits=12, decimal_places=2, help_text="Annual premium at standard terms."
    )
    currency = models.CharField(max_length=3)
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    loading_percent = models.PositiveSmallIntegerField(default=0)
    offered_premium = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, help_text="Annual, with loading."
    )
    decision_reasons = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="underwritten_applications",
        help_text="Empty when the rules accepted it straight through.",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    offer_expires_on = models.DateField(null=True, blank=True)
    postponed_until = models.DateField(null=True, blank=True)
    recording = models.FileField(upload_to="sales/recordings/%Y/%m/", blank=True)
    recording_sha256 = models.CharField(max_length=64, blank=True)
    recording_consent = models.BooleanField(default=False)
    policy = models.OneToOneField(
        "policies.Policy",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="application",
    )
    letter = models.ForeignKey(
        "documents.Letter", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    origin = models.ForeignKey(
        "casework.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications_arising",
        help_text="The applicant's case the application came from: the proposal whose option "
        "they accepted, or the consultation or visit where they asked for the cover.",
    )
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sum_insured__gt=Decimal("0")), name="application_sum_insured_positive"
            ),
            models.CheckConstraint(
                condition=Q(loading_percent__lte=300), name="application_loading_at_most_300"
            ),
        ]

    def __str__(self) -> str:
        return self.case.reference

    @property
    def reference(self) -> str:
        return self.case.reference

    @property
    def status(self) -> str:
        return self.case.status


class DeclarationAnswer(models.Model):
    """One question the insurer asked and the applicant's answer, word for word (CN-04)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="declarations"
    )
    code = models.CharField(max_length=40)
    question = models.TextField(help_text="The words asked, in the language they were asked.")
    questions_version = models.CharField(max_length=20)
    answer = models.BooleanField()
    details = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["application", "position"]
        constraints = [
            models.UniqueConstraint(fields=["application", "code"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {'yes' if self.answer else 'no'}"


class MedicalExam(models.Model):
    """A medical examination the insurer asks for and pays: free to the applicant."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="exams")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reason = models.TextField()
    tests = models.CharField(max_length=300, help_text="e.g. blood panel, ECG, BMI.")
    clinic = models.CharField(max_length=200)
    appointment_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ExamStatus.choices, default=ExamStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    result_summary = models.TextField(blank=True)
    result_file = models.FileField(upload_to="sales/exams/%Y/%m/", blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cost_borne_by_insurer = models.DecimalField(
        max_digits=10, decimal_places=2, default=Decimal("0")
    )

    class Meta:
        ordering = ["application", "requested_at"]

    def __str__(self) -> str:
        return f"exam for {self.application}"
