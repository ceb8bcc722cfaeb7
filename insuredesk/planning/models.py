"""Risk planning: a customer's risk check (questions and answers), the risks it identified, the
plan made of them, and written insurance proposals for large or special risks."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from insuredesk.planning.choices import FitStatus, RiskCategory, Treatment
from insuredesk.planning.risks import risk_level


class RiskAssessment(models.Model):
    """One risk check of a customer: what was asked and answered, the risks it identified and the
    plan for them, fitted to the annual budget the customer gave.

    Answered by the customer in the portal or the API, or by an agent with the customer
    (`agent`). Amounts are in `currency`, the customer's jurisdiction's; the questions are kept
    word for word in `language` with `questions_version`. `proposal_reasons` says why SVC-21
    asks for a written insurance proposal ([] when it does not).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    customer = models.ForeignKey(
        "customers.CustomerProfile", on_delete=models.PROTECT, related_name="risk_assessments"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The member of staff who went through it with the customer, when one did.",
    )
    questions_version = models.CharField(max_length=20)
    language = models.CharField(max_length=5)
    jurisdiction = models.CharField(max_length=10)
    currency = models.CharField(max_length=3)
    annual_budget = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        help_text="What the customer can spend on insurance a year.",
    )
    premium_within_budget = models.DecimalField(
        max_digits=14, decimal_places=2, help_text="Annual premiums of the covers that fit."
    )
    proposal_reasons = models.JSONField(default=list, blank=True)
    assumptions = models.JSONField(
        default=dict,
        blank=True,
        help_text="The planning assumptions (SVC-23) the exposures were counted with.",
    )
    priced_on = models.DateField(help_text="The day the recommendations were priced.")
    created_at = models.DateTimeField()
    budget_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(annual_budget__gte=Decimal("0")), name="assessment_budget_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(premium_within_budget__lte=F("annual_budget")),
                name="assessment_spends_within_budget",
            ),
        ]

    def __str__(self) -> str:
        return f"risk check {self.public_id} of {self.customer_id}"

    @property
    def proposal_required(self) -> bool:
        return bool(self.proposal_reasons)

    @property
    def budget_left(self) -> Decimal:
        return self.annual_budget - self.premium_within_budget


class RiskAnswer(models.Model):
    """One question of the risk check as it was asked, and the answer as it was given."""

    assessment = models.ForeignKey(RiskAssessment, on_delete=models.CASCADE, related_name="answers")
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=40)
    area = models.CharField(max_length=20)
    question = models.TextField(help_text="The words asked, in the language they were asked.")
    answer = models.TextField(help_text="The answer in words, as shown to the customer.")
    value = models.JSONField(help_text="The answer as the rules read it (amounts as strings).")
    questions_version = models.CharField(max_length=20)

    class Meta:
        ordering = ["assessment", "position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "code"], name="one_risk_answer_per_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.answer}"


class IdentifiedRisk(models.Model):
    """A risk the rules found: how likely and how severe (1-5 each, score = their product), the
    money at stake, the part existing cover meets, the gap, why, and what the plan does about
    it (treatment, prevention measures, and what stays uncovered after the recommended cover).
    """

    assessment = models.ForeignKey(RiskAssessment, on_delete=models.CASCADE, related_name="risks")
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=40)
    category = models.CharField(max_length=20, choices=RiskCategory.choices)
    title = models.CharField(max_length=200)
    description = models.TextField()
    likelihood = models.PositiveSmallIntegerField()
    severity = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField()
    exposure = models.DecimalField(max_digits=14, decimal_places=2)
    existing_cover = models.DecimalField(max_digits=14, decimal_places=2)
    gap = models.DecimalField(max_digits=14, decimal_places=2)
    uncovered = models.DecimalField(
        max_digits=14, decimal_places=2, help_text="The gap the plan's fitting covers leave."
    )
    reasons = models.JSONField(default=list)
    treatment = models.CharField(max_length=20, choices=Treatment.choices)
    treatment_reason = models.TextField()
    measures = models.JSONField(default=list, help_text='[{"code", "text"}], in its language.')

    class Meta:
        ordering = ["assessment", "position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "code"], name="one_risk_per_code"),
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5, severity__gte=1, severity__lte=5),
                name="risk_scales_one_to_five",
            ),
            models.CheckConstraint(
                condition=Q(score=F("likelihood") * F("severity")), name="risk_score_is_product"
            ),
            models.CheckConstraint(
                condition=Q(existing_cover__gte=0, uncovered__gte=0, gap__gte=0),
                name="risk_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(gap=F("exposure") - F("existing_cover")),
                name="risk_gap_is_exposure_less_cover",
            ),
            models.CheckConstraint(
                condition=Q(uncovered__lte=F("gap")), name="risk_uncovered_in_gap"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.score})"

    @property
    def level(self) -> str:
        return risk_level(self.score)

    @property
    def planned_cover(self) -> Decimal:
        """What the plan's recommended cover adds: the gap less what stays uncovered."""
        return self.gap - self.uncovered


class CoverRecommendation(models.Model):
    """Insurance the plan recommends for one or more risks, priced with `catalog.rating` on the
    assessment's `priced_on` day and fitted to the budget: whole, reduced, beyond the budget, or
    not available (with the reason in `notes`)."""

    assessment = models.ForeignKey(
        RiskAssessment, on_delete=models.CASCADE, related_name="recommendations"
    )
    position = models.PositiveSmallIntegerField(help_text="The order the budget is spent in.")
    product_version = models.ForeignKey(
        "catalog.ProductVersion", on_delete=models.PROTECT, related_name="+"
    )
    covers = models.JSONField(default=list, help_text="Codes of the risks it carries.")
    term_years = models.PositiveSmallIntegerField()
    rating_inputs = models.JSONField(default=dict, blank=True)
    full_sum_insured = models.DecimalField(max_digits=14, decimal_places=2)
    full_premium = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    sum_insured = models.DecimalField(max_digits=14, decimal_places=2)
    premium = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, help_text="Annual, as fitted."
    )
    currency = models.CharField(max_length=3)
    fit = models.CharField(max_length=20, choices=FitStatus.choices)
    notes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["assessment", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sum_insured__lte=F("full_sum_insured")),
                name="recommendation_reduced_not_raised",
            ),
            models.CheckConstraint(
                condition=Q(fit=FitStatus.UNAVAILABLE) | Q(premium__isnull=False),
                name="recommendation_priced_unless_unavailable",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_version} {self.sum_insured} ({self.fit})"

    @property
    def can_apply(self) -> bool:
        return self.fit != FitStatus.UNAVAILABLE


class Proposal(models.Model):
    """A written insurance proposal for a large or special risk (SVC-21): the risk assessment
    findings, the prevention and resolution scheme, market factors and priced options at and
    beyond the customer's budget, drafted by an agent, approved by a supervisor (never the
    drafter) and issued as a letter; the customer accepts one option, or declines.

    The status lives on the case; the delivery clock (SVC-22) runs from the request to issue.
    """

    case = models.OneToOneField("casework.Case", on_delete=models.PROTECT, related_name="proposal")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    customer = models.ForeignKey(
        "customers.CustomerProfile", on_delete=models.PROTECT, related_name="proposals"
    )
    assessment = models.OneToOneField(
        RiskAssessment,
        on_delete=models.PROTECT,
        related_name="proposal",
        help_text="One proposal per risk check: a new one starts from a new check.",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    request_note = models.TextField(blank=True)
    required_because = models.JSONField(
        default=list, blank=True, help_text="SVC-21's reasons, or the agent's, when requested."
    )
    findings = models.TextField(blank=True, help_text="The risk assessment, in words.")
    prevention_scheme = models.TextField(blank=True)
    resolution_scheme = models.TextField(
        blank=True, help_text="How a loss would be resolved: claims, assistance, what is kept."
    )
    market_factors = models.TextField(blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    drafted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    letter = models.ForeignKey(
        "documents.Letter", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    valid_until = models.DateField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("drafted_by")),
                name="proposal_approved_by_another",
            )
        ]

    def __str__(self) -> str:
        return self.case.reference

    @property
    def reference(self) -> str:
        return self.case.reference

    @property
    def status(self) -> str:
        return self.case.status

    @property
    def currency(self) -> str:
        return self.assessment.currency


class ProposalOption(models.Model):
    """One option of a proposal: a cover priced with `catalog.rating`, and whether its premium
    is within the customer's annual budget. The customer accepts one (`chosen`)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="options")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    position = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=120)
    product_version = models.ForeignKey(
        "catalog.ProductVersion", on_delete=models.PROTECT, related_name="+"
    )
    sum_insured = models.DecimalField(max_digits=14, decimal_places=2)
    term_years = models.PositiveSmallIntegerField()
    rating_inputs = models.JSONField(default=dict, blank=True)
    annual_premium = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    within_budget = models.BooleanField()
    notes = models.TextField(blank=True)
    chosen = models.BooleanField(default=False)

    class Meta:
        ordering = ["proposal", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sum_insured__gt=0), name="proposal_option_sum_insured_positive"
            ),
            models.UniqueConstraint(
                fields=["proposal"], condition=Q(chosen=True), name="one_chosen_option"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.product_version} {self.sum_insured}"
