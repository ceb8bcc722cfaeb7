"""Admin pages for customers and API tokens (tokens read-only; the digest is never shown)."""

from django.contrib import admin

from insuredesk.customers.models import ApiToken, CustomerProfile


@admin.register(CustomerProfile)
class CustomerProfileAdmin(admin.ModelAdmin):
    list_display = ("number", "full_name", "email", "phone", "region", "jurisdiction", "vulnerable")
    list_filter = ("jurisdiction", "language", "vulnerable", "marketing_consent")
    search_fields = ("number", "full_name", "email", "phone", "policies__number")
    readonly_fields = ("public_id", "created_at")
    raw_id_fields = ("user",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "prefix",
        "user",
        "name",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("revoked_at",)
    search_fields = ("user__username", "name", "prefix")
    list_select_related = ("user",)
    fields = ("user", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at")
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False  # tokens are issued through POST /api/v1/auth/token only

    def has_change_permission(self, request, obj=None) -> bool:
        return False
