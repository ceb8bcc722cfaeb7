"""The caller's policies: a customer's own, staff all."""

from datetime import date
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from insuredesk.catalog.api import ClauseOut
from insuredesk.policies.selectors import get_policy_for, policies_visible_to
from insuredesk.web.pagination import Paginated
from insuredesk.web.schemas import ErrorOut

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


class PolicyDetailOut(PolicyOut):
    risk_details: dict
    beneficiaries: list[BeneficiaryOut]
    instalments: list[InstalmentOut]
    clauses: list[ClauseOut]

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
