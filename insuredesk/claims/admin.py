"""Claims in the admin: for looking things up, not for working them.

Every claim record is written by a service that moves the case and its clocks, so the admin
shows them read-only (statuses change only through casework transitions). The one thing
configured here is who surveys where (`SurveyorProfile`).
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from insuredesk.claims.models import (
    Assessment,
    Claim,
    ClaimDocument,
    Dispute,
    DocumentRequest,
    Offer,
    Payment,
    PaymentOrder,
    Refusal,
    SettlementAgreement,
    Survey,
    SurveyorProfile,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists and detail pages only: no add, change or delete."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields] + list(self.readonly_fields)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DocumentInline(ReadOnlyInline):
    model = ClaimDocument
    fk_name = "claim"
    fields = ("name", "kind", "original_name", "size", "sha256", "uploaded_by", "uploaded_at")


class OfferInline(ReadOnlyInline):
    model = Offer
    fields = ("number", "amount", "status", "made_by", "made_at", "counter_amount")


class PaymentOrderInline(ReadOnlyInline):
    model = PaymentOrder
    fields = ("kind", "amount", "currency", "status", "needs_supervisor", "approved_by")


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    list_display = (
        "reference",
        "status",
        "customer",
        "policy",
        "loss_type",
        "event_date",
        "amount_claimed",
        "currency",
        "jurisdiction",
        "reported_at",
    )
    list_filter = ("case__status", "case__jurisdiction", "loss_type", "channel")
    search_fields = (
        "case__reference",
        "policy__number",
        "case__customer__number",
        "case__customer__full_name",
        "event_place",
    )
    list_select_related = ("case", "case__customer", "policy")
    date_hierarchy = "reported_at"
    readonly_fields = ("events", "letters")
    inlines = (DocumentInline, OfferInline, PaymentOrderInline)

    @admin.display(ordering="case__reference")
    def reference(self, obj: Claim) -> str:
        return obj.case.reference

    @admin.display(ordering="case__status")
    def status(self, obj: Claim) -> str:
        return obj.case.status_label

    @admin.display(ordering="case__customer__full_name")
    def customer(self, obj: Claim) -> str:
        return str(obj.customer.full_name)

    @admin.display(ordering="case__jurisdiction")
    def jurisdiction(self, obj: Claim) -> str:
        return obj.case.jurisdiction

    @admin.display(description="Timeline (read-only audit trail)")
    def events(self, obj: Claim) -> str:
        rows = obj.case.events.select_related("case").order_by("sequence")
        return format_html(
            "<table><tr><th>When</th><th>What</th><th>Who</th><th>Customer sees it</th>"
            "<th>Reason</th></tr>{}</table>",
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                (
                    (
                        f"{e.created_at:%Y-%m-%d %H:%M}",
                        e.kind_label,
                        e.actor_label,
                        "yes" if e.visible_to_customer else "no",
                        e.reason[:200],
                    )
                    for e in rows
                ),
            ),
        )

    @admin.display(description="Letters")
    def letters(self, obj: Claim) -> str:
        from insuredesk.documents.selectors import letters_for_case

        items = format_html_join(
            "",
            '<li><a href="{}">{}</a> · {}</li>',
            (
                (
                    reverse("admin:documents_letter_change", args=[letter.pk]),
                    letter.title,
                    f"{letter.issued_at:%Y-%m-%d %H:%M}",
                )
                for letter in letters_for_case(obj.case)
            ),
        )
        return format_html("<ul>{}</ul>", items) if items else "—"


@admin.register(ClaimDocument)
class ClaimDocumentAdmin(ReadOnlyAdmin):
    list_display = ("name", "claim", "kind", "original_name", "size", "uploaded_by", "uploaded_at")
    list_filter = ("kind", "content_type")
    search_fields = ("claim__case__reference", "original_name", "name", "sha256")
    list_select_related = ("claim__case", "uploaded_by")


@admin.register(DocumentRequest)
class DocumentRequestAdmin(ReadOnlyAdmin):
    list_display = ("claim", "requested_by", "requested_at", "fulfilled_at")
    search_fields = ("claim__case__reference",)
    list_select_related = ("claim__case", "requested_by")


@admin.register(SurveyorProfile)
class SurveyorProfileAdmin(admin.ModelAdmin):
    """Which regions and loss types a surveyor covers (the automatic dispatch reads this)."""

    list_display = ("user", "regions", "loss_types", "active")
    list_filter = ("active",)
    search_fields = ("user__username", "user__first_name", "user__last_name")
    list_select_related = ("user",)


@admin.register(Survey)
class SurveyAdmin(ReadOnlyAdmin):
    list_display = ("claim", "surveyor", "status", "appointment_at", "auto_assigned", "cost")
    list_filter = ("status", "auto_assigned")
    search_fields = ("claim__case__reference", "surveyor__username", "location")
    list_select_related = ("claim__case", "surveyor")
    date_hierarchy = "appointment_at"


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ("claim", "number", "gross", "payable", "currency", "assessed_by", "assessed_at")
    search_fields = ("claim__case__reference",)
    list_select_related = ("claim__case", "assessed_by")


@admin.register(Offer)
class OfferAdmin(ReadOnlyAdmin):
    list_display = ("claim", "number", "amount", "status", "made_at", "counter_amount")
    list_filter = ("status",)
    search_fields = ("claim__case__reference",)
    list_select_related = ("claim__case",)


@admin.register(SettlementAgreement)
class SettlementAgreementAdmin(ReadOnlyAdmin):
    list_display = ("claim", "amount", "accepted_by_label", "accepted_at")
    search_fields = ("claim__case__reference", "accepted_by_label")
    list_select_related = ("claim__case",)


@admin.register(PaymentOrder)
class PaymentOrderAdmin(ReadOnlyAdmin):
    list_display = (
        "claim",
        "kind",
        "amount",
        "currency",
        "status",
        "needs_supervisor",
        "payee_name",
        "created_at",
        "approved_by",
    )
    list_filter = ("status", "kind", "needs_supervisor")
    search_fields = ("claim__case__reference", "payee_name", "public_id")
    list_select_related = ("claim__case", "approved_by")


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("reference", "order", "amount", "executed_at")
    search_fields = ("reference", "order__claim__case__reference")
    list_select_related = ("order__claim__case",)
    date_hierarchy = "executed_at"


@admin.register(Refusal)
class RefusalAdmin(ReadOnlyAdmin):
    list_display = ("claim", "ground", "decided_by", "decided_at", "notice_sent_at")
    list_filter = ("ground",)
    search_fields = ("claim__case__reference", "reasons")
    list_select_related = ("claim__case", "decided_by")


@admin.register(Dispute)
class DisputeAdmin(ReadOnlyAdmin):
    list_display = ("reference", "claim", "channel", "status", "opened_at")
    list_filter = ("channel", "case__status")
    search_fields = ("case__reference", "claim__case__reference", "grounds")
    list_select_related = ("case", "claim__case")

    @admin.display(ordering="case__reference")
    def reference(self, obj: Dispute) -> str:
        return obj.case.reference

    @admin.display(ordering="case__status")
    def status(self, obj: Dispute) -> str:
        return obj.case.status_label
