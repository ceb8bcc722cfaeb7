"""Refusing a claim: only a person, with reasons and the policy's own clauses, and the written
refusal notice with the routes to contest (CN-22, CN-24, CA-06, CA-07)."""

from datetime import date, datetime
from typing import Any, NotRequired, TypedDict

from django.db import transaction
from django.utils import timezone

from insuredesk.casework import services as casework
from insuredesk.catalog.choices import ClauseKind, Line
from insuredesk.claims.choices import ClaimStatus, OfferStatus, RefusalGround
from insuredesk.claims.models import Claim, Refusal
from insuredesk.claims.services.people import (
    claim_letter,
    lock_claim,
    require_handler,
    tell_customer,
)
from insuredesk.claims.wording import message_zh
from insuredesk.errors import InvalidTransition, NotPermitted, ValidationFailed
from insuredesk.policies.choices import PolicyStatus
from insuredesk.rules.registry import get_rule

REFUSABLE = {
    ClaimStatus.REPORTED,
    ClaimStatus.AWAITING_DOCUMENTS,
    ClaimStatus.INVESTIGATING,
    ClaimStatus.ASSESSED,
    ClaimStatus.OFFERED,
}
LIFE_LINES = {Line.TERM_LIFE}


class CitedClause(TypedDict):
    """A clause a refusal relies on, as kept in `Refusal.clauses`."""

    clause_id: int
    number: str
    title: str
    text: str
    exemption: bool
    how_it_applies: str
    evidence: NotRequired[list[dict[str, Any]]]  # exemption clauses only (CN-02)


def evidence_summary(item) -> dict[str, Any]:
    """One explanation record as the workspace, the refusal and the API show it."""
    explanation = item.explanation
    who = explanation.explained_by
    return {
        "explanation": str(explanation.public_id),
        "channel": explanation.get_channel_display(),
        "channel_code": explanation.channel,
        "explained_at": explanation.explained_at.isoformat(),
        "when": f"{timezone.localtime(explanation.explained_at):%Y-%m-%d %H:%M}",
        "explained_by": (who.get_full_name() or who.username) if who else "guided portal page",
        "acknowledgement": explanation.get_acknowledgement_method_display(),
        "acknowledged_at": item.acknowledged_at.isoformat() if item.acknowledged_at else "",
        "evidence_sha256": explanation.evidence_sha256,
    }


def exemption_evidence(claim: Claim, clauses) -> dict[str, list[dict[str, Any]]]:
    """CN-02 (IL Art. 17): for each exemption clause among `clauses` (of the policy's own
    product version), the records that this very clause version was marked and explained to
    the policyholder, newest first. An empty list: no evidence, so the clause may have no
    effect. One query per exemption clause (a version has a handful)."""
    from insuredesk.consultation.selectors import explanation_evidence

    customer = claim.policy.policyholder
    return {
        clause.number: [evidence_summary(i) for i in explanation_evidence(customer, clause)]
        for clause in clauses
        if clause.kind == ClauseKind.EXEMPTION
    }


def refusal_warnings(*, claim: Claim, clause_numbers: list[str]) -> list[dict[str, str]]:
    """CN-02 (IL Art. 17): an exemption clause with no evidence of marking and explanation may
    have no effect; the handler is warned before relying on it. With evidence, no warning."""
    clauses = claim.policy.product_version.clauses.filter(number__in=clause_numbers)
    evidence = exemption_evidence(claim, clauses)
    return [
        {
            "rule": "CN-02",
            "clause": clause.number,
            "message": f"No record shows exemption clause {clause.number} "
            f"({clause.title}) was marked and explained to the customer; under IL "
            "Art. 17 it may have no effect.",
        }
        for clause in clauses
        if clause.number in evidence and not evidence[clause.number]
    ]


def limitation(claim: Claim) -> dict[str, Any]:
    """CN-24 (IL Art. 26): 2 years for non-life, 5 for life, from knowledge of the event."""
    life = claim.policy.product_version.product.line in LIFE_LINES
    rule = get_rule("CN", "CN-24.life" if life else "CN-24")
    years = rule.period.amount if rule.period else (5 if life else 2)
    try:
        until = claim.event_date.replace(year=claim.event_date.year + years)
    except ValueError:  # 29 February
        until = date(claim.event_date.year + years, 2, 28)
    return {"years": years, "rule": "CN-24", "source": "IL Art. 26", "until": until.isoformat()}


def refuse_claim(
    *,
    claim: Claim,
    ground: str,
    reasons: str,
    clauses: list[dict[str, str]],
    actor,
    now: datetime,
    confirm_warnings: bool = False,
    qualifying_misrepresentation: bool = False,
    breach_connected_to_loss: bool = False,
) -> Refusal:
    """A handler refuses the claim and the refusal notice goes out at once.

    1. Only a person refuses (fast-track never does); reasons and at least one clause of the
       policy's own product version, each with how it applies (CA-06).
    2. Guards: non-disclosure needs the policy rescinded first (CN-06, IL Art. 16 / JI-II
       Art. 8); in GB, misrepresentation must be qualifying and a breach connected with the
       loss (GB-05, ICOBS 8.1.2R), fraud apart.
    3. Warnings (CN-02) must be confirmed by resubmitting with `confirm_warnings`.
    4. Transition to refused (starts the CN-22 3-day clock), issue the refusal notice (reasons,
       clauses quoted, routes to contest, limitation period, the Department of Insurance in
       US-CA), record its sending (stops the clock) and tell the customer.
    """
    if actor is None:
        raise NotPermitted("Only a person may refuse a claim.", code="refusal_needs_a_person")
    require_handler(actor, "refuse a claim")
    if ground not in RefusalGround.values:
        raise ValidationFailed(f"Unknown ground {ground!r}.", field="ground")
    if not reasons.strip():
        raise ValidationFailed("Give the reasons for the refusal.", field="reasons")
    if not clauses:
        raise ValidationFailed("Cite at least one clause of the policy.", field="clauses")
    with transaction.atomic(durable=True):
        claim = lock_claim(claim)
        if claim.case.status not in REFUSABLE:
            raise InvalidTransition(
                f"A claim that is {claim.case.status.replace('_', ' ')} cannot be refused.",
                reference=claim.case.reference,
                from_status=claim.case.status,
            )
        policy = claim.policy
        if (
            ground == RefusalGround.NON_DISCLOSURE
            and claim.case.jurisdiction == "CN"
            and (policy.status != PolicyStatus.RESCINDED)
        ):
            raise ValidationFailed(
                "A claim cannot be refused for non-disclosure unless the policy has first been "
                "rescinded (CN-06, IL Art. 16).",
                field="ground",
                code="rescind_first",
                rule="CN-06",
            )
        if claim.case.jurisdiction == "GB":
            if ground == RefusalGround.NON_DISCLOSURE and not qualifying_misrepresentation:
                raise ValidationFailed(
                    "Rejecting a consumer claim for a non-qualifying misrepresentation is "
                    "unreasonable (GB-05, ICOBS 8.1.2R).",
                    field="qualifying_misrepresentation",
                    code="unreasonable_rejection",
                    rule="GB-05",
                )
            if ground == RefusalGround.BREACH_OF_CONDITION and not breach_connected_to_loss:
                raise ValidationFailed(
                    "Rejecting a claim for a breach unconnected with the loss is unreasonable "
                    "(GB-05, ICOBS 8.1.2R).",
                    field="breach_connected_to_loss",
                    code="unreasonable_rejection",
                    rule="GB-05",
                )
        by_number = {c.number: c for c in policy.product_version.clauses.all()}
        cited: list[CitedClause] = []
        for index, item in enumerate(clauses):
            number = (item.get("number") or "").strip()
            clause = by_number.get(number)
            if clause is None:
                raise ValidationFailed(
                    f"Clause {number!r} is not in this policy's wording "
                    f"({policy.product_version}).",
                    field=f"clauses.{index}.number",
                    code="clause_not_in_policy_version",
                )
            how = (item.get("how_it_applies") or "").strip()
            if not how:
                raise ValidationFailed(
                    "Say how the clause applies to this loss.",
                    field=f"clauses.{index}.how_it_applies",
                )
            cited.append(
                {
                    "clause_id": clause.pk,
                    "number": clause.number,
                    "title": clause.title,
                    "text": clause.text,
                    "exemption": clause.kind == ClauseKind.EXEMPTION,
                    "how_it_applies": how,
                }
            )
        # CN-02: the evidence relied on is kept with the refusal as it stood at decision time.
        evidence = exemption_evidence(
            claim, [by_number[c["number"]] for c in cited if c["exemption"]]
        )
        for c in cited:
            if c["exemption"]:
                c["evidence"] = evidence[c["number"]]
        warnings = refusal_warnings(claim=claim, clause_numbers=[c["number"] for c in cited])
        if warnings and not confirm_warnings:
            raise ValidationFailed(
                warnings[0]["message"] + " Confirm to refuse anyway.",
                field="confirm_warnings",
                code="refusal_warnings",
                warnings=warnings,
            )
        refusal = Refusal.objects.create(
            claim=claim,
            ground=ground,
            reasons=reasons.strip(),
            clauses=cited,
            warnings=warnings,
            decided_by=actor,
            decided_at=now,
        )
        claim.offers.filter(status=OfferStatus.OPEN).update(status=OfferStatus.WITHDRAWN)
        casework.transition(
            claim.case,
            to=ClaimStatus.REFUSED,
            actor=actor,
            now=now,
            reason=reasons.strip(),
            data={
                "ground": ground,
                "clauses": [c["number"] for c in cited],
                "warnings_confirmed": bool(warnings),
            },
        )
        send_refusal_notice(claim, refusal, actor=actor, now=now)
    return refusal


def send_refusal_notice(claim: Claim, refusal: Refusal, *, actor, now: datetime) -> None:
    """The written notice (CN-22; CA-06/07), its sending recorded on the claim."""
    letter = claim_letter(
        claim,
        kind="claim_refusal",
        title="Decision on your claim: refusal",
        context={
            "ground": RefusalGround(refusal.ground).label,
            "reasons": refusal.reasons,
            "clauses": refusal.clauses,
            "limitation": limitation(claim),
            "decided_at": refusal.decided_at.date().isoformat(),
        },
        actor=actor,
        now=now,
    )
    Refusal.objects.filter(pk=refusal.pk).update(letter=letter, notice_sent_at=now)
    refusal.letter, refusal.notice_sent_at = letter, now
    casework.record_event(
        claim.case,
        kind="refusal_notice_sent",
        actor=actor,
        now=now,
        data={"letter": str(letter.public_id), "rule": "CN-22"},
    )
    tell_customer(
        claim,
        subject=f"Claim {claim.case.reference}: our decision",
        body="We are unable to pay your claim. The enclosed notice gives our reasons, the "
        "clauses we rely on and how you can contest the decision.",
        key=f"claim-refusal:{refusal.pk}",
        now=now,
        letter=letter,
        zh=message_zh("refusal", reference=claim.case.reference),
    )
