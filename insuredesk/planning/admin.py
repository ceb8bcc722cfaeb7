"""Admin pages for risk planning: read only. Risk checks are made by the assessment service and
proposals move through theirs (four eyes, the letter, the delivery clock), which an edit here
would skip."""

from django.contrib import admin

from insuredesk.planning.models import (
    CoverRecommendation,
    IdentifiedRisk,
    Proposal,
    ProposalOption,
    RiskAnswer,
    RiskAssessment,
)


class _ReadOnly:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AnswerInline(_ReadOnly, admin.TabularInline):
    model = RiskAnswer
    extra = 0
    fields = ("position", "area", "question", "answer", "questions_version")


class RiskInline(_ReadOnly, admin.TabularInline):
    model = IdentifiedRisk
    extra = 0
    fields = (
        "code",
        "likelihood",
        "severity",
        "score",
        "exposure",
        "existing_cover",
        "gap",
        "uncovered",
        "treatment",
    )


class RecommendationInline(_ReadOnly, admin.TabularInline):
    model = CoverRecommendation
    extra = 0
    fields = ("product_version", "sum_insured", "term_years", "premium", "fit")


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = (
        "public_id",
        "customer",
        "agent",
        "jurisdiction",
        "annual_budget",
        "premium_within_budget",
        "proposal_required",
        "created_at",
    )
    list_filter = ("jurisdiction", "questions_version")
    search_fields = ("customer__full_name", "customer__number")
    list_select_related = ("customer", "agent")
    date_hierarchy = "created_at"
    inlines = (AnswerInline, RiskInline, RecommendationInline)

    @admin.display(boolean=True, description="Proposal owed (SVC-21)")
    def proposal_required(self, obj: RiskAssessment) -> bool:
        return obj.proposal_required


class OptionInline(_ReadOnly, admin.TabularInline):
    model = ProposalOption
    extra = 0
    fields = ("label", "product_version", "sum_insured", "term_years", "annual_premium", "chosen")


@admin.register(Proposal)
class ProposalAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = (
        "reference",
        "customer",
        "status",
        "requested_at",
        "drafted_by",
        "approved_by",
        "valid_until",
    )
    list_filter = ("case__status",)
    search_fields = ("case__reference", "customer__full_name", "customer__number")
    list_select_related = ("case", "customer", "drafted_by", "approved_by")
    date_hierarchy = "requested_at"
    inlines = (OptionInline,)
