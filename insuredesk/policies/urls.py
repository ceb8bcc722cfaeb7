"""Policy pages: the customer's own policies in the portal."""

from django.urls import path

from insuredesk.policies import views

portal = [
    path("", views.portal_home, name="home"),
    path("policies/<str:number>/", views.portal_policy, name="policy"),
    path("policies/<str:number>/cancel/", views.portal_cancel, name="policy-cancel"),
]
console = [
    path("policies/<str:number>/", views.console_policy, name="policy"),
    path("policies/<str:number>/cancel/", views.console_cancel, name="policy-cancel"),
]

# Regular visits (visit_urls.py), with their menu entries.
from insuredesk.policies import visit_urls  # noqa: E402

portal += visit_urls.portal
console += visit_urls.console
portal_menu = visit_urls.portal_menu
console_menu = visit_urls.console_menu
