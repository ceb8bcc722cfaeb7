"""Products and their clauses: public, no sign-in needed."""

from datetime import date
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from insuredesk.catalog.selectors import current_version, get_product, published_products
from insuredesk.rules.registry import get_profile
from insuredesk.web.pagination import Paginated
from insuredesk.web.schemas import ErrorOut

router = Router(tags=["products"])


class ProductOut(Schema):
    code: str
    name: str
    line: str
    market: str = Field(description="Jurisdiction whose customers may buy it (CN, GB, US-CA).")
    summary: str


class CoverageOut(Schema):
    code: str
    name: str
    description: str
    sum_insured_min: Decimal
    sum_insured_max: Decimal
    deductible: Decimal
    waiting_period_days: int
    loss_types: list[str]


class ClauseOut(Schema):
    number: str
    title: str
    kind: str
    is_exemption: bool
    must_be_explained: bool
    text: str
    explanation: str
    legal_consequence: str


class VersionOut(Schema):
    version: int
    effective_from: date
    effective_to: date | None
    currency: str
    cooling_off_days: int
    term_years_options: list[int]
    coverages: list[CoverageOut]


class ProductDetailOut(ProductOut):
    current_version: VersionOut | None


@router.get("/products", auth=None, response=list[ProductOut])
@paginate(Paginated)
def list_products(request: HttpRequest, market: str | None = None):
    """The products on sale; with `market` (CN, GB, US-CA), those sold in that jurisdiction."""
    return published_products(market=get_profile(market, field="market").code if market else None)


def _version_out(version):
    if version is None:
        return None
    return {
        **{
            f: getattr(version, f)
            for f in (
                "version",
                "effective_from",
                "effective_to",
                "currency",
                "cooling_off_days",
                "term_years_options",
            )
        },
        "coverages": list(version.coverages.all()),
    }


@router.get("/products/{code}", auth=None, response={200: ProductDetailOut, 404: ErrorOut})
def product_detail(request: HttpRequest, code: str):
    """A product with the version on sale today and its coverages."""
    product = get_product(code)
    return {
        "code": product.code,
        "name": product.name,
        "line": product.line,
        "market": product.market,
        "summary": product.summary,
        "current_version": _version_out(current_version(product)),
    }


@router.get("/products/{code}/clauses", auth=None, response={200: list[ClauseOut], 404: ErrorOut})
def product_clauses(request: HttpRequest, code: str):
    """The clauses of the version on sale, each with its plain-language explanation;
    exemption clauses are flagged (`is_exemption`) and carry their legal consequence."""
    version = current_version(get_product(code))
    return list(version.clauses.all()) if version else []
