"""Handling a complaint: classify, assign, deadlines and extensions, appraisal, the response,
root cause, resolution and the complainant's rating."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import transaction

from insuredesk.casework import services as casework
from insuredesk.casework.choices import ClockState
from insuredesk.casework.models import Case, Clock
from insuredesk.catalog.models import Clause, Product, ProductVersion
from insuredesk.complaints import clocks
from insuredesk.complaints.choices import (
    REDRESS_OUTCOMES,
    ComplaintStatus,
    ExtensionStatus,
    Outcome,
    Priority,
    ResponseKind,
    RootCauseCategory,
    ServiceStage,
)
from insuredesk.complaints.models import (
    COMMENT_MAX,
    NOTE_MAX,
    RESPONSE_TEXT_MAX,
    Category,
    Complaint,
    Extension,
    Rating,
    RootCause,
)
from insuredesk.complaints.services.common import (
    HANDLER_ROLES,
    is_complainant,
    require_handler,
    require_supervisor,
    send_letter,
    tell,
    text,
)
from insuredesk.complaints.wording import wording_for
from insuredesk.customers.roles import has_role
from insuredesk.errors import (
    Conflict,
    DomainError,
    InvalidTransition,
    NotPermitted,
    ValidationFailed,
)
from insuredesk.rules.registry import get_rule

S = ComplaintStatus
HOLDING_LETTER_WINDOW = timedelta(days=7)  # GB-09.holding: sent in the eighth week, not before


class RuleRefused(DomainError):
    """A rule forbids the operation now (e.g. the period it would change has already run out)."""

    code = "rule_refused"
    status = 409


def _require_open(complaint: Complaint) -> None:
    if not complaint.case.is_open:
        raise InvalidTransition(f"{complaint.reference} is closed.", reference=complaint.reference)


def _require_cn(complaint: Complaint, rule: str) -> None:
    if complaint.case.jurisdiction != "CN":
        raise RuleRefused(
            f"{rule} applies to complaints handled under the CN profile only.", rule=rule
        )


def _start_investigation(complaint: Complaint, *, actor, now: datetime) -> None:
    if complaint.case.status == S.ACKNOWLEDGED:
        casework.transition(complaint.case, to=S.INVESTIGATING, actor=actor, now=now)


# --- classification and assignment --------------------------------------------------------


def classify_complaint(
    *,
    complaint: Complaint,
    actor,
    now: datetime,
    category: str,
    product: str | None = None,
    product_version: int | None = None,
    clause: str | None = None,
    service_stage: str = "",
    priority: str | None = None,
) -> Complaint:
    """Put the complaint in the category tree and link it to product, clause and stage.

    `product` is a product code, `product_version` its version number, `clause` the clause
    number as printed in that version.
    """
    require_handler(actor)
    _require_open(complaint)
    found = Category.objects.filter(code=category, is_active=True).first()
    if found is None:
        raise ValidationFailed(f"Unknown complaint category {category!r}.", field="category")
    version, clause_row, product_row = _product_links(
        product=product,
        product_version=product_version,
        clause=clause,
        default=complaint.product_version,
    )
    if service_stage and service_stage not in ServiceStage.values:
        raise ValidationFailed("Unknown service stage.", field="service_stage")
    if priority is not None and priority not in Priority.values:
        raise ValidationFailed("Unknown priority.", field="priority")
    with transaction.atomic(durable=True):
        complaint.category = found
        complaint.product = product_row or complaint.product
        complaint.product_version = version or complaint.product_version
        complaint.clause = clause_row or complaint.clause
        complaint.service_stage = service_stage or complaint.service_stage
        complaint.priority = priority or complaint.priority
        complaint.save(
            update_fields=[
                "category",
                "product",
                "product_version",
                "clause",
                "service_stage",
                "priority",
            ]
        )
        casework.record_event(
            complaint.case,
            kind="classified",
            actor=actor,
            now=now,
            visible_to_customer=False,
            data={
                "category": found.code,
                "product": complaint.product.code if complaint.product is not None else None,
                "clause": complaint.clause.number if complaint.clause is not None else None,
                "service_stage": complaint.service_stage,
                "priority": complaint.priority,
            },
        )
        _start_investigation(complaint, actor=actor, now=now)
    return complaint


def _product_links(
    *,
    product: str | None,
    product_version: int | None,
    clause: str | None,
    default: ProductVersion | None,
) -> tuple[ProductVersion | None, Clause | None, Product | None]:
    """(version, clause, product) rows from codes; each unknown one names its field."""
    product_row: Product | None = None
    version: ProductVersion | None = None
    clause_row: Clause | None = None
    if product:
        product_row = Product.objects.filter(code=product).first()
        if product_row is None:
            raise ValidationFailed(f"Unknown product {product!r}.", field="product")
        if product_version is not None:
            version = ProductVersion.objects.filter(
                product=product_row, version=product_version
            ).first()
            if version is None:
                raise ValidationFailed("Unknown version of that product.", field="product_version")
        else:
            version = (
                default
                if default is not None and default.product_id == product_row.pk
                else product_row.versions.order_by("-version").first()
            )
    elif product_version is not None:
        raise ValidationFailed("Name the product of the version.", field="product")
    if clause:
        in_version = version or default
        if in_version is None:
            raise ValidationFailed("Name the product the clause belongs to.", field="product")
        clause_row = Clause.objects.filter(product_version=in_version, number=clause).first()
        if clause_row is None:
            raise ValidationFailed(f"Clause {clause} is not in {in_version}.", field="clause")
        version = in_version
        product_row = product_row or in_version.product
    return version, clause_row, product_row


def assign_complaint(*, complaint: Complaint, assignee, actor, now: datetime) -> Complaint:
    """Give the complaint to a complaint handler (or supervisor); the queue orders by deadline."""
    require_handler(actor)
    _require_open(complaint)
    if assignee is not None and not (assignee.is_active and has_role(assignee, *HANDLER_ROLES)):
        raise ValidationFailed(
            "Complaints go to complaint handlers or supervisors.", field="assignee"
        )
    with transaction.atomic(durable=True):
        casework.assign(complaint.case, assignee=assignee, actor=actor, now=now)
        _start_investigation(complaint, actor=actor, now=now)
    return complaint


def find_assignee(username: str) -> AbstractUser:
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None or not has_role(user, *HANDLER_ROLES):
        raise ValidationFailed("No complaint handler has that username.", field="assignee")
    return user


# --- CN deadlines: complex, extension, appraisal --------------------------------------------


def _decide_clock(complaint: Complaint, now: datetime, rule: str) -> Clock:
    clock = clocks.open_clock(complaint.case, clocks.DECIDE)
    if clock is None:
        raise RuleRefused("The complaint has no running decision clock.", rule=rule)
    if clock.state == ClockState.RUNNING and now >= clock.deadline:
        raise RuleRefused(
            f"The decision period ({clock.rule}) ended on {clock.due_date}; it cannot be "
            "lengthened after it has run out.",
            rule=rule,
            due_date=clock.due_date.isoformat(),
        )
    return clock


def mark_complex(*, complaint: Complaint, reason: str, actor, now: datetime) -> Complaint:
    """A complex complaint may take 30 days from receipt instead of 15 (CN-28.complex)."""
    require_handler(actor)
    _require_open(complaint)
    _require_cn(complaint, clocks.COMPLEX)
    reason = text(reason, field="reason", max_length=NOTE_MAX)
    if complaint.complex_at is not None:
        raise Conflict(f"{complaint.reference} is already complex.", rule=clocks.COMPLEX)
    clock = _decide_clock(complaint, now, clocks.COMPLEX)
    with transaction.atomic(durable=True):
        clock = clocks.retime(clock, rule=clocks.COMPLEX)
        complaint.complex_at, complaint.complex_reason = now, reason
        complaint.save(update_fields=["complex_at", "complex_reason"])
        casework.record_event(
            complaint.case,
            kind="marked_complex",
            actor=actor,
            now=now,
            reason=reason,
            data={"rule": clocks.COMPLEX, "due_date": clock.due_date.isoformat()},
        )
    return complaint


def extension_room(complaint: Complaint) -> int:
    """Days a further extension may add before the 60-day maximum (CN-28.extended, .max)."""
    return get_rule(complaint.case.jurisdiction, clocks.EXTENDED).length_in("days")


def request_extension(
    *,
    complaint: Complaint,
    days: int,
    reason: str,
    actor,
    now: datetime,
) -> Extension:
    """Ask a supervisor for the further period of CN-28.extended; the clock moves only on
    approval."""
    require_handler(actor)
    _require_open(complaint)
    _require_cn(complaint, clocks.EXTENDED)
    reason = text(reason, field="reason", max_length=NOTE_MAX)
    limit = extension_room(complaint)
    maximum = get_rule("CN", clocks.MAXIMUM).length_in("days")
    if not isinstance(days, int) or days < 1:
        raise ValidationFailed("Ask for at least one day.", field="days")
    if days > limit:
        raise ValidationFailed(
            f"An extension adds at most {limit} days to the complex-case period, "
            f"{maximum} days in all (CN-28.extended, CN-28.max).",
            field="days",
            rule=clocks.MAXIMUM,
            max_days=limit,
        )
    if complaint.complex_at is None:
        raise RuleRefused(
            "Only a complaint marked complex can be extended: the further period runs after "
            "the complex-case period (CN-28.extended).",
            rule=clocks.EXTENDED,
        )
    if complaint.extensions.filter(
        status__in=[ExtensionStatus.REQUESTED, ExtensionStatus.APPROVED]
    ).exists():
        raise RuleRefused(
            f"{complaint.reference} already has an extension; the decision may take "
            f"{maximum} days at most (CN-28.max).",
            rule=clocks.MAXIMUM,
        )
    _decide_clock(complaint, now, clocks.EXTENDED)
    with transaction.atomic(durable=True):
        extension = Extension.objects.create(
            complaint=complaint, days=days, reason=reason, requested_by=actor, requested_at=now
        )
        casework.record_event(
            complaint.case,
            kind="extension_requested",
            actor=actor,
            now=now,
            reason=reason,
            visible_to_customer=False,
            data={"days": days, "rule": clocks.EXTENDED},
        )
    return extension


def approve_extension(
    *,
    extension: Extension,
    actor,
    now: datetime,
    note: str = "",
) -> Extension:
    """A supervisor approves the extension: the clock moves (never past CN-28.max) and the
    complainant gets a written notice with the reason and the new date (CN-28.extended)."""
    require_supervisor(actor, rule=clocks.EXTENDED, what="approve an extension (CN-28.extended)")
    complaint = extension.complaint
    _require_open(complaint)
    note = text(note, field="note", max_length=NOTE_MAX, required=False)
    if extension.status != ExtensionStatus.REQUESTED:
        raise Conflict("This extension has already been decided.", status=extension.status)
    clock = _decide_clock(complaint, now, clocks.EXTENDED)
    with transaction.atomic(durable=True):
        moved = Extension.objects.filter(pk=extension.pk, status=ExtensionStatus.REQUESTED).update(
            status=ExtensionStatus.APPROVED, decided_by=actor, decided_at=now, decision_note=note
        )
        if not moved:
            raise Conflict("This extension has just been decided by someone else.")
        extension.refresh_from_db()
        # A paused clock (external appraisal) is re-timed too; its pause is added on resumption.
        clock = clocks.retime(clock, rule=clocks.EXTENDED, extension_days=extension.days)
        due_date = clock.due_date
        extension.new_due_date = due_date
        extension.save(update_fields=["new_due_date"])
        letter = send_letter(
            complaint,
            kind="complaint_extension_notice",
            title="We need more time to decide your complaint",
            context={
                "reason": extension.reason,
                "days": extension.days,
                "new_due_date": due_date.isoformat(),
                "approved_by": actor.get_full_name() or actor.get_username(),
            },
            actor=actor,
            now=now,
            message=f"We need more time to decide your complaint; we will decide it by "
            f"{due_date:%Y-%m-%d}. Our letter explains why.",
        )
        casework.record_event(
            complaint.case,
            kind="extension_approved",
            actor=actor,
            now=now,
            reason=extension.reason,
            data={
                "rule": clocks.EXTENDED,
                "days": extension.days,
                "due_date": due_date.isoformat(),
                "requested_by": extension.requested_by.get_username(),
                "letter": str(letter.public_id),
            },
        )
    return extension


def refuse_extension(*, extension: Extension, actor, now: datetime, note: str) -> Extension:
    require_supervisor(actor, rule=clocks.EXTENDED, what="decide an extension")
    note = text(note, field="note", max_length=NOTE_MAX)
    with transaction.atomic(durable=True):
        moved = Extension.objects.filter(pk=extension.pk, status=ExtensionStatus.REQUESTED).update(
            status=ExtensionStatus.REFUSED, decided_by=actor, decided_at=now, decision_note=note
        )
        if not moved:
            raise Conflict("This extension has already been decided.")
        extension.refresh_from_db()
        casework.record_event(
            extension.complaint.case,
            kind="extension_refused",
            actor=actor,
            now=now,
            reason=note,
            visible_to_customer=False,
            data={"rule": clocks.EXTENDED},
        )
    return extension


def start_appraisal(
    *,
    complaint: Complaint,
    appraiser: str,
    reason: str,
    actor,
    now: datetime,
) -> Complaint:
    """Send a question to an outside appraiser: the decision clock stops, the complainant is
    told (CN-28: appraisal time does not count)."""
    require_handler(actor)
    _require_cn(complaint, clocks.BASE)
    appraiser = text(appraiser, field="appraiser", max_length=200)
    reason = text(reason, field="reason", max_length=NOTE_MAX)
    with transaction.atomic(durable=True):
        casework.transition(
            complaint.case,
            to=S.APPRAISAL,
            actor=actor,
            now=now,
            reason=reason,
            event="appraisal_started",
            data={"appraiser": appraiser, "rule": clocks.BASE},
        )
        clocks.pause(complaint.case, at=now)
        send_letter(
            complaint,
            kind="complaint_appraisal_notice",
            title="Your complaint is with an outside appraiser",
            context={"appraiser": appraiser, "reason": reason},
            actor=actor,
            now=now,
            message="Part of your complaint needs an outside appraisal; the time it takes does "
            "not count towards our deadline. Our letter explains.",
        )
    return complaint


def finish_appraisal(*, complaint: Complaint, summary: str, actor, now: datetime) -> Complaint:
    """The appraisal is back: the clock runs again with the paused days added."""
    require_handler(actor)
    summary = text(summary, field="summary", max_length=NOTE_MAX)
    with transaction.atomic(durable=True):
        casework.transition(
            complaint.case,
            to=S.INVESTIGATING,
            actor=actor,
            now=now,
            reason=summary,
            event="appraisal_finished",
        )
        clock = clocks.resume(complaint.case, at=now)
        tell(
            complaint,
            subject="The appraisal is back",
            body="The outside appraisal of your complaint is back and we are deciding it"
            + (f" by {clock.due_date:%Y-%m-%d}." if clock else "."),
            key=f"complaint-appraisal-finished:{complaint.reference}:{now.isoformat()}",
            now=now,
        )
    return complaint


# --- the response ---------------------------------------------------------------------------


def respond_to_complaint(
    *,
    complaint: Complaint,
    actor,
    now: datetime,
    outcome: str,
    findings: str = "",
    basis: str = "",
    reasons: str = "",
    redress: str = "",
    redress_amount: Decimal | None = None,
    summary: bool = False,
) -> Complaint:
    """Send the decisive letter.

    CN: the decision notice with findings, basis and reasons, and the remedies: review by the
    superior within 30 days (CN-29), mediation, arbitration, litigation (CN-28, CN-31).
    GB: by close of the third business day a summary resolution communication (GB-08, DISP
    1.5); otherwise the final response (GB-09, DISP 1.6.2R): upheld with redress, redress without
    admission, or rejected with reasons; each with the ombudsman referral right (six months,
    GB-11), our waiver position and the ombudsman's website, in the administrator's wording.
    """
    require_handler(actor)
    case = complaint.case
    if case.status not in (S.ACKNOWLEDGED, S.INVESTIGATING):
        raise InvalidTransition(
            f"A complaint that is {S(case.status).label.lower()} cannot be answered now.",
            reference=case.reference,
            from_status=case.status,
        )
    if complaint.category_id is None:
        raise ValidationFailed("Classify the complaint before answering it.", field="category")
    gb = case.jurisdiction == "GB"
    if summary and not gb:
        raise ValidationFailed(
            "A summary resolution exists only under GB-08.", field="summary", rule="GB-08"
        )
    if summary:
        local_today = now.astimezone(_tz(case)).date()
        if complaint.summary_resolution_by is None or local_today > complaint.summary_resolution_by:
            raise ValidationFailed(
                "A summary resolution communication is possible only by close of business on "
                f"the third business day ({complaint.summary_resolution_by}); send a final "
                "response instead (GB-08, DISP 1.5).",
                field="summary",
                rule="GB-08",
            )
        outcome = Outcome.RESOLVED_SUMMARY
        kind, event, letter_kind = (
            ResponseKind.SUMMARY_RESOLUTION,
            "summary_resolution_sent",
            "complaint_summary_resolution",
        )
    elif gb:
        kind, event, letter_kind = (
            ResponseKind.FINAL_RESPONSE,
            "final_response_sent",
            "complaint_final_response",
        )
    else:
        kind, event, letter_kind = (
            ResponseKind.DECISION_NOTICE,
            "decision_notice_sent",
            "complaint_decision",
        )
    allowed = {
        Outcome.UPHELD,
        Outcome.PARTLY_UPHELD,
        Outcome.REDRESS_WITHOUT_ADMISSION,
        Outcome.REJECTED,
    }
    if not summary and outcome not in allowed:
        raise ValidationFailed(
            f"Unknown outcome {outcome!r}.", field="outcome", allowed=sorted(allowed)
        )
    cn_rule = "CN-31"
    findings = text(
        findings,
        field="findings",
        max_length=RESPONSE_TEXT_MAX,
        required=not gb and not summary,
        rule=cn_rule,
    )
    basis = text(
        basis,
        field="basis",
        max_length=RESPONSE_TEXT_MAX,
        required=not gb and not summary,
        rule=cn_rule,
    )
    reasons = text(
        reasons,
        field="reasons",
        max_length=RESPONSE_TEXT_MAX,
        required=(outcome == Outcome.REJECTED) or not gb,
        rule="GB-09" if gb else cn_rule,
    )
    redress = text(
        redress, field="redress", max_length=RESPONSE_TEXT_MAX, required=outcome in REDRESS_OUTCOMES
    )
    if redress_amount is not None and redress_amount < 0:
        raise ValidationFailed("The redress amount cannot be negative.", field="redress_amount")
    wording = wording_for(case.jurisdiction)

    with transaction.atomic(durable=True):
        complaint.response_kind, complaint.outcome = kind, outcome
        complaint.findings, complaint.basis, complaint.reasons = findings, basis, reasons
        complaint.redress, complaint.redress_amount = redress, redress_amount
        complaint.responded_at = now
        letter = send_letter(
            complaint,
            kind=letter_kind,
            title=ResponseKind(kind).label,
            context={
                "outcome": outcome,
                "outcome_label": Outcome(outcome).label,
                "findings": findings,
                "basis": basis,
                "reasons": reasons,
                "redress": redress,
                "redress_amount": str(redress_amount) if redress_amount is not None else "",
                "currency": _currency(complaint),
                "wording": {
                    "referral": wording.referral_paragraph,
                    "other_remedies": wording.other_remedies_paragraph,
                    "waiver_position": wording.waiver_position,
                    "waiver": wording.waiver_paragraph,
                    "website": wording.website,
                    "referral_months": wording.referral_months,
                    "review_days": wording.review_days,
                },
                "handler": actor.get_full_name() or actor.get_username(),
            },
            actor=actor,
            now=now,
            message=f"We have answered your complaint: {ResponseKind(kind).label.lower()}.",
        )
        casework.transition(
            case,
            to=S.RESPONDED,
            actor=actor,
            now=now,
            event=event,
            data={"outcome": outcome, "letter": str(letter.public_id)},
        )
        main = clocks.main_clock(case)
        if main is not None and main.stopped_at is not None:
            complaint.responded_in_time = main.state == ClockState.MET
        complaint.save(
            update_fields=[
                "response_kind",
                "outcome",
                "findings",
                "basis",
                "reasons",
                "redress",
                "redress_amount",
                "responded_at",
                "responded_in_time",
            ]
        )
    return complaint


def _tz(case: Case) -> ZoneInfo:
    from insuredesk.rules.registry import get_profile

    return get_profile(case.jurisdiction).tz


def _currency(complaint: Complaint) -> str:
    if complaint.policy is not None:
        return complaint.policy.currency
    return "GBP" if complaint.case.jurisdiction == "GB" else "CNY"


def send_holding_letter(*, complaint: Complaint, reason: str, actor, now: datetime) -> Complaint:
    """GB: not ready at 8 weeks -> a holding letter with the reasons and the ombudsman referral
    right (GB-09.holding, DISP 1.6.2R(2)); it meets the 8-week clock."""
    require_handler(actor)
    _require_open(complaint)
    case = complaint.case
    if case.jurisdiction != "GB":
        raise RuleRefused(
            "Holding letters belong to the GB profile (GB-09.holding).", rule="GB-09.holding"
        )
    reason = text(reason, field="reason", max_length=NOTE_MAX)
    if complaint.holding_letter_at is not None:
        raise Conflict("The holding letter has already been sent.", rule="GB-09.holding")
    if case.status not in (S.ACKNOWLEDGED, S.INVESTIGATING):
        raise InvalidTransition(
            f"{case.reference} cannot get a holding letter now.", from_status=case.status
        )
    clock = clocks.open_clock(case, clocks.FINAL_RESPONSE)
    if clock is not None and now < clock.deadline - HOLDING_LETTER_WINDOW:
        raise RuleRefused(
            "A holding letter is sent in the eighth week, when a final response is not ready "
            f"by {clock.due_date} (GB-09.holding).",
            rule="GB-09.holding",
        )
    wording = wording_for("GB")
    with transaction.atomic(durable=True):
        letter = send_letter(
            complaint,
            kind="complaint_holding_letter",
            title="We are still looking into your complaint",
            context={
                "reason": reason,
                "wording": {
                    "referral": wording.referral_paragraph,
                    "waiver": wording.waiver_paragraph,
                    "website": wording.website,
                },
            },
            actor=actor,
            now=now,
            message="We have not finished looking into your complaint; our letter explains "
            "why and what you can do now.",
        )
        casework.record_event(
            case,
            kind="holding_letter_sent",
            actor=actor,
            now=now,
            reason=reason,
            data={"rule": "GB-09.holding", "letter": str(letter.public_id)},
        )
        complaint.holding_letter_at = now
        complaint.save(update_fields=["holding_letter_at"])
    return complaint


# --- root cause, resolution, rating ----------------------------------------------------------


def record_root_cause(
    *,
    complaint: Complaint,
    actor,
    now: datetime,
    category: str,
    product: str | None = None,
    product_version: int | None = None,
    clause: str | None = None,
    service_stage: str = "",
    team: str = "",
    note: str = "",
) -> RootCause:
    """Record why the complaint arose and what it points at (clause and product version,
    service stage, team). Defaults come from the complaint's classification."""
    require_handler(actor)
    if complaint.case.status == S.WITHDRAWN:
        raise InvalidTransition("A withdrawn complaint has no root cause to record.")
    if category not in RootCauseCategory.values:
        raise ValidationFailed(
            f"Unknown root cause category {category!r}.",
            field="category",
            allowed=RootCauseCategory.values,
        )
    if service_stage and service_stage not in ServiceStage.values:
        raise ValidationFailed("Unknown service stage.", field="service_stage")
    version, clause_row, _ = _product_links(
        product=product,
        product_version=product_version,
        clause=clause,
        default=complaint.product_version,
    )
    team = text(team, field="team", max_length=100, required=False)
    note = text(note, field="note", max_length=NOTE_MAX, required=False)
    with transaction.atomic(durable=True):
        cause, _ = RootCause.objects.update_or_create(
            complaint=complaint,
            defaults={
                "category": category,
                "product_version": version or complaint.product_version,
                "clause": clause_row or (complaint.clause if not clause else None),
                "service_stage": service_stage or complaint.service_stage,
                "team": team,
                "note": note,
                "recorded_by": actor,
                "recorded_at": now,
            },
        )
        casework.record_event(
            complaint.case,
            kind="root_cause_recorded",
            actor=actor,
            now=now,
            visible_to_customer=False,
            data={
                "category": category,
                "team": team,
                "clause": cause.clause.number if cause.clause is not None else None,
            },
        )
    return cause


def resolve_complaint(*, complaint: Complaint, actor, now: datetime, note: str = "") -> Complaint:
    """Close an answered complaint; its root cause must be on record. Invites a rating."""
    require_handler(actor)
    note = text(note, field="note", max_length=NOTE_MAX, required=False)
    if not RootCause.objects.filter(complaint=complaint).exists():
        raise ValidationFailed(
            "Record the root cause before resolving the complaint.", field="root_cause"
        )
    with transaction.atomic(durable=True):
        casework.transition(complaint.case, to=S.RESOLVED, actor=actor, now=now, reason=note)
        complaint.resolved_at = now
        complaint.satisfaction_invited_at = now
        complaint.save(update_fields=["resolved_at", "satisfaction_invited_at"])
        tell(
            complaint,
            subject="How did we handle your complaint?",
            body="Your complaint is closed. Please rate how we handled it, from 1 to 5, in "
            f"your portal (Complaints > {complaint.reference}); a comment helps us improve.",
            key=f"complaint-rating-invite:{complaint.reference}",
            now=now,
        )
    return complaint


def rate_complaint(
    *,
    complaint: Complaint,
    score: int,
    comment: str = "",
    actor,
    now: datetime,
) -> Rating:
    """The complainant rates the handling of a closed complaint, once."""
    if not is_complainant(actor, complaint):
        raise NotPermitted("Only the complainant rates the handling of a complaint.")
    if complaint.case.status != S.RESOLVED:
        raise InvalidTransition(
            "A complaint can be rated once it is resolved.", from_status=complaint.case.status
        )
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise ValidationFailed("Rate from 1 to 5.", field="score")
    comment = text(comment, field="comment", max_length=COMMENT_MAX, required=False)
    with transaction.atomic(durable=True):
        if Rating.objects.filter(complaint=complaint).exists():
            raise Conflict("You have already rated this complaint.")
        rating = Rating.objects.create(
            complaint=complaint, score=score, comment=comment, rated_at=now
        )
        casework.record_event(
            complaint.case, kind="rated", actor=actor, now=now, data={"score": score}
        )
    return rating
