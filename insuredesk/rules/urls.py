"""Pages of the rules app: `portal` for customers, `console` for staff."""

from django.urls import path

from insuredesk.rules import views

portal: list = []
console = [
    path("rules/", views.console_rules, name="rules"),
]
console_menu = [("Rules", "console:rules")]
