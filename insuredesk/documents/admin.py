"""Letters in the admin: read-only, because an issued letter never changes."""

from django.contrib import admin

from insuredesk.documents.models import Letter


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "kind",
        "customer",
        "case",
        "jurisdiction",
        "issued_at",
        "superseded_by",
    )
    list_filter = ("kind", "jurisdiction", "language")
    search_fields = ("public_id", "customer__number", "customer__full_name", "case__reference")
    list_select_related = ("customer", "case", "superseded_by")
    date_hierarchy = "issued_at"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
