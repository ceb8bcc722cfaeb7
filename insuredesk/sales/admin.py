"""Admin pages for applications: read only. An application moves through the sales services
(submit, underwrite, accept), whose checks (CN-02, CN-12) and letters an edit here would skip."""

from django.contrib import admin

from insuredesk.sales.models import Application, DeclarationAnswer, MedicalExam


class _ReadOnly:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class DeclarationInline(_ReadOnly, admin.TabularInline):
    model = DeclarationAnswer
    extra = 0
    fields = ("code", "question", "answer", "details", "questions_version")


class ExamInline(_ReadOnly, admin.StackedInline):
    model = MedicalExam
    extra = 0
    fields = (
        "status",
        "reason",
        "tests",
        "clinic",
        "appointment_at",
        "requested_by",
        "requested_at",
        "result_summary",
        "result_file",
        "completed_at",
        "cost_borne_by_insurer",
    )


@admin.register(Application)
class ApplicationAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = (
        "reference",
        "applicant",
        "product_version",
        "channel",
        "sum_insured",
        "status",
        "decision",
        "offered_premium",
        "submitted_at",
    )
    list_filter = ("case__status", "channel", "decision", "product_version__product")
    search_fields = ("case__reference", "applicant__full_name", "applicant__number")
    list_select_related = ("case", "applicant", "product_version__product")
    date_hierarchy = "submitted_at"
    inlines = (DeclarationInline, ExamInline)
