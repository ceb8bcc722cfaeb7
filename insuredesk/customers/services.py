"""Every write to customers and their credentials."""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from insuredesk.customers.models import ApiToken, CustomerProfile
from insuredesk.customers.roles import Role
from insuredesk.customers.selectors import token_digest
from insuredesk.errors import NotFound, ValidationFailed
from insuredesk.rules.registry import get_profile

User = get_user_model()


def next_customer_number() -> str:
    highest = CustomerProfile.objects.aggregate(n=Max("number"))["n"]
    sequence = int(highest.split("-")[1]) + 1 if highest else 1
    return f"C-{sequence:06d}"


def create_customer(
    *,
    full_name: str,
    email: str = "",
    phone: str = "",
    date_of_birth=None,
    address: str = "",
    region: str = "",
    language: str = "en",
    jurisdiction: str | None = None,
    user=None,
) -> CustomerProfile:
    """A customer profile with the next customer number (the caller holds the transaction)."""
    if not full_name.strip():
        raise ValidationFailed("Full name is required.", field="full_name")
    return CustomerProfile.objects.create(
        user=user,
        number=next_customer_number(),
        full_name=full_name.strip(),
        email=email,
        phone=phone,
        date_of_birth=date_of_birth,
        address=address,
        region=region,
        language=language,
        jurisdiction=jurisdiction or settings.INSUREDESK["DEFAULT_JURISDICTION"],
    )


def register_customer(
    *,
    username: str,
    password: str,
    full_name: str,
    email: str,
    phone: str = "",
    date_of_birth=None,
    language: str = "en",
    jurisdiction: str | None = None,
) -> CustomerProfile:
    """Self-registration: a login in the customer role and its customer profile.

    `jurisdiction` is where the customer lives: it decides which products are sold to them and
    every deadline of their cases (the installation's default when not given)."""
    if jurisdiction is not None:
        jurisdiction = get_profile(jurisdiction).code  # an unknown one names the field
    username = username.strip()
    if not username:
        raise ValidationFailed("Choose a username.", field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationFailed("That username is taken.", field="username")
    if not email.strip():
        raise ValidationFailed(
            "An e-mail address is required to reset your password.", field="email"
        )
    candidate = User(username=username, email=email)
    try:
        validate_password(password, candidate)
    except DjangoValidationError as exc:
        raise ValidationFailed(" ".join(exc.messages), field="password") from exc
    with transaction.atomic(durable=True):
        user = User.objects.create_user(username=username, email=email, password=password)
        user.groups.add(Group.objects.get_or_create(name=Role.CUSTOMER.value)[0])
        return create_customer(
            full_name=full_name,
            email=email,
            phone=phone,
            date_of_birth=date_of_birth,
            language=language,
            jurisdiction=jurisdiction,
            user=user,
        )


def issue_token(
    *, username: str, password: str, name: str = "", now: datetime | None = None
) -> tuple[ApiToken, str]:
    """Check the credentials and return a new token; the plain token is returned only here."""
    user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        raise ValidationFailed(
            "Wrong username or password.", code="invalid_credentials", field="password"
        )
    now = now or timezone.now()
    plain = "idk_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=plain[:12],
        digest=token_digest(plain),
        expires_at=now + timedelta(days=settings.INSUREDESK["API_TOKEN_TTL_DAYS"]),
    )
    return token, plain


def revoke_token(*, actor, token_id, now: datetime | None = None) -> ApiToken:
    """Revoke one of the actor's own tokens; someone else's token is not found."""
    token = ApiToken.objects.filter(user=actor, public_id=token_id).first()
    if token is None:
        raise NotFound("No such token.")
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def update_profile(*, actor, customer: CustomerProfile, changes: dict) -> CustomerProfile:
    """The fields a customer may change on their own profile."""
    allowed = {"email", "phone", "address", "language", "marketing_consent"}
    unknown = set(changes) - allowed
    if unknown:
        field = sorted(unknown)[0]
        raise ValidationFailed(f"{field} cannot be changed here.", field=field)
    for field, value in changes.items():
        setattr(customer, field, value)
    customer.full_clean(exclude=["user"])
    customer.save(update_fields=[*changes])
    return customer
