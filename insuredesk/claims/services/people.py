"""Who may do what on a claim, and how the customer is told (letters and messages)."""

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings

from insuredesk.claims.models import Claim
from insuredesk.customers.roles import Role, has_role
from insuredesk.errors import NotPermitted

HANDLERS = (Role.CLAIMS_HANDLER, Role.SUPERVISOR, Role.ADMINISTRATOR)
CENT = Decimal("0.01")


def setting(name: str, default: Any) -> Any:
    return settings.INSUREDESK.get(name, default)


def money(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def fast_track_limit() -> Decimal:
    """Claims up to this may be paid without a handler (setting CLAIMS_FAST_TRACK_LIMIT)."""
    return money(setting("CLAIMS_FAST_TRACK_LIMIT", "5000"))


def handler_authority() -> Decimal:
    """A handler approves payments up to this, a supervisor above (CLAIMS_HANDLER_AUTHORITY)."""
    return money(setting("CLAIMS_HANDLER_AUTHORITY", "50000"))


def require_handler(actor, what: str) -> None:
    if actor is None or not has_role(actor, *HANDLERS):
        raise NotPermitted(f"Only a claims handler or supervisor may {what}.")


def is_supervisor(actor) -> bool:
    return actor is not None and has_role(actor, Role.SUPERVISOR, Role.ADMINISTRATOR)


def is_claimant(actor, claim: Claim) -> bool:
    customer = claim.case.customer
    return actor is not None and customer is not None and customer.user_id == actor.pk


def require_claimant_or_handler(actor, claim: Claim, what: str) -> None:
    if is_claimant(actor, claim):
        return
    require_handler(actor, what)


def tell_customer(
    claim: Claim,
    *,
    subject: str,
    body: str,
    key: str,
    now: datetime,
    letter=None,
    zh: tuple[str, str] | None = None,
) -> None:
    """An e-mail (when we have an address) and a portal message, written to the outbox.

    `zh` is the (subject, body) in Chinese, sent instead to a customer who reads Chinese on a
    CN policy (the same customers whose letters are Chinese)."""
    from insuredesk.claims.wording import uses_chinese
    from insuredesk.notifications.services import notify

    if zh is not None and uses_chinese(claim):
        subject, body = zh
    customer = claim.customer
    channels = ["portal", "email"] if customer.email else ["portal"]
    for channel in channels:
        notify(
            recipient=customer,
            channel=channel,
            subject=subject[:200],
            body=body,
            dedupe_key=f"{key}:{channel}"[:200],
            case=claim.case,
            letter=letter,
            now=now,
        )


def tell_staff(user, claim: Claim, *, subject: str, body: str, key: str, now: datetime) -> None:
    if user is None:
        return
    from insuredesk.notifications.services import notify

    notify(
        recipient=user,
        channel="portal",
        subject=subject[:200],
        body=body,
        dedupe_key=key[:200],
        case=claim.case,
        now=now,
    )


def claim_letter(
    claim: Claim,
    *,
    kind: str,
    title: str,
    context: dict[str, Any],
    actor,
    now: datetime,
):
    """Render and store a letter for the claim (templates/letters/<kind>/…)."""
    from insuredesk.claims.wording import TITLES_ZH, uses_chinese, zh_context
    from insuredesk.documents.services import issue_letter

    context = {"claim": claim_facts(claim), **context}
    language = "en"
    if uses_chinese(claim) and kind in TITLES_ZH:
        # letters/<kind>/cn.zh.html: the customer reads Chinese and the policy is Chinese.
        language, title = "zh", TITLES_ZH[kind]
        context.update(zh_context(context))
    return issue_letter(
        kind=kind,
        case=claim.case,
        customer=claim.case.customer,
        context=context,
        actor=actor,
        now=now,
        title=title,
        language=language,
    )


def claim_facts(claim: Claim) -> dict[str, Any]:
    """What every claim letter prints about the claim."""
    return {
        "reference": claim.case.reference,
        "policy_number": claim.policy.number,
        "product": claim.policy.product_version.product.name,
        "coverage": claim.coverage.name,
        "loss_type": claim.loss_type.replace("_", " "),
        "event_date": claim.event_date.isoformat(),
        "event_place": claim.event_place,
        "currency": claim.currency,
        "amount_claimed": str(claim.amount_claimed) if claim.amount_claimed else "",
    }


def lock_claim(claim: Claim) -> Claim:
    """Re-read the claim and its case under a row lock: operations on one claim queue up."""
    fresh = (
        Claim.objects.select_for_update(of=("self",))
        .select_related("case", "case__customer", "policy__product_version__product", "coverage")
        .get(pk=claim.pk)
    )
    return fresh
