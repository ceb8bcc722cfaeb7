"""Policy pages: the customer's own policies in the portal."""

from django.urls import path

from insuredesk.policies import views

portal = [
    path("", views.portal_home, name="home"),
    path("policies/<str:number>/", views.portal_policy, name="policy"),
]
console = [
    path("policies/<str:number>/", views.console_policy, name="policy"),
]
