"""Clause explanation evidence (CN-01…CN-03): recorded once, never changed.

CN-02 (IL Art. 17): an exemption clause not prominently marked and clearly explained has no
effect. CN-03 (JI-II Arts. 10-13): the explanation is plain words on the concept, content and
legal consequence; online sales may explain by web page; the insurer bears the burden of proof.
So each record keeps who explained, when, by which channel, the very words, and the customer's
acknowledgement of each exemption clause.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.db import transaction

from insuredesk.catalog.models import Clause, ProductVersion
from insuredesk.consultation.choices import AcknowledgementMethod, Channel
from insuredesk.consultation.models import ClauseExplanation, ExplainedClause
from insuredesk.customers.models import CustomerProfile
from insuredesk.customers.roles import Role, has_role
from insuredesk.customers.selectors import customer_of
from insuredesk.errors import NotFound, NotPermitted, ValidationFailed

MAX_EVIDENCE_BYTES = 50 * 1024 * 1024
EVIDENCE_TYPES: dict[str, tuple[str, ...]] = {
    AcknowledgementMethod.SIGNED_FORM: (".pdf", ".png", ".jpg", ".jpeg"),
    AcknowledgementMethod.RECORDING: (".mp3", ".m4a", ".wav", ".ogg", ".mp4", ".webm", ".mov"),
}


def clause_words(clause: Clause) -> str:
    """What the guided page shows (and an agent explains): wording, plain words, consequence."""
    parts = [
        f"{clause.number} {clause.title}",
        f"Wording: {clause.text}",
        f"In plain words: {clause.explanation}",
    ]
    if clause.legal_consequence:
        parts.append(f"What this means for you: {clause.legal_consequence}")
    return "\n".join(parts)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _clauses(version: ProductVersion, numbers: list[str] | None) -> list[Clause]:
    clauses = list(version.clauses.order_by("position", "id"))
    if numbers is None:
        return clauses
    by_number = {c.number: c for c in clauses}
    unknown = [n for n in numbers if n not in by_number]
    if unknown:
        raise ValidationFailed(f"Clause {unknown[0]} is not in {version}.", field="clauses")
    if not numbers:
        raise ValidationFailed("Name the clauses explained.", field="clauses")
    return [by_number[n] for n in dict.fromkeys(numbers)]


def _policy(customer: CustomerProfile, version: ProductVersion, number: str | None):
    if not number:
        return None
    from insuredesk.policies.models import Policy

    policy = Policy.objects.filter(number=number, policyholder=customer).first()
    if policy is None:
        raise NotFound("No such policy.", field="policy")
    if policy.product_version_id != version.pk:
        raise ValidationFailed("The policy is written on another product version.", field="policy")
    return policy


def _write(
    *,
    customer,
    version,
    policy,
    channel,
    explained_by,
    method,
    clauses,
    explained_at,
    acknowledged_by,
    recorded_by,
    now,
    evidence_file=None,
    evidence_sha256="",
    notes="",
):
    explanation = ClauseExplanation(
        customer=customer,
        product_version=version,
        policy=policy,
        channel=channel,
        explained_by=explained_by,
        acknowledgement_method=method,
        evidence_sha256=evidence_sha256,
        notes=notes,
        explained_at=explained_at,
        recorded_by=recorded_by,
        recorded_at=now,
    )
    if evidence_file is not None:
        explanation.evidence_file.save(evidence_file.name, evidence_file, save=False)
    explanation.save()
    acknowledged_at = acknowledged_at_for(explained_at, now, method)
    ExplainedClause.objects.bulk_create(
        [
            ExplainedClause(
                explanation=explanation,
                clause=clause,
                clause_number=clause.number,
                clause_title=clause.title,
                is_exemption=clause.is_exemption,
                words=(words := clause_words(clause)),
                words_sha256=_sha256(words),
                acknowledged_at=acknowledged_at if clause.is_exemption else None,
                acknowledged_by=acknowledged_by if clause.is_exemption else None,
            )
            for clause in clauses
        ]
    )
    return explanation


def acknowledged_at_for(explained_at: datetime, now: datetime, method: str) -> datetime:
    # Clicked in the portal: the moment of the click. Signed or recorded: when it was explained.
    return now if method == AcknowledgementMethod.PORTAL else explained_at


def acknowledge_online(
    *,
    actor,  # the signed-in customer
    product_version: ProductVersion,
    acknowledged: list[str],
    now: datetime,
    policy: str | None = None,
) -> ClauseExplanation:
    """The guided explanation page was read and every exemption clause acknowledged (online).

    `acknowledged` lists the clause numbers the customer ticked "I have read and understood";
    every exemption clause of the version must be among them (CN-02), else nothing is written.
    """
    customer = customer_of(actor)
    if customer is None:
        raise NotPermitted("Only the customer can acknowledge the explanation.")
    clauses = _clauses(product_version, None)
    ticked = set(acknowledged or [])
    unknown = ticked - {c.number for c in clauses}
    if unknown:
        raise ValidationFailed(
            f"Clause {sorted(unknown)[0]} is not in {product_version}.", field="acknowledged"
        )
    missing = [c.number for c in clauses if c.is_exemption and c.number not in ticked]
    if missing:
        raise ValidationFailed(
            "Please read and acknowledge every exemption clause: " + ", ".join(missing),
            field="acknowledged",
            missing=missing,
        )
    with transaction.atomic(durable=True):
        return _write(
            customer=customer,
            version=product_version,
            policy=_policy(customer, product_version, policy),
            channel=Channel.ONLINE,
            explained_by=None,
            method=AcknowledgementMethod.PORTAL,
            clauses=clauses,
            explained_at=now,
            acknowledged_by=actor,
            recorded_by=actor,
            now=now,
        )


def record_explanation(
    *,
    actor,  # the agent
    customer: CustomerProfile,
    product_version: ProductVersion,
    channel: str,
    explained_at: datetime,
    acknowledgement_method: str,
    evidence_file,  # the signed form or the recording
    now: datetime,
    clauses: list[str] | None = None,
    policy: str | None = None,
    notes: str = "",
) -> ClauseExplanation:
    """An agent explained clauses in person, by phone or video; the signed acknowledgement or
    the recording is uploaded as the customer's acknowledgement of each exemption clause."""
    if not has_role(actor, Role.AGENT, Role.SUPERVISOR, Role.ADMINISTRATOR):
        raise NotPermitted("Only agents record clause explanations.")
    if channel not in (Channel.IN_PERSON, Channel.PHONE, Channel.VIDEO):
        raise ValidationFailed("The channel must be in person, phone or video.", field="channel")
    if acknowledgement_method not in EVIDENCE_TYPES:
        raise ValidationFailed(
            "Upload a signed form or a recording.", field="acknowledgement_method"
        )
    if explained_at > now:
        raise ValidationFailed("The explanation cannot be in the future.", field="explained_at")
    if evidence_file is None or not getattr(evidence_file, "size", 0):
        raise ValidationFailed("The signed form or recording is required.", field="evidence_file")
    if evidence_file.size > MAX_EVIDENCE_BYTES:
        raise ValidationFailed("The file is larger than 50 MB.", field="evidence_file")
    if not evidence_file.name.lower().endswith(EVIDENCE_TYPES[acknowledgement_method]):
        allowed = ", ".join(EVIDENCE_TYPES[acknowledgement_method])
        raise ValidationFailed(f"The file must be one of {allowed}.", field="evidence_file")
    chosen = _clauses(product_version, clauses)
    digest = hashlib.sha256()
    for chunk in evidence_file.chunks():
        digest.update(chunk)
    evidence_file.seek(0)
    with transaction.atomic(durable=True):
        return _write(
            customer=customer,
            version=product_version,
            policy=_policy(customer, product_version, policy),
            channel=channel,
            explained_by=actor,
            method=acknowledgement_method,
            clauses=chosen,
            explained_at=explained_at,
            acknowledged_by=None,
            recorded_by=actor,
            now=now,
            evidence_file=evidence_file,
            evidence_sha256=digest.hexdigest(),
            notes=notes.strip()[:2000],
        )
