"""Statuses of policies and premium instalments."""

from django.db import models


class PolicyStatus(models.TextChoices):
    PENDING = "pending", "Pending"  # issued, cover not yet started
    IN_FORCE = "in_force", "In force"  # cover running, premiums up to date or in grace
    SUSPENDED = "suspended", "Suspended"  # unpaid past grace: cover suspended (IL Art. 36)
    LAPSED = "lapsed", "Lapsed"  # not reinstated within 2 years, or terminated for non-payment
    CANCELLED = "cancelled", "Cancelled"  # cancelled in the cooling-off period or surrendered
    RESCINDED = "rescinded", "Rescinded"  # rescinded for non-disclosure (IL Art. 16)
    EXPIRED = "expired", "Expired"  # the term ended


class PremiumFrequency(models.TextChoices):
    ANNUAL = "annual", "Annual"
    MONTHLY = "monthly", "Monthly"
    SINGLE = "single", "Single premium"


class InstalmentStatus(models.TextChoices):
    DUE = "due", "Due"  # not yet paid; may be overdue
    PAID = "paid", "Paid"
    WAIVED = "waived", "Waived"


class BeneficiaryRelation(models.TextChoices):
    SPOUSE = "spouse", "Spouse"
    CHILD = "child", "Child"
    PARENT = "parent", "Parent"
    OTHER = "other", "Other"
