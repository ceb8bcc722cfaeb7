"""Admin: the category tree and the response wording are configuration the administrator edits;
complaints and plans are shown read-only (they change only through the services)."""

from datetime import date

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone

from insuredesk.complaints import retention
from insuredesk.complaints.models import (
    Category,
    Complaint,
    ImprovementPlan,
    Measure,
    Rating,
    ResponseWording,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "parent", "position", "is_active")
    list_filter = ("is_active", "parent")
    search_fields = ("name", "code")


@admin.register(ResponseWording)
class ResponseWordingAdmin(admin.ModelAdmin):
    """GB-12: the ombudsman's standard wording around our letter; CN-29: the review right."""

    list_display = ("jurisdiction", "waiver_position", "website", "updated_at")
    fieldsets = (
        (None, {"fields": ("jurisdiction",)}),
        (
            "Referral",
            {"fields": ("referral_paragraph", "referral_months", "website", "review_days")},
        ),
        ("Waiver of time limits (GB)", {"fields": ("waiver_position", "waiver_paragraph")}),
        ("Other remedies", {"fields": ("other_remedies_paragraph",)}),
    )


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Complaint)
class ComplaintAdmin(ReadOnly):
    list_display = ("case", "channel", "category", "received_at", "outcome", "responded_in_time")
    list_filter = ("channel", "outcome", "case__jurisdiction")
    search_fields = ("case__reference", "case__customer__full_name")
    list_select_related = ("case", "category", "category__parent")
    readonly_fields = ("keep_until",)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        """GB-13 (DISP 1.9.1R): a complaint record is kept 3 years from receipt; after that a
        user with the delete permission may remove it, one at a time (no bulk deletion)."""
        if not isinstance(obj, Complaint):  # None: the changelist asks about bulk deletion
            return False
        return admin.ModelAdmin.has_delete_permission(self, request, obj) and retention.may_delete(
            obj, timezone.now()
        )

    @admin.display(description="Keep until (GB-13)")
    def keep_until(self, obj: Complaint) -> date:
        return obj.keep_until


class MeasureInline(admin.TabularInline):
    model = Measure
    extra = 0
    can_delete = False
    fields = ("description", "owner", "due_date", "status", "evidence")
    readonly_fields = fields


@admin.register(ImprovementPlan)
class ImprovementPlanAdmin(ReadOnly):
    list_display = ("title", "owner", "adopted_at", "verification_date", "status")
    list_filter = ("status",)
    inlines = [MeasureInline]


@admin.register(Rating)
class RatingAdmin(ReadOnly):
    list_display = ("complaint", "score", "rated_at")
    list_filter = ("score",)
