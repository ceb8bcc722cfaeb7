"""Policies, their beneficiaries and premium schedule."""

import uuid
from decimal import Decimal

from django.db import models
from django.db.models import Q

from insuredesk.policies.choices import (
    BeneficiaryRelation,
    InstalmentStatus,
    PolicyStatus,
    PremiumFrequency,
)


class Policy(models.Model):
    """An insurance contract written on one product version.

    The policyholder concluded it and pays; the insured is the person or property covered
    (details in `insured_*` and `risk_details`); the jurisdiction decides every deadline.
    """

    number = models.CharField(max_length=30, unique=True)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    product_version = models.ForeignKey(
        "catalog.ProductVersion", on_delete=models.PROTECT, related_name="policies"
    )
    policyholder = models.ForeignKey(
        "customers.CustomerProfile", on_delete=models.PROTECT, related_name="policies"
    )
    insured_name = models.CharField(max_length=200)
    insured_date_of_birth = models.DateField(null=True, blank=True)
    risk_details = models.JSONField(
        default=dict,
        blank=True,
        help_text="What is insured: vehicle (make, plate, value), building (address, "
        "construction, value) or the life insured's details.",
    )
    sum_insured = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3, default="CNY")
    premium = models.DecimalField(
        max_digits=12, decimal_places=2, help_text="Premium per instalment."
    )
    premium_frequency = models.CharField(
        max_length=10, choices=PremiumFrequency.choices, default=PremiumFrequency.ANNUAL
    )
    start_date = models.DateField()
    end_date = models.DateField()
    status = models.CharField(
        max_length=20, choices=PolicyStatus.choices, default=PolicyStatus.IN_FORCE
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    jurisdiction = models.CharField(max_length=10, default="CN")
    issued_at = models.DateTimeField()
    agent = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-start_date", "number"]
        verbose_name_plural = "policies"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")), name="policy_ends_after_it_starts"
            ),
            models.CheckConstraint(condition=Q(sum_insured__gt=0), name="sum_insured_positive"),
            models.CheckConstraint(condition=Q(premium__gte=0), name="premium_not_negative"),
        ]
        indexes = [models.Index(fields=["policyholder", "status"])]

    def __str__(self) -> str:
        return self.number

    def risk_facts(self) -> list[tuple[str, str]]:
        """What is insured, as label/value pairs for display (the rating record aside)."""
        return [
            (key.replace("_", " ").capitalize(), str(value))
            for key, value in self.risk_details.items()
            if key not in ("rating", "rating_inputs") and not isinstance(value, dict | list)
        ]

    def premium_lines(self) -> list[dict]:
        """The premium's breakdown as rated at issue, e.g. "Building 3,000,000 x 0.45‰"."""
        rating = self.risk_details.get("rating")
        return rating.get("lines", []) if isinstance(rating, dict) else []

    def covers(self, day) -> bool:
        """Whether the policy's term includes the day (status is checked separately)."""
        return self.start_date <= day <= self.end_date


class Beneficiary(models.Model):
    """Who receives the benefit on the insured's death, and in what share."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="beneficiaries")
    full_name = models.CharField(max_length=200)
    relation = models.CharField(max_length=10, choices=BeneficiaryRelation.choices)
    share_percent = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("100"))

    class Meta:
        ordering = ["policy", "id"]
        verbose_name_plural = "beneficiaries"
        constraints = [
            models.CheckConstraint(
                condition=Q(share_percent__gt=0) & Q(share_percent__lte=100),
                name="beneficiary_share_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.share_percent}%)"


class PremiumInstalment(models.Model):
    """One premium due under a policy's schedule and whether it has been paid."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="instalments")
    due_date = models.DateField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    status = models.CharField(
        max_length=10, choices=InstalmentStatus.choices, default=InstalmentStatus.DUE
    )
    paid_at = models.DateTimeField(null=True, blank=True)
    payment_reference = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["policy", "due_date"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "due_date"], name="one_instalment_per_day"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="instalment_positive"),
            models.CheckConstraint(
                condition=~Q(status=InstalmentStatus.PAID) | Q(paid_at__isnull=False),
                name="paid_instalment_has_paid_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy.number} {self.due_date} {self.amount}"


class Cancellation(models.Model):
    """A policy cancelled by its policyholder within the cooling-off period.

    The contract is undone from the start: every premium paid comes back (`refund`), premiums
    not yet paid are waived. The row keeps which rule gave the period and when it ended, so the
    decision can be checked later; the confirmation letter is the customer's written record.
    """

    policy = models.OneToOneField(Policy, on_delete=models.PROTECT, related_name="cancellation")
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    period_ends_on = models.DateField(help_text="Last day of the cooling-off period.")
    basis = models.CharField(
        max_length=200, help_text='What set the period, e.g. "CN-09, HM Art. 15: 15 days".'
    )
    refund = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    letter = models.ForeignKey(
        "documents.Letter", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(refund__gte=0), name="refund_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.policy.number} cancelled in the cooling-off period"
