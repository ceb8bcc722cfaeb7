"""The caller's policies: a customer's own, staff all; cancelling one in the cooling-off period,
surrendering one after it (CN-14); paying premiums, and reinstating a policy suspended for
unpaid premium (CN-15, CN-16)."""

from dataclasses import asdict
from datetime import date, datetime
from decimal import Decimal
from typing import Literal
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from insuredesk.catalog.api import ClauseOut
from insuredesk.policies import services
from insuredesk.policies.choices import PaymentMethod
from insuredesk.policies.selectors import (
    arrears_of,
    get_policy_for,
    get_reinstatement_for,
    get_surrender_for,
    instalment_of,
    payments_of,
    policies_visible_to,
    policy_only_for,
)
from insuredesk.rules.registry import get_profile
from insuredesk.web.pagination import Paginated
from insuredesk.web.schemas import ErrorOut, InputSchema, PositiveAmount

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
    paid_at: datetime | None
    reminded_at: datetime | None = Field(
        description="When we reminded the policyholder, before it fell due (SVC-11)."
    )
    demanded_at: datetime | None = Field(
        description="When the premium demand notice was sent, once overdue (CN-15)."
    )
    covered_until: date | None = Field(
        description="As the demand notice states: the last day of cover while it stays unpaid."
    )
    demand_letter: UUID | None

    @staticmethod
    def resolve_covered_until(obj) -> date | None:
        return obj.grace_ends_on

    @staticmethod
    def resolve_demand_letter(obj) -> UUID | None:
        return obj.demand_letter.public_id if obj.demand_letter_id else None


def _letter_id(letter) -> UUID | None:
    return letter.public_id if letter is not None else None


class ReinstatementOut(Schema):
    """An application to reinstate a suspended policy, and the decision on it (IL Art. 37)."""

    id: UUID
    applied_at: datetime
    statement: str
    decision: str = Field(description='"", "agreed" or "declined".')
    reasons: str
    decided_at: datetime | None
    letter: UUID | None = Field(description="The decision letter, once decided.")

    @staticmethod
    def resolve_id(obj) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_letter(obj) -> UUID | None:
        return _letter_id(obj.letter)


class ArrearsOut(Schema):
    """The policy's arrears case: from the demand notice to cleared, reinstated or terminated."""

    reference: str
    status: str
    suspended_at: datetime | None
    reinstate_by: date | None = Field(description="Last day to reinstate (CN-16: 2 years).")
    suspension_letter: UUID | None
    termination_letter: UUID | None
    reinstatements: list[ReinstatementOut]

    @staticmethod
    def resolve_reference(obj) -> str:
        return obj.case.reference

    @staticmethod
    def resolve_suspension_letter(obj) -> UUID | None:
        return _letter_id(obj.suspension_letter)

    @staticmethod
    def resolve_termination_letter(obj) -> UUID | None:
        return _letter_id(obj.termination_letter)

    @staticmethod
    def resolve_reinstatements(obj):
        return list(obj.reinstatements.all())


class PremiumsOut(Schema):
    """Where the policy stands with its premiums today, in its jurisdiction."""

    currency: str
    arrears: Decimal = Field(
        description="Overdue premiums added up: what a claim in the grace period is paid less "
        "of (CN-15)."
    )
    overdue: list[date] = Field(description="Due dates of the premiums unpaid past them.")
    covered_until: date | None = Field(
        description="Last day of cover if the overdue premiums stay unpaid."
    )
    suspends_on: date | None = Field(description="The day cover is suspended if nothing is paid.")
    payable: date | None = Field(description="Due date of the premium that can be paid now.")
    pay_from: date | None = Field(description="When the next premium opens for payment.")
    arrears_case: ArrearsOut | None = None


class PaymentOut(Schema):
    """A premium received, with its receipt."""

    receipt_number: str
    policy: str
    due_date: date
    amount: Decimal
    currency: str
    method: str
    reference: str
    received_at: datetime
    receipt: UUID | None = Field(description="The receipt letter (GET /api/v1/letters/{id}).")

    @staticmethod
    def resolve_receipt_number(obj) -> str:
        return obj.number

    @staticmethod
    def resolve_policy(obj) -> str:
        return obj.policy.number

    @staticmethod
    def resolve_due_date(obj) -> date:
        return obj.instalment.due_date

    @staticmethod
    def resolve_receipt(obj) -> UUID | None:
        return _letter_id(obj.receipt)


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


class ValueLineOut(Schema):
    label: str
    label_zh: str
    amount: Decimal = Field(description="Negative for a deduction.")


class SurrenderOut(Schema):
    """A surrender: the contract ended on `ended_on`; `amount` is paid by `refund_by`."""

    reference: str = Field(description="The surrender case, SUR-….")
    status: Literal["refund_due", "refunded", "nothing_due"]
    requested_at: datetime
    ended_on: date
    reason: str
    refund_account: str
    method: str | None = Field(None, description="cash_value or unearned_premium; None: stated.")
    lines: list[ValueLineOut]
    amount: Decimal | None = Field(None, description="None until staff state it (no terms held).")
    currency: str
    refund_by: date | None
    paid_at: datetime | None
    payment_reference: str
    letter: UUID | None

    @staticmethod
    def resolve_reference(obj) -> str:
        return obj.case.reference

    @staticmethod
    def resolve_status(obj) -> str:
        return obj.case.status

    @staticmethod
    def resolve_method(obj) -> str | None:
        return obj.value.get("method")

    @staticmethod
    def resolve_lines(obj) -> list[dict]:
        return obj.value.get("lines", [])

    @staticmethod
    def resolve_letter(obj) -> UUID | None:
        return obj.letter.public_id if obj.letter_id else None


class SurrenderValueOut(Schema):
    """What surrendering the policy today would pay back, and whether it can be done now."""

    on: date
    can_surrender: bool
    why_not: str | None = Field(None, description="Why it cannot be surrendered now, if so.")
    method: str | None = Field(None, description="None: no surrender terms are held.")
    lines: list[ValueLineOut]
    amount: Decimal | None
    currency: str


class PolicyDetailOut(PolicyOut):
    risk_details: dict
    beneficiaries: list[BeneficiaryOut]
    instalments: list[InstalmentOut]
    clauses: list[ClauseOut]
    cooling_off: CoolingOffOut | None = Field(
        None, description="The cooling-off period, while the policy may still be cancelled."
    )
    cancellation: CancellationOut | None = None
    surrender: SurrenderOut | None = None
    premiums: PremiumsOut

    @staticmethod
    def resolve_cooling_off(obj) -> services.CoolingOff | None:
        return services.open_cooling_off(obj, now=timezone.now())

    @staticmethod
    def resolve_premiums(obj) -> dict:
        arrears = arrears_of(obj)
        position = services.premium_position(obj, now=timezone.now(), arrears=arrears)
        return {
            "currency": position.currency,
            "arrears": position.arrears,
            "overdue": [i.due_date for i in position.overdue],
            "covered_until": position.covered_until,
            "suspends_on": position.suspends_on,
            "payable": position.payable.due_date if position.payable else None,
            "pay_from": position.pay_from,
            "arrears_case": arrears,
        }

    @staticmethod
    def resolve_cancellation(obj):
        return getattr(obj, "cancellation", None)

    @staticmethod
    def resolve_surrender(obj):
        return getattr(obj, "surrender", None)

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


# -- surrender -----------------------------------------------------------------------------------


@router.get("/policies/{number}/surrender-value", response={200: SurrenderValueOut, **ERRORS})
def surrender_value(request: HttpRequest, number: str):
    """What the policy would pay back if surrendered today (the cash value of life and health
    cover, IL Art. 47; the unexpired premium less the contract's charge for property, Art. 54),
    line by line, and whether it can be surrendered now."""
    policy = get_policy_for(request.user, number)
    now = timezone.now()
    today = get_profile(policy.jurisdiction).today(now)
    quote = services.surrender_quote(policy, on=today)
    why_not = services.why_not_surrender(policy, now=now)
    return {
        "on": today,
        "can_surrender": why_not is None,
        "why_not": why_not,
        "method": quote.method if quote else None,
        "lines": [asdict(line) for line in quote.lines] if quote else [],
        "amount": quote.amount if quote else None,
        "currency": policy.currency,
    }


class SurrenderIn(InputSchema):
    refund_account: str = Field(
        max_length=120, description="The bank and account, in the policyholder's name."
    )
    reason: str = Field("", max_length=500, description="Why, if the policyholder says.")


@router.post("/policies/{number}/surrender", response={201: SurrenderOut, **ERRORS})
def surrender_policy(request: HttpRequest, number: str, payload: SurrenderIn):
    """Surrender the policy after its cooling-off period: cover ends today, and the value is
    refunded within 30 days (CN-14; SVC-15 elsewhere). A confirmation letter with the amount and
    how it is worked out is issued. In the cooling-off period, with a claim open or a
    reinstatement application waiting, the answer is 409 saying why."""
    surrender = services.request_surrender(
        actor=request.user,
        policy=get_policy_for(request.user, number),
        now=timezone.now(),
        refund_account=payload.refund_account,
        reason=payload.reason,
    )
    return Status(201, surrender)


class SurrenderRefundIn(InputSchema):
    reference: str = Field(max_length=60, description="The bank transfer's reference.")
    amount: Decimal | None = Field(
        None, description="Required only where no value was worked out; else it must match."
    )


@router.post("/policies/{number}/surrender/refund", response={200: SurrenderOut, **ERRORS})
def record_surrender_refund(request: HttpRequest, number: str, payload: SurrenderRefundIn):
    """Staff who handle money: record the surrender value paid; the policyholder is told the
    amount. A refund already recorded is 409."""
    return services.record_surrender_refund(
        actor=request.user,
        surrender=get_surrender_for(request.user, number),
        now=timezone.now(),
        reference=payload.reference,
        amount=payload.amount,
    )


# -- premiums ------------------------------------------------------------------------------------


class PaymentIn(InputSchema):
    due_date: date = Field(description="Which premium: its due date, as in `instalments`.")
    amount: PositiveAmount = Field(description="Exactly the premium's amount.")
    currency: str = Field(min_length=3, max_length=3, description="The policy's currency.")
    method: Literal["bank_card", "bank_transfer", "direct_debit", "cash"] = Field(
        description="How it was paid; `cash` is taken at a counter by staff only."
    )
    reference: str = Field(
        max_length=services.MAX_REFERENCE,
        description="The card authorisation, bank transfer reference or counter slip number.",
    )


@router.get("/policies/{number}/payments", response=list[PaymentOut])
@paginate(Paginated)
def list_payments(request: HttpRequest, number: str):
    """The premiums received on the policy, newest first, each with its receipt letter."""
    return payments_of(policy_only_for(request.user, number))


@router.post("/policies/{number}/payments", response={201: PaymentOut, **ERRORS})
def pay_premium(request: HttpRequest, number: str, payload: PaymentIn):
    """Pay a premium: the one due on `due_date`, for exactly its amount and currency. Premiums
    are paid in order, from 15 days before they fall due (SVC-11); a suspended policy only once
    its reinstatement is agreed. A receipt letter is issued. Paying a premium already paid is
    409; send an `Idempotency-Key` so that a retried request pays once and gets the same answer.
    There is no payment gateway: this records money the payer has sent, with its reference."""
    policy = get_policy_for(request.user, number)
    payment = services.record_premium_payment(
        actor=request.user,
        instalment=instalment_of(policy, payload.due_date),
        amount=payload.amount,
        currency=payload.currency,
        method=PaymentMethod(payload.method),
        reference=payload.reference,
        now=timezone.now(),
    )
    return Status(201, payment)


class ReinstatementIn(InputSchema):
    statement: str = Field(
        "",
        max_length=2000,
        description="What the policyholder declares, e.g. the insured's health since suspension.",
    )


@router.post("/policies/{number}/reinstatement", response={201: ReinstatementOut, **ERRORS})
def apply_for_reinstatement(request: HttpRequest, number: str, payload: ReinstatementIn):
    """Apply to reinstate a policy whose cover is suspended for unpaid premium, within the
    reinstatement period (CN-16: 2 years). We decide within 5 business days (SVC-14); once we
    agree, paying the arrears restores cover."""
    policy = get_policy_for(request.user, number)
    reinstatement = services.apply_for_reinstatement(
        actor=request.user, policy=policy, now=timezone.now(), statement=payload.statement
    )
    return Status(201, reinstatement)


class ReinstatementDecisionIn(InputSchema):
    decision: Literal["agreed", "declined"]
    reasons: str = Field("", max_length=4000, description="Required to decline.")


@router.post(
    "/policies/{number}/reinstatement/decision", response={200: ReinstatementOut, **ERRORS}
)
def decide_reinstatement(request: HttpRequest, number: str, payload: ReinstatementDecisionIn):
    """Underwriters and supervisors: agree or decline the waiting application; the decision
    letter states the arrears to pay, or the reasons and how to ask us to look again."""
    return services.decide_reinstatement(
        actor=request.user,
        reinstatement=get_reinstatement_for(request.user, number),
        decision=payload.decision,
        reasons=payload.reasons,
        now=timezone.now(),
    )
