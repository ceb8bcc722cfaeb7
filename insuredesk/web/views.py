"""The web shell: landing page, sign-in and sign-up, password pages, health check."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from insuredesk.catalog.views import market_context
from insuredesk.customers import services as customer_services
from insuredesk.customers.roles import is_staff_member
from insuredesk.errors import ValidationFailed
from insuredesk.web.forms import RegistrationForm


def home(request: HttpRequest) -> HttpResponse:
    """Staff go to their console, customers to their portal, visitors see the products."""
    if request.user.is_authenticated:
        return redirect("console:home" if is_staff_member(request.user) else "portal:home")
    return render(request, "web/landing.html", market_context(request))


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})


def register(request: HttpRequest) -> HttpResponse:
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            customer = customer_services.register_customer(
                username=data["username"],
                password=data["password"],
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                date_of_birth=data["date_of_birth"],
                jurisdiction=data["jurisdiction"] or None,
            )
        except ValidationFailed as exc:
            form.add_error(exc.details.get("field"), exc.message)
        else:
            login(request, customer.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                f"Welcome, {customer.full_name}. Your customer number is {customer.number}.",
            )
            return redirect("portal:home")
    return render(request, "registration/register.html", {"form": form})


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    success_url = reverse_lazy("password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    pass


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    pass
