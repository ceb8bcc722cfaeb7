"""Who may open which pages: customers the portal, staff the console (by role)."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from insuredesk.customers.models import CustomerProfile
from insuredesk.customers.roles import Role, has_role, is_staff_member
from insuredesk.customers.selectors import customer_of


class CustomerRequest(HttpRequest):
    """The request a `customer_required` view receives: annotate its `request` with this."""

    customer: CustomerProfile


def customer_required(view: Callable) -> Callable:
    """Portal pages: a signed-in customer; `request.customer` is their profile."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        request.customer = customer_of(request.user)
        if request.customer is None:
            raise PermissionDenied("The portal is for customers; staff use the console.")
        return view(request, *args, **kwargs)

    return wrapper


def staff_required(*roles: Role) -> Callable:
    """Console pages: staff, and when roles are named, one of them (supervisors always)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not is_staff_member(request.user):
                raise PermissionDenied("The console is for the insurer's staff.")
            if roles and not has_role(request.user, *roles, Role.SUPERVISOR, Role.ADMINISTRATOR):
                raise PermissionDenied("Your role does not open this page.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
