"""Product pages; open to everyone, signed in or not."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from insuredesk.catalog.selectors import current_version, get_product, published_products


def product_list(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/product_list.html", {"products": published_products()})


def product_detail(request: HttpRequest, code: str) -> HttpResponse:
    product = get_product(code)
    version = current_version(product)
    return render(request, "catalog/product_detail.html", {"product": product, "version": version})
