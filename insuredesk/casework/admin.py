"""Cases in the admin: to look, never to edit. Status changes go through the services, and
events are the audit trail — the admin can neither change nor delete them."""

from django.contrib import admin

from insuredesk.casework.models import Case, CaseAccess, CaseEvent, Clock


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ClockInline(admin.TabularInline):
    model = Clock
    fields = ("name", "rule", "state", "started_at", "due_date", "stopped_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = [
        "reference",
        "kind",
        "status",
        "customer",
        "assignee",
        "jurisdiction",
        "next_deadline",
        "opened_at",
        "closed_at",
    ]
    list_filter = ["kind", "status", "jurisdiction"]
    search_fields = ["reference", "title", "customer__full_name", "customer__number"]
    list_select_related = ["customer", "assignee"]
    inlines = [ClockInline]


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = [
        "sequence",
        "case",
        "kind",
        "actor_label",
        "from_status",
        "to_status",
        "created_at",
    ]
    list_filter = ["kind"]
    search_fields = ["case__reference", "kind", "reason"]
    list_select_related = ["case"]


@admin.register(CaseAccess)
class CaseAccessAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "case", "what"]
    search_fields = ["case__reference", "user__username"]
    list_select_related = ["case", "user"]
