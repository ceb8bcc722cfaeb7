"""Loss assessment: items mapped to coverages; exclusions, waiting periods, deductibles and
limits applied, each deduction citing its clause; a breakdown the customer can read."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum

from insuredesk.casework import services as casework
from insuredesk.catalog.choices import ClauseKind
from insuredesk.catalog.models import Clause
from insuredesk.claims.choices import ClaimStatus, OfferStatus
from insuredesk.claims.models import Assessment, Claim
from insuredesk.claims.services.people import lock_claim, money, require_handler
from insuredesk.claims.services.reporting import waiting_period_ends
from insuredesk.errors import InvalidTransition, ValidationFailed
from insuredesk.policies.services import PERSONAL_LINES, arrears_on, premium_rules

ASSESSABLE = {ClaimStatus.REPORTED, ClaimStatus.INVESTIGATING}
REASSESSABLE = {ClaimStatus.ASSESSED, ClaimStatus.OFFERED}


def _cite(clause: Clause | None) -> dict[str, str] | None:
    if clause is None:
        return None
    return {"number": clause.number, "title": clause.title}


def _line(
    kind: str, label: str, amount: Decimal, *, coverage: str = "", clause: Clause | None = None
) -> dict:
    return {
        "kind": kind,
        "label": label,
        "amount": str(money(amount)),
        "coverage": coverage,
        "clause": _cite(clause),
    }


def compute_breakdown(claim: Claim, items: list[dict[str, Any]]) -> tuple[list, Decimal, Decimal]:
    """(lines, gross, payable) for loss items on the claim's policy.

    1. Each item names a coverage of the policy's own product version and an amount; an item
       excluded by an exemption clause is deducted citing that clause.
    2. Per coverage: the waiting period (if the event fell in it), the deductible and the limit
       (the lower of the coverage maximum and the policy's sum insured), each citing the
       coverage's own clause.
    3. A premium of personal insurance unpaid when the event happened, in the grace period, is
       deducted (CN-15, IL Art. 36: the claim is paid less the arrears).
    4. Survey costs are listed as the insurer's (CN-26) and never deducted.
    """
    if not items:
        raise ValidationFailed("List at least one loss item.", field="items")
    version = claim.policy.product_version
    coverages = {c.code: c for c in version.coverages.all()}
    clauses = {c.number: c for c in version.clauses.all()}
    coverage_clause: dict[int, Clause] = {}
    for c in clauses.values():
        if c.coverage_id and c.kind == ClauseKind.COVERAGE:
            coverage_clause.setdefault(c.coverage_id, c)

    lines: list[dict] = []
    gross = Decimal("0")
    per_coverage: dict[str, Decimal] = {}
    for index, item in enumerate(items):
        code = item.get("coverage") or claim.coverage.code
        coverage = coverages.get(code)
        if coverage is None:
            raise ValidationFailed(
                f"Coverage {code!r} is not part of this policy's product version.",
                field=f"items.{index}.coverage",
            )
        try:
            amount = money(item.get("amount"))
        except Exception:
            raise ValidationFailed("Not an amount.", field=f"items.{index}.amount") from None
        if amount <= 0:
            raise ValidationFailed("Amounts must be more than zero.", field=f"items.{index}.amount")
        label = (item.get("description") or "").strip()[:200]
        if not label:
            raise ValidationFailed("Describe the item.", field=f"items.{index}.description")
        gross += amount
        lines.append(_line("item", label, amount, coverage=coverage.name))
        excluded_by = (item.get("excluded_by") or "").strip()
        if excluded_by:
            exemption = clauses.get(excluded_by)
            if exemption is None or exemption.kind != ClauseKind.EXEMPTION:
                raise ValidationFailed(
                    f"Clause {excluded_by} is not an exemption clause of this policy.",
                    field=f"items.{index}.excluded_by",
                )
            why = (item.get("reason") or exemption.explanation).strip()
            lines.append(
                _line(
                    "exclusion",
                    f"Excluded: {label} — {why}",
                    -amount,
                    coverage=coverage.name,
                    clause=exemption,
                )
            )
            continue
        per_coverage[code] = per_coverage.get(code, Decimal("0")) + amount

    payable = Decimal("0")
    for code, subtotal in per_coverage.items():
        coverage = coverages[code]
        clause = coverage_clause.get(coverage.pk)
        first_day = waiting_period_ends(claim.policy, coverage)
        if claim.event_date < first_day:
            lines.append(
                _line(
                    "waiting_period",
                    f"Waiting period of {coverage.waiting_period_days} days until "
                    f"{first_day:%Y-%m-%d}",
                    -subtotal,
                    coverage=coverage.name,
                    clause=clause,
                )
            )
            continue
        after = subtotal
        if coverage.deductible > 0:
            taken = min(coverage.deductible, after)
            lines.append(
                _line(
                    "deductible",
                    f"Deductible of {coverage.name}",
                    -taken,
                    coverage=coverage.name,
                    clause=clause,
                )
            )
            after -= taken
        limit = min(coverage.sum_insured_max, claim.policy.sum_insured)
        if after > limit:
            lines.append(
                _line(
                    "limit",
                    f"Limit of {coverage.name}: {limit}",
                    limit - after,
                    coverage=coverage.name,
                    clause=clause,
                )
            )
            after = limit
        payable += after
    payable = _less_arrears(claim, lines, payable)
    survey_cost = claim.surveys.aggregate(total=Sum("cost"))["total"] or Decimal("0")
    if survey_cost:
        lines.append(
            _line("info", "Survey costs, borne by us and not deducted (IL Art. 64)", Decimal("0"))
        )
    lines.append(_line("total", "Payable", payable))
    return lines, money(gross), money(payable)


def _less_arrears(claim: Claim, lines: list[dict], payable: Decimal) -> Decimal:
    """Step 3 of `compute_breakdown`: the unpaid premiums due by the event date come off."""
    policy = claim.policy
    rules = premium_rules(policy.jurisdiction)
    if rules.grace_after_due is None or policy.product_version.product.line not in PERSONAL_LINES:
        return payable
    unpaid = arrears_on(policy, claim.event_date)
    taken = min(unpaid, payable)
    if taken <= 0:
        return payable
    basis = "IL Art. 36" if rules.grace_after_demand else rules.grace_after_due
    lines.append(
        _line(
            "arrears",
            f"Premium unpaid on {claim.event_date:%Y-%m-%d}, in the grace period ({basis})",
            -taken,
        )
    )
    return payable - taken


def assess_loss(
    *,
    claim: Claim,
    items: list[dict[str, Any]],
    actor,
    now: datetime,
    note: str = "",
) -> Assessment:
    """Record the loss assessment (the decision that the claim is covered, CN-19 / CA-05).

    A reassessment of an assessed or offered claim is a new numbered assessment; an open offer
    based on the old one is superseded.
    """
    with transaction.atomic(durable=True):
        claim = lock_claim(claim)
        if actor is not None:
            require_handler(actor, "assess a loss")
        status = claim.case.status
        if status not in ASSESSABLE | REASSESSABLE:
            raise InvalidTransition(
                f"A claim that is {status.replace('_', ' ')} cannot be assessed.",
                reference=claim.case.reference,
                from_status=status,
            )
        lines, gross, payable = compute_breakdown(claim, items)
        number = (claim.assessments.count() or 0) + 1
        assessment = Assessment.objects.create(
            claim=claim,
            number=number,
            items=items,
            lines=lines,
            gross=gross,
            payable=payable,
            currency=claim.currency,
            note=note,
            assessed_by=actor,
            assessed_at=now,
        )
        data = {"assessment": number, "gross": str(gross), "payable": str(payable)}
        if status in ASSESSABLE:
            casework.transition(
                claim.case, to=ClaimStatus.ASSESSED, actor=actor, now=now, data=data, reason=note
            )
        elif status == ClaimStatus.OFFERED:
            claim.offers.filter(status=OfferStatus.OPEN).update(status=OfferStatus.SUPERSEDED)
            casework.transition(
                claim.case,
                to=ClaimStatus.ASSESSED,
                actor=actor,
                now=now,
                data=data,
                reason=note,
                event="reassessed",
            )
        else:
            casework.record_event(
                claim.case, kind="reassessed", actor=actor, now=now, data=data, reason=note
            )
    return assessment
