"""Customer pages: staff search and the customer page in the console."""

from django.urls import path

from insuredesk.customers import views

portal: list = []
console = [
    path("", views.console_home, name="home"),
    path("customers/<str:number>/", views.console_customer, name="customer"),
]
