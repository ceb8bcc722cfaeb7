"""Product pages; open to everyone, signed in or not."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from insuredesk.catalog.selectors import (
    current_version,
    get_product,
    is_sold_to,
    market_for,
    published_products,
)
from insuredesk.customers.selectors import customer_of
from insuredesk.rules.registry import get_profile, profiles


def market_context(request: HttpRequest) -> dict:
    """The products of the market a visitor looks at, with the other markets to switch to."""
    market = market_for(request)
    return {
        "market": market,
        "markets": profiles(),
        "products": published_products(market=market.code),
    }


def product_list(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/product_list.html", market_context(request))


def product_detail(request: HttpRequest, code: str) -> HttpResponse:
    product = get_product(code)
    customer = customer_of(request.user)
    context = {
        "product": product,
        "version": current_version(product),
        "market": get_profile(product.market),
        # A visitor may read any product; a customer applies only for their own market's.
        "sold_here": customer is None or is_sold_to(product, customer),
    }
    return render(request, "catalog/product_detail.html", context)
