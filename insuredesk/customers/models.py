"""Customers and the credentials API clients use."""

import uuid

from django.conf import settings
from django.db import models


class CustomerProfile(models.Model):
    """A person the insurer serves: a policyholder, insured, beneficiary or prospect.

    Linked one-to-one to a login when the customer has an account; the customer number is the
    reference printed on letters and quoted on the phone.
    """

    class Language(models.TextChoices):
        EN = "en", "English"
        ZH = "zh", "中文"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="customer",
        null=True,
        blank=True,
    )
    number = models.CharField(
        max_length=20, unique=True, help_text="Customer number, e.g. C-000123."
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    full_name = models.CharField(max_length=200)
    date_of_birth = models.DateField(null=True, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    region = models.CharField(max_length=100, blank=True, help_text="Used to route surveyors.")
    language = models.CharField(max_length=5, choices=Language.choices, default=Language.EN)
    jurisdiction = models.CharField(max_length=10, default="CN")
    vulnerable = models.BooleanField(
        default=False,
        help_text="Needs extra support (FCA Consumer Duty, PRIN 2A.6): health, life events, "
        "resilience or capability.",
    )
    vulnerability_note = models.TextField(blank=True)
    marketing_consent = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["full_name"]
        indexes = [models.Index(fields=["full_name"]), models.Index(fields=["phone"])]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.number})"


class ApiToken(models.Model):
    """A bearer token for API clients. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12, help_text="First characters, to tell tokens apart.")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    def is_active(self, now) -> bool:
        return self.revoked_at is None and self.expires_at > now
