"""Authentication and the caller's own profile."""

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from django.db import transaction
from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from insuredesk.customers import services
from insuredesk.customers.roles import user_roles
from insuredesk.customers.selectors import customer_of, tokens_of
from insuredesk.errors import NotFound
from insuredesk.web.schemas import ErrorOut, InputSchema

router = Router(tags=["auth and profile"])


class TokenIn(InputSchema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=200)
    name: str = Field("", max_length=100, description="A label, e.g. the client's name.")


class TokenOut(Schema):
    id: UUID
    token: str = Field(description="Send as `Authorization: Bearer <token>`. Shown only once.")
    expires_at: datetime


class TokenInfo(Schema):
    id: UUID
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


@router.post("/auth/token", auth=None, response={201: TokenOut, 422: ErrorOut})
def create_token(request: HttpRequest, payload: TokenIn):
    """Exchange a username and password for a bearer token."""
    token, plain = services.issue_token(
        username=payload.username, password=payload.password, name=payload.name
    )
    return Status(201, {"id": token.public_id, "token": plain, "expires_at": token.expires_at})


@router.get("/auth/tokens", response=list[TokenInfo])
def list_tokens(request: HttpRequest):
    """The caller's tokens, newest first (the secret itself is never shown again)."""
    return [
        {
            "id": t.public_id,
            "name": t.name,
            "prefix": t.prefix,
            "created_at": t.created_at,
            "expires_at": t.expires_at,
            "last_used_at": t.last_used_at,
            "revoked_at": t.revoked_at,
        }
        for t in tokens_of(request.user)
    ]


@router.post("/auth/tokens/{token_id}/revoke", response={200: TokenInfo, 404: ErrorOut})
def revoke_token(request: HttpRequest, token_id: UUID):
    """Revoke one of the caller's tokens; it stops working at once."""
    t = services.revoke_token(actor=request.user, token_id=token_id)
    return {
        "id": t.public_id,
        "name": t.name,
        "prefix": t.prefix,
        "created_at": t.created_at,
        "expires_at": t.expires_at,
        "last_used_at": t.last_used_at,
        "revoked_at": t.revoked_at,
    }


class CustomerOut(Schema):
    number: str
    full_name: str
    date_of_birth: date | None
    email: str
    phone: str
    address: str
    language: str
    jurisdiction: str
    marketing_consent: bool


class MeOut(Schema):
    username: str
    roles: list[str]
    customer: CustomerOut | None


class ProfileIn(InputSchema):
    email: str | None = Field(None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: str | None = Field(None, max_length=40)
    address: str | None = Field(None, max_length=500)
    language: Literal["en", "zh"] | None = None
    marketing_consent: bool | None = None


def _me(user):
    return {
        "username": user.username,
        "roles": sorted(user_roles(user)),
        "customer": customer_of(user),
    }


@router.get("/me", response=MeOut)
def me(request: HttpRequest):
    """Who the caller is: username, roles and, for customers, their profile."""
    return _me(request.user)


@router.patch("/me", response={200: MeOut, 404: ErrorOut, 422: ErrorOut})
def update_me(request: HttpRequest, payload: ProfileIn):
    """Change the caller's own contact details and preferences."""
    customer = customer_of(request.user)
    if customer is None:
        raise NotFound("Only customers have a profile to change.")
    with transaction.atomic(durable=True):
        services.update_profile(
            actor=request.user, customer=customer, changes=payload.dict(exclude_none=True)
        )
    return _me(request.user)
