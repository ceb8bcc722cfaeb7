"""Reads of the catalogue: what is on sale and its terms."""

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from insuredesk.catalog.models import Clause, Product, ProductVersion
from insuredesk.customers.selectors import customer_of
from insuredesk.rules.errors import UnknownJurisdiction
from insuredesk.rules.registry import Profile, get_profile


def published_products(market: str | None = None) -> QuerySet[Product]:
    """Products on the shelf; with `market`, only those sold in that jurisdiction."""
    products = Product.objects.filter(is_published=True)
    if market is not None:
        products = products.filter(market=market)
    return products.order_by("name")


def market_for(request) -> Profile:
    """The market whose products a page shows: the one asked for (`?market=GB`), else the
    signed-in customer's jurisdiction, else the installation's default. 404 for an unknown one."""
    asked = request.GET.get("market")
    if asked:
        try:
            return get_profile(asked, field="market")
        except UnknownJurisdiction:
            raise Http404(f"We sell in no market called {asked[:20]!r}.") from None
    customer = customer_of(request.user)
    if customer is not None:
        return get_profile(customer.jurisdiction)
    return get_profile(settings.INSUREDESK["DEFAULT_JURISDICTION"])


def is_sold_to(product: Product, customer) -> bool:
    """A product is sold to the customers of its market only: its clauses are written under
    that jurisdiction's law and its prices are in that jurisdiction's currency."""
    return product.market == customer.jurisdiction


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
