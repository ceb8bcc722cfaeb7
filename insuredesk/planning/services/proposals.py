"""Written insurance proposals: request, draft, return, approve and issue, and the customer's
answer (accept an option, or decline); withdrawal before issue; expiry after SVC-22.valid.

A proposal is a case ("proposal", PRP-…): its status moves by `casework.transition`
(compare-and-set), every step writes an event, and the delivery clock (SVC-22) runs from the
request until the letter is issued.
"""

# ruff: noqa: RUF001 - the Chinese wording uses full-width punctuation, as Chinese does.

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from insuredesk.casework import services as casework
from insuredesk.casework.models import Case
from insuredesk.catalog.models import Product
from insuredesk.catalog.rating import decimal_input, quote_for
from insuredesk.customers.roles import Role, has_role
from insuredesk.customers.selectors import customer_of
from insuredesk.errors import (
    Conflict,
    InvalidTransition,
    NotFound,
    NotPermitted,
    ValidationFailed,
    clean_text,
)
from insuredesk.planning import charts, plan
from insuredesk.planning.choices import VALIDITY_RULE, ProposalStatus
from insuredesk.planning.models import Proposal, ProposalOption, RiskAssessment
from insuredesk.planning.questions import MAX_MONEY
from insuredesk.planning.risks import level_words
from insuredesk.planning.services.assessments import typed_answers
from insuredesk.policies.services import ISSUING_ROLES
from insuredesk.rules.deadlines import compute_deadline
from insuredesk.rules.registry import get_profile

KIND = "proposal"
TREATMENT_ZH = {"avoid": "规避", "reduce": "预防和减损", "retain": "自留", "transfer": "投保转移"}
DRAFTING_ROLES = ISSUING_ROLES
APPROVING_ROLES = (Role.SUPERVISOR, Role.ADMINISTRATOR)
MAX_TEXT = 6000
MAX_NOTE = 1000
MAX_OPTIONS = 5


def _is_customer(proposal_or_assessment, actor) -> bool:
    own = customer_of(actor)
    return own is not None and own.pk == proposal_or_assessment.customer_id


def _customer_or_seller(subject, actor, what: str) -> None:
    """The customer themselves, or staff who sell acting at their request; others get 404."""
    if _is_customer(subject, actor):
        return
    if customer_of(actor) is not None:
        raise NotFound(f"No such {what}.")
    if not has_role(actor, *DRAFTING_ROLES):
        raise NotPermitted("Only the customer and staff who sell do this.")


def _today(proposal: Proposal, now: dt.datetime) -> dt.date:
    return get_profile(proposal.case.jurisdiction).today(now)


def _tell(proposal: Proposal, *, subject: str, body: str, key: str, now, letter=None) -> None:
    from insuredesk.notifications.services import notify_customer

    notify_customer(
        proposal.customer,
        subject=subject,
        body=body,
        dedupe_key=f"proposal:{proposal.reference}:{key}:{now.isoformat()}",
        case=proposal.case,
        letter=letter,
        now=now,
    )


def _chinese(proposal_or_assessment) -> bool:
    return proposal_or_assessment.language == "zh"


# -- request ------------------------------------------------------------------------------------


def request_proposal(
    *, actor, assessment: RiskAssessment, now: dt.datetime, note: str = ""
) -> Proposal:
    """Ask for a written insurance proposal on a risk check.

    1. The customer may ask when SVC-21 requires one (a large sum or a special risk); staff who
       sell may open one for any risk check, saying why when SVC-21 does not require it.
    2. One proposal per risk check (a second request is 409, naming the first).
    3. The case opens as `requested`; its delivery clock starts (SVC-22: 10 business days) and
       the customer is told by when to expect it. An agent who asks takes the case.
    """
    _customer_or_seller(assessment, actor, "risk check")
    note = clean_text(note, field="note", max_length=MAX_NOTE, required=False)
    staff = not _is_customer(assessment, actor)
    if not assessment.proposal_required:
        if not staff:
            raise ValidationFailed(
                "Your plan does not call for a written proposal (SVC-21): your risks are "
                "within our usual limits. An agent can still prepare one with you.",
                field="assessment",
                rule="SVC-21",
            )
        if not note:
            raise ValidationFailed(
                "SVC-21 does not require a proposal here: say why the customer needs one.",
                field="note",
                rule="SVC-21",
            )
    existing = Proposal.objects.filter(assessment=assessment).select_related("case").first()
    if existing is not None:
        raise Conflict(
            f"A proposal was already requested on this risk check: {existing.reference}.",
            reference=existing.reference,
        )
    reasons = list(assessment.proposal_reasons) or [
        {"code": "agent", "text": note, "risk": "", "rule": ""}
    ]
    # Named after the risk SVC-21 pointed at (the villa, not the customer's largest illness gap).
    about = {reason.get("risk") for reason in reasons if reason.get("risk")}
    risk = assessment.risks.filter(code__in=about).order_by("position").first()
    title = f"Proposal: {assessment.customer.full_name}" + (f" — {risk.title}" if risk else "")
    try:
        with transaction.atomic(durable=True):
            case = casework.open_case(
                kind=KIND,
                title=title,
                actor=actor,
                now=now,
                customer=assessment.customer,
                jurisdiction=assessment.jurisdiction,
                reason=note,
                data={"assessment": str(assessment.public_id)},
                event="requested",
            )
            proposal = Proposal.objects.create(
                case=case,
                customer=assessment.customer,
                assessment=assessment,
                requested_by=actor,
                requested_at=now,
                request_note=note,
                required_because=reasons,
            )
            if staff and has_role(actor, Role.AGENT):
                casework.assign(case, assignee=actor, actor=actor, now=now)
            clock = casework.open_clock(case, "deliver")
            due = f"{clock.due_date:%d %B %Y}" if clock else ""
            _tell(
                proposal,
                subject=(
                    f"{case.reference}: 书面保险建议书申请已受理"
                    if _chinese(assessment)
                    else f"{case.reference}: your written proposal is on its way"
                ),
                body=(
                    f"我们已收到您的书面保险建议书申请，将于{clock.due_date:%Y年%m月%d日}前送达。"
                    if _chinese(assessment) and clock
                    else "We have your request for a written insurance proposal"
                    + (f" and will send it by {due}." if due else ".")
                ),
                key="requested",
                now=now,
            )
    except IntegrityError:
        # Two requests at once: the one-proposal-per-check constraint let exactly one through.
        raise Conflict("A proposal was already requested on this risk check.") from None
    return proposal


# -- drafting -----------------------------------------------------------------------------------


def _option(
    index: int, given: Mapping[str, Any], *, assessment: RiskAssessment, answers, today
) -> ProposalOption:
    """One option as the agent wrote it, priced by `catalog.rating` (never a typed premium)."""
    where = f"options[{index}]"
    label = clean_text(given.get("label"), field=f"{where}.label", max_length=120)
    notes = clean_text(
        given.get("notes"), field=f"{where}.notes", max_length=MAX_NOTE, required=False
    )
    code = str(given.get("product") or "")
    product = Product.objects.filter(code=code, is_published=True).first()
    versions = (
        []
        if product is None
        else [
            v
            for v in product.versions.filter(currency=assessment.currency).prefetch_related(
                "coverages"
            )
            if v.is_effective_on(today)
        ]
    )
    if not versions:
        raise ValidationFailed(
            f"No product {code!r} is on sale in {assessment.currency}.", field=f"{where}.product"
        )
    version = max(versions, key=lambda v: v.version)
    amount = decimal_input(given.get("sum_insured"), f"{where}.sum_insured")
    if not 0 < amount <= MAX_MONEY or amount != amount.quantize(Decimal("0.01")):
        raise ValidationFailed(
            "A sum insured is more than zero with at most two decimals.",
            field=f"{where}.sum_insured",
        )
    term = given.get("term_years")
    if (
        not isinstance(term, int)
        or isinstance(term, bool)
        or term not in (version.term_years_options or [term])
    ):
        offered = ", ".join(map(str, version.term_years_options))
        raise ValidationFailed(f"Terms offered: {offered} years.", field=f"{where}.term_years")
    value = plan.insurable_value(version.product.line, answers)
    if value is not None and amount > value:
        raise ValidationFailed(
            f"The sum insured may not exceed the value at risk, {assessment.currency} "
            f"{value:,.2f} in the risk check (IL Art. 55).",
            field=f"{where}.sum_insured",
        )
    inputs = plan.rating_inputs_for(version, answers, amount)
    try:
        quote = quote_for(version, sum_insured=amount, term_years=term, inputs=inputs)
    except ValidationFailed as exc:
        # The rating speaks of the term, or of the amount against the answers (the age band,
        # the building's value): the agent changes the term or the sum insured.
        about = "term_years" if exc.details.get("field") == "term_years" else "sum_insured"
        raise ValidationFailed(exc.message, field=f"{where}.{about}") from None
    return ProposalOption(
        position=index,
        label=label,
        product_version=version,
        sum_insured=amount,
        term_years=term,
        rating_inputs=inputs,
        annual_premium=quote.annual_premium,
        currency=assessment.currency,
        within_budget=quote.annual_premium <= assessment.annual_budget,
        notes=notes,
    )


def draft_proposal(
    *,
    actor,
    proposal: Proposal,
    findings: str,
    prevention_scheme: str,
    resolution_scheme: str,
    market_factors: str,
    options: Sequence[Mapping[str, Any]],
    now: dt.datetime,
) -> Proposal:
    """Write (or rewrite) the proposal: the findings of the risk assessment, the prevention and
    resolution scheme, the market factors, and one to five priced options.

    Each option is a product on sale in the assessment's currency with a sum insured and term;
    its premium comes from `catalog.rating` with the risk check's answers, and whether it is
    within the customer's budget is shown beside it. A requested proposal becomes `drafted`
    (waiting for a supervisor); a drafted one may be rewritten until it is approved.
    """
    if not has_role(actor, *DRAFTING_ROLES):
        raise NotPermitted("Only agents, underwriters and supervisors draft proposals.")
    texts = {
        name: clean_text(value, field=name, max_length=MAX_TEXT)
        for name, value in (
            ("findings", findings),
            ("prevention_scheme", prevention_scheme),
            ("resolution_scheme", resolution_scheme),
            ("market_factors", market_factors),
        )
    }
    if not options:
        raise ValidationFailed("Give at least one option, priced.", field="options")
    if len(options) > MAX_OPTIONS:
        raise ValidationFailed(f"Give at most {MAX_OPTIONS} options.", field="options")
    if proposal.status not in (ProposalStatus.REQUESTED, ProposalStatus.DRAFTED):
        raise InvalidTransition(
            "Only a requested or drafted proposal can be written.", status=proposal.status
        )
    assessment = proposal.assessment
    answers = typed_answers(assessment)
    today = _today(proposal, now)
    rows = [
        _option(index, given, assessment=assessment, answers=answers, today=today)
        for index, given in enumerate(options)
    ]
    with transaction.atomic(durable=True):
        # Locked, so that a supervisor's approval waits for the rewrite rather than approving
        # half of it; the status read under the lock is the one that counts.
        case = Case.objects.select_for_update().get(pk=proposal.case_id)
        proposal.case = case
        if case.status == ProposalStatus.REQUESTED:
            casework.transition(
                case, to=ProposalStatus.DRAFTED, actor=actor, now=now, event="drafted"
            )
        elif case.status == ProposalStatus.DRAFTED:
            casework.record_event(
                case, kind="redrafted", actor=actor, now=now, visible_to_customer=False
            )
        else:
            raise Conflict(
                f"{case.reference} was changed by someone else; reload it.", status=case.status
            )
        proposal.options.all().delete()
        for row in rows:
            row.proposal = proposal
        ProposalOption.objects.bulk_create(rows)
        for name, value in texts.items():
            setattr(proposal, name, value)
        proposal.drafted_by, proposal.drafted_at = actor, now
        proposal.save(update_fields=[*texts, "drafted_by", "drafted_at"])
        if proposal.case.assignee_id is None:
            casework.assign(proposal.case, assignee=actor, actor=actor, now=now)
    return proposal


def return_proposal(*, actor, proposal: Proposal, reason: str, now: dt.datetime) -> Proposal:
    """A supervisor sends the draft back with what to change; the delivery clock keeps running."""
    if not has_role(actor, *APPROVING_ROLES):
        raise NotPermitted("Only supervisors approve or return proposals.")
    reason = clean_text(reason, field="reason", max_length=MAX_NOTE)
    with transaction.atomic(durable=True):
        casework.transition(
            proposal.case,
            to=ProposalStatus.REQUESTED,
            actor=actor,
            now=now,
            reason=reason,
            event="returned",
            visible_to_customer=False,
        )
        if proposal.drafted_by is not None:
            from insuredesk.notifications.services import notify

            notify(
                recipient=proposal.drafted_by,
                channel="portal",
                subject=f"{proposal.reference}: returned for changes",
                body=reason,
                dedupe_key=f"proposal:{proposal.reference}:returned:{now.isoformat()}",
                case=proposal.case,
                now=now,
            )
    return proposal


# -- approval and the letter ----------------------------------------------------------------------


def letter_context(proposal: Proposal) -> dict[str, Any]:
    """What the proposal letter prints: the findings with the risk matrix, the schemes, the
    market factors, the options against the budget, and until when it may be accepted."""
    assessment = proposal.assessment
    zh = _chinese(assessment)
    risks = list(assessment.risks.all())
    matrix = charts.risk_matrix(
        [charts.MatrixPoint(n, r.title, r.likelihood, r.severity) for n, r in enumerate(risks, 1)],
        title="风险矩阵" if zh else "Risk matrix",
        likelihood_label="可能性" if zh else "Likelihood",
        severity_label="严重程度" if zh else "Severity",
    )
    return {
        "reference": proposal.reference,
        "customer": proposal.customer.full_name,
        "currency": assessment.currency,
        "annual_budget": assessment.annual_budget,
        "assessed_on": assessment.created_at.date(),
        "required_because": [reason["text"] for reason in proposal.required_because],
        "risks": [
            {
                "number": n,
                "title": r.title,
                "likelihood": r.likelihood,
                "severity": r.severity,
                "score": r.score,
                "level": level_words(r.level, assessment.language),
                "exposure": r.exposure,
                "existing_cover": r.existing_cover,
                "gap": r.gap,
                "treatment": TREATMENT_ZH[r.treatment] if zh else r.get_treatment_display(),
            }
            for n, r in enumerate(risks, 1)
        ],
        "matrix": matrix,
        "findings": proposal.findings,
        "prevention_scheme": proposal.prevention_scheme,
        "resolution_scheme": proposal.resolution_scheme,
        "market_factors": proposal.market_factors,
        "options": [
            {
                "label": o.label,
                "product": o.product_version.product.name,
                "sum_insured": o.sum_insured,
                "term_years": o.term_years,
                "annual_premium": o.annual_premium,
                "within_budget": o.within_budget,
                "beyond_budget_by": max(
                    Decimal("0.00"), o.annual_premium - assessment.annual_budget
                ),
                "notes": o.notes,
            }
            for o in proposal.options.all()
        ],
        "valid_until": proposal.valid_until,
        "drafted_by": proposal.drafted_by.get_full_name() if proposal.drafted_by else "",
    }


def approve_proposal(*, actor, proposal: Proposal, now: dt.datetime) -> Proposal:
    """A supervisor approves the draft and it is issued at once.

    1. Supervisors and administrators approve; never the person who drafted it (four eyes).
    2. In one transaction: the approval is recorded, the letter is rendered from
       `letters/insurance_proposal/` (Chinese for a CN customer who reads Chinese) and stored,
       the case becomes `issued` (which stops the SVC-22 clock), and the customer is sent it in
       the portal and by e-mail through the outbox. It may be accepted until SVC-22.valid runs
       out (30 days from today).
    """
    from insuredesk.documents.services import issue_letter

    if not has_role(actor, *APPROVING_ROLES):
        raise NotPermitted("Only supervisors approve proposals.")
    if proposal.drafted_by_id == actor.pk:
        raise NotPermitted(
            "A proposal is approved by someone other than its drafter (four eyes).",
            rule="four_eyes",
        )
    if proposal.status != ProposalStatus.DRAFTED:
        raise InvalidTransition(
            "Only a drafted proposal waiting for approval can be approved.", status=proposal.status
        )
    jurisdiction = proposal.case.jurisdiction
    valid = compute_deadline(jurisdiction=jurisdiction, rule=VALIDITY_RULE, start=now)
    chinese = jurisdiction == "CN" and proposal.customer.language == "zh"
    title = "保险建议书" if chinese else "Your insurance proposal"
    with transaction.atomic(durable=True):
        casework.record_event(proposal.case, kind="approved", actor=actor, now=now)
        proposal.valid_until = valid.due_date
        proposal.approved_by, proposal.approved_at = actor, now
        proposal.letter = issue_letter(
            kind="insurance_proposal",
            case=proposal.case,
            customer=proposal.customer,
            context=letter_context(proposal),
            actor=actor,
            now=now,
            jurisdiction=jurisdiction,
            language="zh" if chinese else "en",
            title=title,
        )
        casework.transition(
            proposal.case,
            to=ProposalStatus.ISSUED,
            actor=actor,
            now=now,
            event="issued",
            data={
                "letter": str(proposal.letter.public_id),
                "valid_until": proposal.valid_until.isoformat(),
                "rule": VALIDITY_RULE,
            },
        )
        proposal.save(update_fields=["valid_until", "approved_by", "approved_at", "letter"])
        _tell(
            proposal,
            subject=f"{proposal.reference}: {title}",
            body=(
                f"您的书面保险建议书已随附，可在{proposal.valid_until:%Y年%m月%d日}前在客户门户中选择方案接受。"
                if chinese
                else "Your written insurance proposal is attached and in your portal. Choose an "
                f"option there by {proposal.valid_until:%d %B %Y} to accept it, or tell us it "
                "is not for you."
            ),
            key="issued",
            now=now,
            letter=proposal.letter,
        )
    return proposal


# -- the customer's answer ------------------------------------------------------------------------


def accept_proposal(*, actor, proposal: Proposal, option: Any, now: dt.datetime) -> ProposalOption:
    """The customer accepts one option of an issued proposal (staff who sell may record it for
    them); next, they apply for that cover, prefilled from the option (`applying.py`)."""
    _customer_or_seller(proposal, actor, "proposal")
    if proposal.status != ProposalStatus.ISSUED:
        raise InvalidTransition("Only an issued proposal can be accepted.", status=proposal.status)
    if proposal.valid_until and _today(proposal, now) > proposal.valid_until:
        raise InvalidTransition(
            f"This proposal could be accepted until {proposal.valid_until.isoformat()}; ask us "
            "for a new one.",
            rule=VALIDITY_RULE,
        )
    chosen = next((o for o in proposal.options.all() if str(o.public_id) == str(option)), None)
    if chosen is None:
        raise ValidationFailed("Choose one of the proposal's options.", field="option")
    with transaction.atomic(durable=True):
        casework.transition(
            proposal.case,
            to=ProposalStatus.ACCEPTED,
            actor=actor,
            now=now,
            event="accepted",
            data={"option": str(chosen.public_id), "label": chosen.label},
        )
        ProposalOption.objects.filter(pk=chosen.pk).update(chosen=True)
        chosen.chosen = True
        proposal.answered_at = now
        proposal.save(update_fields=["answered_at"])
        amounts = (
            f"{chosen.currency} {chosen.sum_insured:,.2f}",
            f"{chosen.currency} {chosen.annual_premium:,.2f}",
        )
        chinese = _chinese(proposal.assessment)
        _tell(
            proposal,
            subject=f"{proposal.reference}: {'已接受' if chinese else 'accepted'} — {chosen.label}",
            body=(
                f"您选择了{chosen.label}（保险金额 {amounts[0]}，年保费约 {amounts[1]}）。"
                "请在客户门户中投保：投保单已按建议书预先填好，保费以承保时确认的为准。"
                if chinese
                else f"You chose {chosen.label} ({amounts[0]}, about {amounts[1]} a year). Apply "
                "for it from your portal: the form is filled in from the proposal; the premium "
                "is confirmed when we accept the application."
            ),
            key="accepted",
            now=now,
        )
    return chosen


def decline_proposal(*, actor, proposal: Proposal, now: dt.datetime, reason: str = "") -> Proposal:
    """The customer says the proposal is not for them (the reason helps us do better)."""
    _customer_or_seller(proposal, actor, "proposal")
    reason = clean_text(reason, field="reason", max_length=MAX_NOTE, required=False)
    with transaction.atomic(durable=True):
        casework.transition(
            proposal.case,
            to=ProposalStatus.DECLINED,
            actor=actor,
            now=now,
            reason=reason,
            event="declined",
        )
        proposal.answered_at, proposal.decline_reason = now, reason
        proposal.save(update_fields=["answered_at", "decline_reason"])
    return proposal


def withdraw_proposal(*, actor, proposal: Proposal, now: dt.datetime, reason: str = "") -> Proposal:
    """No longer wanted before it was issued: the customer, or staff at their request."""
    _customer_or_seller(proposal, actor, "proposal")
    reason = clean_text(reason, field="reason", max_length=MAX_NOTE, required=False)
    with transaction.atomic(durable=True):
        casework.transition(
            proposal.case,
            to=ProposalStatus.WITHDRAWN,
            actor=actor,
            now=now,
            reason=reason,
            event="withdrawn",
        )
    return proposal


def expire_proposals(*, now: dt.datetime) -> dict[str, int]:
    """The worker's job: issued proposals not answered by their last day expire, and the
    customer is told. Returns how many expired."""
    # Only proposals whose last day may have passed somewhere (no jurisdiction's date is a day
    # or more ahead of UTC's) are read on each pass.
    latest_today = (now.astimezone(dt.UTC) + dt.timedelta(days=1)).date()
    rows = Proposal.objects.filter(
        case__status=ProposalStatus.ISSUED, valid_until__lt=latest_today
    ).select_related("case", "customer", "assessment")
    expired = 0
    for proposal in rows:
        if proposal.valid_until is None or _today(proposal, now) <= proposal.valid_until:
            continue
        try:
            with transaction.atomic(durable=True):
                casework.transition(
                    proposal.case,
                    to=ProposalStatus.EXPIRED,
                    actor=None,
                    now=now,
                    reason=f"Not answered by {proposal.valid_until.isoformat()}.",
                    event="expired",
                )
                chinese = _chinese(proposal.assessment)
                _tell(
                    proposal,
                    subject=f"{proposal.reference}: "
                    + ("您的保险建议书已过期" if chinese else "your proposal has expired"),
                    body="您未在有效期内答复本建议书。如有需要，欢迎随时重新申请：您的风险和我们的费率可能已有变化。"
                    if chinese
                    else "You did not answer the proposal in time. Ask us for a new one whenever "
                    "you wish: your risks and our prices may have changed.",
                    key="expired",
                    now=now,
                )
        except (Conflict, InvalidTransition):
            continue  # answered meanwhile
        expired += 1
    return {"expired": expired}
