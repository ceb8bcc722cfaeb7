"""Admin pages for policies, with their beneficiaries, premium instalments and payments.

Statuses and payments are written by the services (with their letters and events), so the
admin shows them read-only.
"""

from django.contrib import admin

from insuredesk.policies.models import (
    Beneficiary,
    Cancellation,
    Policy,
    PremiumInstalment,
    PremiumPayment,
)


class BeneficiaryInline(admin.TabularInline):
    model = Beneficiary
    extra = 0


class CancellationInline(admin.StackedInline):
    """Read only: a cancellation is made through the cooling-off service, with its letter."""

    model = Cancellation
    extra = 0
    can_delete = False
    readonly_fields = (
        "requested_at",
        "requested_by",
        "reason",
        "period_ends_on",
        "basis",
        "refund",
        "currency",
        "letter",
    )

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class PremiumInstalmentInline(admin.TabularInline):
    model = PremiumInstalment
    extra = 0
    fields = (
        "due_date",
        "amount",
        "status",
        "paid_at",
        "payment_reference",
        "reminded_at",
        "demanded_at",
        "grace_ends_on",
    )
    # Paid, reminded and demanded only through the premium services.
    readonly_fields = (
        "status",
        "paid_at",
        "payment_reference",
        "reminded_at",
        "demanded_at",
        "grace_ends_on",
    )
    ordering = ("due_date",)


class PremiumPaymentInline(admin.TabularInline):
    """Read only: a payment is recorded through `record_premium_payment`, with its receipt."""

    model = PremiumPayment
    extra = 0
    can_delete = False
    fields = ("number", "instalment", "amount", "currency", "method", "reference", "received_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "policyholder",
        "product_version",
        "status",
        "sum_insured",
        "premium",
        "premium_frequency",
        "start_date",
        "end_date",
        "jurisdiction",
    )
    list_filter = ("status", "jurisdiction", "premium_frequency", "product_version__product")
    search_fields = ("number", "policyholder__full_name", "policyholder__number", "insured_name")
    list_select_related = ("policyholder", "product_version__product")
    date_hierarchy = "start_date"
    raw_id_fields = ("policyholder", "agent")
    readonly_fields = ("public_id", "issued_at", "status_changed_at")
    inlines = [BeneficiaryInline, PremiumInstalmentInline, PremiumPaymentInline, CancellationInline]


from insuredesk.policies import visit_admin  # noqa: E402, F401  (registers the visit admin)
