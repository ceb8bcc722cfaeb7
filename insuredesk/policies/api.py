"""The caller's policies: a customer's own, staff all; cancelling one in the cooling-off period."""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from insuredesk.catalog.api import ClauseOut
from insuredesk.policies import services
from insuredesk.policies.selectors import get_policy_for, policies_visible_to
from insuredesk.web.pagination import Paginated
from insuredesk.web.schemas import ErrorOut, InputSchema

router = Router(tags=["policies"])


class PolicyOut(Schema):
    number: str
    product: str
    product_code: str
    product_version: int
    policyholder: str
    policyholder_number: str
    insured_name: str
    sum_insured: Decimal
    currency: str
    premium: Decimal
    premium_frequency: str
    start_date: date
    end_date: date
    status: str
    jurisdiction: str

    @staticmethod
    def resolve_product(obj) -> str:
        return obj.product_version.product.name

    @staticmethod
    def resolve_product_code(obj) -> str:
        return obj.product_version.product.code

    @staticmethod
    def resolve_product_version(obj) -> int:
        return obj.product_version.version

    @staticmethod
    def resolve_policyholder(obj) -> str:
        return obj.policyholder.full_name

    @staticmethod
    def resolve_policyholder_number(obj) -> str:
        return obj.policyholder.number


class BeneficiaryOut(Schema):
    full_name: str
    relation: str
    share_percent: Decimal


class InstalmentOut(Schema):
    due_date: date
    amount: Decimal
    status: str


class CoolingOffOut(Schema):
    """While it is open, the policyholder may cancel for a refund of every premium paid."""

    received_on: date
    ends_on: date
    basis: str
    rule: str | None


class CancellationOut(Schema):
    requested_at: datetime
    reason: str
    period_ends_on: date
    basis: str
    refund: Decimal
    currency: str
    letter: UUID | None

    @staticmethod
    def resolve_letter(obj) -> UUID | None:
        return obj.letter.public_id if obj.letter_id else None


class PolicyDetailOut(PolicyOut):
    risk_details: dict
    beneficiaries: list[BeneficiaryOut]
    instalments: list[InstalmentOut]
    clauses: list[ClauseOut]
    cooling_off: CoolingOffOut | None = Field(
        None, description="The cooling-off period, while the policy may still be cancelled."
    )
    cancellation: CancellationOut | None = None

    @staticmethod
    def resolve_cooling_off(obj) -> services.CoolingOff | None:
        return services.open_cooling_off(obj, now=timezone.now())

    @staticmethod
    def resolve_cancellation(obj):
        return getattr(obj, "cancellation", None)

    @staticmethod
    def resolve_beneficiaries(obj):
        return list(obj.beneficiaries.all())

    @staticmethod
    def resolve_instalments(obj):
        return list(obj.instalments.all())

    @staticmethod
    def resolve_clauses(obj):
        return list(obj.product_version.clauses.all())


@router.get("/policies", response=list[PolicyOut])
@paginate(Paginated)
def list_policies(request: HttpRequest, status: str | None = None):
    """A customer's own policies; staff see all (filter by `status`)."""
    policies = policies_visible_to(request.user).order_by("-start_date", "number")
    return policies.filter(status=status) if status else policies


@router.get("/policies/{number}", response={200: PolicyDetailOut, 404: ErrorOut})
def policy_detail(request: HttpRequest, number: str):
    """One policy with beneficiaries, premiums and its clauses; another customer's is 404."""
    return get_policy_for(request.user, number)


class CancelIn(InputSchema):
    reason: str = Field("", max_length=500, description="Why, if the policyholder says.")


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.post("/policies/{number}/cancel", response={201: CancellationOut, **ERRORS})
def cancel_policy(request: HttpRequest, number: str, payload: CancelIn):
    """Cancel the policy within its cooling-off period (CN-09/CN-10, GB-01): the contract is
    undone and every premium paid is refunded; a confirmation letter is issued. After the period
    the answer is 409 with the day it ended."""
    policy = get_policy_for(request.user, number)
    cancellation = services.cancel_in_cooling_off(
        actor=request.user, policy=policy, now=timezone.now(), reason=payload.reason
    )
    return Status(201, cancellation)
