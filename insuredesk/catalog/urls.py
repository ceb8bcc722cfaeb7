"""Product pages: public, in the portal's look."""

from django.urls import path

from insuredesk.catalog import views

portal = [
    path("products/", views.product_list, name="products"),
    path("products/<slug:code>/", views.product_detail, name="product"),
]
console: list = []
