"""URL map: customer portal, staff console, admin, JSON API.

Each app lists its pages in its own urls.py as `portal` and `console`; they are mounted here
under one namespace each, so templates say {% url 'portal:claim-detail' ref %}.
"""

from importlib import import_module

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.urls import include, path, re_path

from insuredesk.api import api
from insuredesk.web import views as web

APPS = [
    "web",
    "customers",
    "catalog",
    "policies",
    "sales",
    "planning",
    "rules",
    "casework",
    "documents",
    "notifications",
    "consultation",
    "claims",
    "complaints",
]


def _collect(attribute: str) -> list:
    patterns: list = []
    for app in APPS:
        patterns += getattr(import_module(f"insuredesk.{app}.urls"), attribute, [])
    return patterns


urlpatterns = [
    path("", web.home, name="home"),
    path("healthz", web.healthz, name="healthz"),
    path("portal/", include((_collect("portal"), "portal"), namespace="portal")),
    path("console/", include((_collect("console"), "console"), namespace="console")),
    path("accounts/login/", web.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/register/", web.register, name="register"),
    path("accounts/password/change/", web.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/change/done/",
        web.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password/reset/", web.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/done/",
        web.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        web.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        web.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    re_path(
        r"^api/",
        lambda request, *args: JsonResponse(
            {"error": {"code": "not_found", "message": "No such endpoint.", "details": {}}},
            status=404,
        ),
    ),
]
