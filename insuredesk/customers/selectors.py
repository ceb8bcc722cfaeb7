"""Reads of customers and tokens; visibility is decided here and nowhere else."""

import hashlib

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from insuredesk.customers.models import ApiToken, CustomerProfile
from insuredesk.customers.roles import is_staff_member


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def user_for_token(token: str):
    """The active user a bearer token belongs to, or None for an unknown, expired or revoked one."""
    now = timezone.now()
    api_token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(token), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if api_token is None or not api_token.user.is_active:
        return None
    # Touch at most once a minute: a busy client should not write on every request.
    if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
    return api_token.user


def customer_of(user) -> CustomerProfile | None:
    """The customer profile of a signed-in customer, or None (staff, anonymous)."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.customer
    except CustomerProfile.DoesNotExist:
        return None


def customers_visible_to(user) -> QuerySet[CustomerProfile]:
    """Staff see every customer; a customer sees their own profile only."""
    if is_staff_member(user):
        return CustomerProfile.objects.all()
    if getattr(user, "is_authenticated", False):
        return CustomerProfile.objects.filter(user=user)
    return CustomerProfile.objects.none()


def get_customer_for(user, number: str) -> CustomerProfile:
    customer = customers_visible_to(user).filter(number=number).first()
    if customer is None:
        raise Http404("No such customer.")
    return customer


def search_customers(user, query: str, *, limit: int = 50) -> QuerySet[CustomerProfile]:
    """Staff search by name, customer number, phone, e-mail or policy number."""
    customers = customers_visible_to(user)
    query = query.strip()
    if query:
        customers = customers.filter(
            Q(full_name__icontains=query)
            | Q(number__iexact=query)
            | Q(phone__icontains=query)
            | Q(email__iexact=query)
            | Q(policies__number__iexact=query)
        ).distinct()
    return customers.order_by("full_name")[:limit]


def tokens_of(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def staff_users(*roles: str) -> QuerySet:
    """Active staff with any of the given roles, for assignment pickers."""
    users = get_user_model().objects.filter(is_active=True)
    if roles:
        users = users.filter(groups__name__in=roles)
    return users.distinct().order_by("username")
