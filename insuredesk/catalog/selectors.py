"""Reads of the catalogue: what is on sale and its terms."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from insuredesk.catalog.models import Clause, Product, ProductVersion


def published_products() -> QuerySet[Product]:
    return Product.objects.filter(is_published=True).order_by("name")


def current_version(product: Product, day=None) -> ProductVersion | None:
    """The version on sale on the day (today by default)."""
    day = day or timezone.localdate()
    versions = [v for v in product.versions.all() if v.is_effective_on(day)]
    return max(versions, key=lambda v: v.version) if versions else None


def get_product(code: str) -> Product:
    product = (
        published_products()
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=ProductVersion.objects.prefetch_related(
                    Prefetch("clauses", queryset=Clause.objects.order_by("position", "id")),
                    "coverages",
                ),
            )
        )
        .filter(code=code)
        .first()
    )
    if product is None:
        raise Http404("No such product.")
    return product
