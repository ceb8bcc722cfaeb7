"""The outbox in the admin: a delivery record to read, not to edit."""

from django.contrib import admin

from insuredesk.notifications.models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = (
        "subject",
        "channel",
        "status",
        "recipient_customer",
        "recipient_user",
        "attempts",
        "created_at",
        "sent_at",
    )
    list_filter = ("channel", "status")
    search_fields = ("public_id", "dedupe_key", "address", "subject", "case__reference")
    list_select_related = ("recipient_customer", "recipient_user")
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
