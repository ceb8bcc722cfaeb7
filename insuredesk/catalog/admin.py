"""Admin pages for the catalogue: products, versions, coverages and clauses.

Exemption clauses are flagged in every list (IL Art. 17: they must be marked and explained).
"""

from django.contrib import admin
from django.utils.html import format_html

from insuredesk.catalog.choices import ClauseKind
from insuredesk.catalog.models import Clause, Coverage, Product, ProductVersion


def exemption_flag(clause: Clause) -> str:
    if clause.kind == ClauseKind.EXEMPTION:
        return format_html('<strong style="color:#b3261e">{}</strong>', "⚠ EXEMPTION")
    return clause.get_kind_display()


class ProductVersionInline(admin.TabularInline):
    model = ProductVersion
    fields = ("version", "effective_from", "effective_to", "currency", "rating_method")
    extra = 0
    show_change_link = True


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "line", "market", "is_published", "version_count")
    list_filter = ("market", "line", "is_published")
    search_fields = ("name", "code", "summary")
    prepopulated_fields = {"code": ("name",)}
    inlines = [ProductVersionInline]

    @admin.display(description="versions")
    def version_count(self, product: Product) -> int:
        return product.versions.count()


class CoverageInline(admin.StackedInline):
    model = Coverage
    extra = 0
    fields = (
        ("code", "name"),
        "description",
        ("sum_insured_min", "sum_insured_max", "deductible", "waiting_period_days"),
        "loss_types",
        "required_documents",
    )


class ClauseInline(admin.StackedInline):
    model = Clause
    extra = 0
    fields = (
        ("number", "title", "kind", "must_be_explained", "position"),
        "coverage",
        "text",
        "explanation",
        "legal_consequence",
    )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # Only the version's own coverages may be linked to its clauses.
        field = formset.form.base_fields.get("coverage")
        if field is not None and obj is not None:
            field.queryset = obj.coverages.all()
        return formset


@admin.register(ProductVersion)
class ProductVersionAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "effective_from",
        "effective_to",
        "rating_method",
        "clause_count",
        "exemption_count",
    )
    list_filter = ("product", "rating_method")
    search_fields = ("product__name", "product__code", "clauses__text")
    list_select_related = ("product",)
    inlines = [CoverageInline, ClauseInline]

    @admin.display(description="clauses")
    def clause_count(self, version: ProductVersion) -> int:
        return version.clauses.count()

    @admin.display(description="exemption clauses")
    def exemption_count(self, version: ProductVersion) -> int:
        return version.clauses.filter(kind=ClauseKind.EXEMPTION).count()


@admin.register(Coverage)
class CoverageAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "code",
        "product_version",
        "sum_insured_min",
        "sum_insured_max",
        "deductible",
        "waiting_period_days",
    )
    list_filter = ("product_version__product",)
    search_fields = ("name", "code", "description")
    list_select_related = ("product_version__product",)


@admin.register(Clause)
class ClauseAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "flag", "must_be_explained", "product_version")
    list_filter = ("kind", "must_be_explained", "product_version__product")
    search_fields = ("number", "title", "text", "explanation", "legal_consequence")
    list_select_related = ("product_version__product",)
    ordering = ("product_version", "position", "id")

    @admin.display(description="kind", ordering="kind")
    def flag(self, clause: Clause) -> str:
        return exemption_flag(clause)
