"""Products, their versions, coverages and clauses: what the insurer sells and on what terms."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from insuredesk.catalog.choices import ClauseKind, Line


class Product(models.Model):
    """A product line the insurer sells, e.g. "Harbour Term Life". Terms live in its versions."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    line = models.CharField(max_length=30, choices=Line.choices)
    market = models.CharField(
        max_length=10,
        default="CN",
        db_index=True,
        help_text="Jurisdiction profile whose customers may buy it (CN, GB, US-CA).",
    )
    summary = models.TextField(help_text="Two or three sentences a customer reads first.")
    is_published = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from insuredesk.rules.registry import profiles

        markets = [profile.code for profile in profiles()]
        if self.market not in markets:
            choices = ", ".join(markets)
            raise ValidationError({"market": f"Choose one of the jurisdictions: {choices}."})


class ProductVersion(models.Model):
    """The terms of a product from a date: clauses, coverages and rating table.

    A policy is written on one version and keeps it for life; a new wording is a new version.
    """

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True, help_text="Last day it is sold.")
    currency = models.CharField(max_length=3, default="CNY")
    term_years_options = models.JSONField(
        default=list, blank=True, help_text="Terms offered, in years, e.g. [10, 20, 30]."
    )
    cooling_off_days = models.PositiveSmallIntegerField(default=15)
    rating_method = models.CharField(max_length=40, help_text="Key of the rating function.")
    rating_table = models.JSONField(default=dict, help_text="Rates the rating function reads.")
    surrender_terms = models.JSONField(
        default=dict,
        blank=True,
        help_text="What a surrender pays back (catalog/surrender.py); empty: staff work it out.",
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["product__name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["product", "version"], name="one_number_per_version"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="version_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product.name} v{self.version}"

    def is_effective_on(self, day) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )


class Coverage(models.Model):
    """One benefit of a product version, with its limits and the losses it answers."""

    product_version = models.ForeignKey(
        ProductVersion, on_delete=models.CASCADE, related_name="coverages"
    )
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    sum_insured_min = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    sum_insured_max = models.DecimalField(max_digits=14, decimal_places=2)
    deductible = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    waiting_period_days = models.PositiveSmallIntegerField(default=0)
    loss_types = models.JSONField(default=list, help_text="Loss type codes this coverage answers.")
    required_documents = models.JSONField(
        default=list,
        blank=True,
        help_text='Documents a claim needs: [{"code": "...", "name": "..."}].',
    )

    class Meta:
        ordering = ["product_version", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["product_version", "code"], name="one_coverage_code_per_version"
            ),
            models.CheckConstraint(
                condition=Q(sum_insured_max__gte=models.F("sum_insured_min")),
                name="coverage_limits_ordered",
            ),
            models.CheckConstraint(condition=Q(deductible__gte=0), name="deductible_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.product_version})"


class Clause(models.Model):
    """A numbered clause of a product version's contract wording.

    Exemption clauses must be prominently marked and explained to the applicant, or they have no
    effect (Insurance Law Art. 17; JI-II Arts. 10-13): `must_be_explained` drives the marking and
    the explanation evidence.
    """

    product_version = models.ForeignKey(
        ProductVersion, on_delete=models.CASCADE, related_name="clauses"
    )
    coverage = models.ForeignKey(
        Coverage, on_delete=models.SET_NULL, null=True, blank=True, related_name="clauses"
    )
    number = models.CharField(max_length=10, help_text="As printed, e.g. 4.2.")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=ClauseKind.choices)
    text = models.TextField(help_text="The contract wording.")
    explanation = models.TextField(help_text="The same in plain words.")
    legal_consequence = models.TextField(blank=True, help_text="What follows for the customer.")
    must_be_explained = models.BooleanField(
        default=False,
        help_text="Marked and explained before conclusion (IL Art. 17).",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["product_version", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["product_version", "number"], name="one_clause_number_per_version"
            ),
            models.CheckConstraint(
                condition=~Q(kind=ClauseKind.EXEMPTION) | Q(must_be_explained=True),
                name="exemption_clauses_must_be_explained",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_exemption(self) -> bool:
        return self.kind == ClauseKind.EXEMPTION

    def clean(self) -> None:
        if self.kind == ClauseKind.EXEMPTION and not self.legal_consequence.strip():
            raise ValidationError(
                {"legal_consequence": "An exemption clause needs its legal consequence explained."}
            )
