"""Payment orders and their one-time execution; advance payments (CN-23); payment advice."""

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from insuredesk.casework import services as casework
from insuredesk.casework.models import Clock
from insuredesk.claims.choices import ClaimStatus, PaymentKind, PaymentStatus
from insuredesk.claims.models import Claim, Payment, PaymentOrder
from insuredesk.claims.services.people import (
    claim_letter,
    handler_authority,
    is_supervisor,
    lock_claim,
    money,
    require_handler,
    setting,
    tell_customer,
    tell_staff,
)
from insuredesk.claims.wording import SO_FAR_ZH, message_zh
from insuredesk.errors import Conflict, InvalidTransition, NotPermitted, ValidationFailed

ADVANCE_STATUSES = {
    ClaimStatus.INVESTIGATING,
    ClaimStatus.ASSESSED,
    ClaimStatus.OFFERED,
    ClaimStatus.AWAITING_DOCUMENTS,
    ClaimStatus.REPORTED,
}


def _committed(claim: Claim, **filters) -> Decimal:
    """Ordered and not cancelled: pending plus paid."""
    return claim.payment_orders.exclude(status=PaymentStatus.CANCELLED).filter(**filters).aggregate(
        total=Sum("amount")
    )["total"] or Decimal("0")


def _paid(claim: Claim) -> Decimal:
    return claim.payment_orders.filter(status=PaymentStatus.PAID).aggregate(total=Sum("amount"))[
        "total"
    ] or Decimal("0")


def determinable_amount(claim: Claim) -> Decimal | None:
    """What can already be fixed (CN-23): the latest assessment, else the survey estimate."""
    assessment = claim.assessments.order_by("-number").first()
    if assessment is not None:
        return assessment.payable
    survey = claim.surveys.filter(estimated_loss__isnull=False).order_by("-reported_at").first()
    if survey is not None:
        assert survey.estimated_loss is not None  # filtered on estimated_loss__isnull=False
        return money(max(survey.estimated_loss - claim.coverage.deductible, Decimal("0")))
    return None


def order_payment(
    *,
    claim: Claim,
    amount: Decimal,
    actor,
    now: datetime,
    kind: str = PaymentKind.SETTLEMENT,
) -> PaymentOrder:
    """Order a payment. Never above what was agreed (less what is already ordered, advances
    included), or for an advance never above the determinable part; above the handler's
    authority it waits for a supervisor's approval."""
    with transaction.atomic(durable=True):
        claim = lock_claim(claim)  # serialises orders on one claim: no two overshoot together
        if actor is not None:
            require_handler(actor, "order a payment")
        return _order(claim, amount=amount, actor=actor, now=now, kind=kind)


def _order(claim: Claim, *, amount, actor, now: datetime, kind: str) -> PaymentOrder:
    if amount is None or amount <= 0:
        raise ValidationFailed("A payment must be more than zero.", field="amount")
    amount = money(amount)
    agreement = None
    if kind == PaymentKind.SETTLEMENT:
        if claim.case.status != ClaimStatus.AGREED:
            raise InvalidTransition(
                "Pay the settlement once the amount is agreed.",
                reference=claim.case.reference,
                from_status=claim.case.status,
            )
        agreement = claim.agreements.order_by("-accepted_at").first()
        assert agreement is not None  # accept_offer records the agreement as the claim is agreed
        remaining = agreement.amount - _committed(claim)
        if amount > remaining:
            raise ValidationFailed(
                f"{amount} is more than the {max(remaining, Decimal('0'))} still due under the "
                f"agreement of {agreement.amount}.",
                field="amount",
                code="above_agreed_amount",
                remaining=str(max(remaining, Decimal("0"))),
            )
    elif kind == PaymentKind.ADVANCE:
        if claim.advance_payment_flagged_at is None:
            raise InvalidTransition(
                "An advance payment is due only once the amount is still open 60 days after the "
                "claim and documents arrived (CN-23).",
                reference=claim.case.reference,
            )
        if claim.case.status not in ADVANCE_STATUSES:
            raise InvalidTransition(
                "The claim is past the advance-payment stage.", reference=claim.case.reference
            )
        determinable = determinable_amount(claim)
        if determinable is None:
            raise ValidationFailed(
                "Assess the determinable part of the loss first.",
                field="amount",
                code="nothing_determinable",
            )
        remaining = determinable - _committed(claim, kind=PaymentKind.ADVANCE)
        if amount > remaining:
            raise ValidationFailed(
                f"{amount} is more than the determinable part still unpaid ({remaining}).",
                field="amount",
                code="above_determinable_amount",
            )
    else:
        raise ValidationFailed(f"Unknown payment kind {kind!r}.", field="kind")
    order = PaymentOrder.objects.create(
        claim=claim,
        agreement=agreement,
        kind=kind,
        amount=amount,
        currency=claim.currency,
        needs_supervisor=amount > handler_authority(),
        payee_name=claim.customer.full_name,
        created_by=actor,
        created_at=now,
    )
    casework.record_event(
        claim.case,
        kind="payment_ordered",
        actor=actor,
        now=now,
        visible_to_customer=False,
        data={
            "order": str(order.public_id),
            "amount": str(amount),
            "kind": kind,
            "needs_supervisor": order.needs_supervisor,
        },
    )
    return order


def approve_payment(*, order: PaymentOrder, actor, now: datetime, system: bool = False) -> Payment:
    """Approve and execute a payment order exactly once.

    The order moves pending → paid with one compare-and-set UPDATE; of two approvals racing,
    one matches and pays, the other gets Conflict (409). The Payment row is one-to-one with the
    order, so the database refuses a second payment whatever happens above it.
    `system=True` is fast-track's own approval, which never exceeds the fast-track limit.
    """
    with transaction.atomic(durable=True):
        return _approve(order, actor=actor, now=now, system=system)


def _approve(order: PaymentOrder, *, actor, now: datetime, system: bool) -> Payment:
    if not system:
        require_handler(actor, "approve a payment")
        if order.needs_supervisor and not is_supervisor(actor):
            raise NotPermitted(
                f"{order.amount} is above a handler's authority of {handler_authority()}; a "
                "supervisor must approve it.",
                code="supervisor_approval_required",
            )
    moved = PaymentOrder.objects.filter(pk=order.pk, status=PaymentStatus.PENDING).update(
        status=PaymentStatus.PAID, approved_by=actor, approved_at=now
    )
    if not moved:
        raise Conflict(
            "This payment order was already approved or cancelled.",
            code="already_paid",
            order=str(order.public_id),
        )
    claim = lock_claim(order.claim)
    payment = Payment.objects.create(
        order=order,
        reference=f"PAY-{claim.case.reference}-{order.pk}",
        amount=order.amount,
        executed_at=now,
    )
    order.status = PaymentStatus.PAID
    if order.kind == PaymentKind.ADVANCE:
        casework.record_event(
            claim.case,
            kind="advance_paid",
            actor=actor,
            now=now,
            data={"amount": str(order.amount), "payment": payment.reference, "rule": "CN-23"},
        )
    else:
        agreement = order.agreement
        assert agreement is not None  # constraint settlement_order_has_agreement
        data = {"amount": str(order.amount), "payment": payment.reference}
        if _paid(claim) >= agreement.amount:
            casework.transition(claim.case, to=ClaimStatus.PAID, actor=actor, now=now, data=data)
        else:
            casework.record_event(claim.case, kind="part_paid", actor=actor, now=now, data=data)
    summary = f"Payment {payment.reference} of {claim.currency} {order.amount} is on its way."
    if order.agreement is not None:
        summary += f" Agreed: {claim.currency} {order.agreement.amount}; paid so far: " + str(
            _paid(claim)
        )
    tell_customer(
        claim,
        subject=f"Claim {claim.case.reference}: we paid {claim.currency} {order.amount}",
        body=summary + " The payment advice with the breakdown follows in your portal.",
        key=f"claim-paid:{payment.reference}",
        now=now,
        zh=message_zh(
            "paid",
            reference=claim.case.reference,
            payment=payment.reference,
            currency=claim.currency,
            amount=order.amount,
            so_far=SO_FAR_ZH.format(
                currency=claim.currency, agreed=order.agreement.amount, paid=_paid(claim)
            )
            if order.agreement is not None
            else "",
        ),
    )
    payment_id = payment.pk

    def enqueue() -> None:
        from insuredesk.claims.tasks import payment_advice

        task = payment_advice
        alias = setting("CLAIMS_LETTER_TASK_BACKEND", None)
        if alias:
            task = task.using(backend=alias)
        task.enqueue(payment_id)

    # The money has gone: the PDF advice is rendered just after the commit, in its own
    # transaction, so a letter template fault can never undo an executed payment.
    transaction.on_commit(enqueue)
    return payment


def issue_payment_advice(*, payment: Payment, now: datetime) -> Payment:
    """The payment advice letter (amount and breakdown) for an executed payment; idempotent."""
    with transaction.atomic(durable=True):
        payment = (
            Payment.objects.select_for_update(of=("self",))
            .select_related("order__agreement")
            .get(pk=payment.pk)
        )
        if payment.letter_id is not None:
            return payment
        order = payment.order
        claim = lock_claim(order.claim)
        payment.letter = claim_letter(
            claim,
            kind="claim_payment_advice",
            title="Payment advice"
            if order.kind == PaymentKind.SETTLEMENT
            else "Advance payment notice",
            context={
                "amount": str(order.amount),
                "kind": order.kind,
                "payment_reference": payment.reference,
                "paid_at": payment.executed_at.date().isoformat(),
                "lines": order.agreement.lines if order.agreement else [],
                "agreed": str(order.agreement.amount) if order.agreement else "",
                "paid_total": str(_paid(claim)),
                "payee": order.payee_name,
            },
            actor=None,
            now=now,
        )
        payment.save(update_fields=["letter"])
        casework.record_event(
            claim.case,
            kind="payment_advice_sent",
            actor=None,
            now=now,
            data={"letter": str(payment.letter.public_id), "payment": payment.reference},
        )
        tell_customer(
            claim,
            subject=f"Claim {claim.case.reference}: payment advice {payment.reference}",
            body="Your payment advice, with how the amount was worked out, is attached.",
            key=f"claim-advice:{payment.reference}",
            now=now,
            letter=payment.letter,
            zh=message_zh(
                "payment_advice", reference=claim.case.reference, payment=payment.reference
            ),
        )
    return payment


def flag_advance_payments(*, now: datetime) -> int:
    """CN-23 (IL Art. 25): flag claims whose amount is still open 60 days after the claim and
    documents arrived, so the handler pays the determinable part in advance."""
    due = Clock.objects.filter(
        name="advance_payment", stopped_at__isnull=True, deadline__lte=now, case__kind="claim"
    ).values_list("case__claim", flat=True)
    flagged = 0
    for claim_id in list(due):
        with transaction.atomic(durable=True):
            claim = lock_claim(Claim(pk=claim_id))
            if claim.advance_payment_flagged_at is not None:
                continue
            Claim.objects.filter(pk=claim.pk).update(advance_payment_flagged_at=now)
            casework.record_event(
                claim.case,
                kind="advance_payment_due",
                actor=None,
                now=now,
                data={"rule": "CN-23", "determinable": str(determinable_amount(claim) or "")},
            )
            tell_staff(
                claim.case.assignee,
                claim,
                subject=f"{claim.case.reference}: advance payment due (CN-23)",
                body="The amount is still open 60 days after the claim and documents arrived; "
                "pay the determinable part in advance.",
                key=f"claim-advance:{claim.case.reference}",
                now=now,
            )
            flagged += 1
    return flagged
