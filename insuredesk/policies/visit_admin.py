"""Admin pages for visits: read only, since a visit moves only through `visiting`'s services
(its status is on its case, with an event for every change)."""

from django.contrib import admin

from insuredesk.policies.models import Visit, VisitFollowUp


class FollowUpInline(admin.TabularInline):
    model = VisitFollowUp
    extra = 0
    can_delete = False
    fields = ("need", "action", "consultation", "complaint", "due_on", "done_at", "raised_by")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ("case", "purpose", "customer", "policy", "due_on", "status", "rating")
    list_filter = ("purpose", "case__status", "case__jurisdiction")
    search_fields = ("case__reference", "customer__full_name", "customer__number", "policy__number")
    list_select_related = ("case", "customer", "policy")
    date_hierarchy = "due_on"
    inlines = [FollowUpInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Visit._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="status", ordering="case__status")
    def status(self, obj: Visit) -> str:
        return obj.case.status_label
