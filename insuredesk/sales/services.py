"""Every write to sales: apply, underwrite (straight through or by a person), the free medical
examination, the decision and its letter, acceptance and issue, withdrawal, expiry.

Each function is one business operation, keyword-only, with an explicit `actor` and `now`.
Statuses live on the application's case and move by `casework.transition` (compare-and-set),
so two people cannot both decide, or both accept, the same application.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from insuredesk.casework import services as casework
from insuredesk.casework.models import Case
from insuredesk.catalog.models import Clause, Product, ProductVersion
from insuredesk.catalog.rating import age_on, decimal_input
from insuredesk.catalog.selectors import is_sold_to
from insuredesk.consultation.models import ExplainedClause
from insuredesk.customers.models import CustomerProfile
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
from insuredesk.policies.choices import PremiumFrequency
from insuredesk.policies.services import (
    ISSUING_ROLES,
    PERSONAL_LINES,
    PricedTerms,
    price_terms,
    write_policy,
)
from insuredesk.rules.registry import get_profile
from insuredesk.sales.choices import ApplicationStatus, Decision, ExamStatus, SalesChannel
from insuredesk.sales.models import Application, DeclarationAnswer, MedicalExam
from insuredesk.sales.questions import QUESTIONS_VERSION, questions_for

KIND = "application"
UNDERWRITING_ROLES = (Role.UNDERWRITER, Role.SUPERVISOR, Role.ADMINISTRATOR)
OFFER_VALID_DAYS = 30  # an offer stands this long; then the applicant applies again
MAX_DETAILS = 2000
MAX_REASONS = 4000
MAX_RECORDING_BYTES = 200 * 1024 * 1024

# The insurer's non-medical limits for personal lines: above the sum insured for the insured's
# age band, an underwriter sees the application and may ask for the free medical examination.
# (Age last birthday at the start date, upper bound inclusive; amounts in the product currency.)
NON_MEDICAL_LIMITS: tuple[tuple[int, Decimal], ...] = (
    (40, Decimal("1000000")),
    (50, Decimal("500000")),
    (200, Decimal("300000")),
)


def non_medical_limit(age: int) -> Decimal:
    return next(limit for highest, limit in NON_MEDICAL_LIMITS if age <= highest)


# -- reading the terms ---------------------------------------------------------------------------


def _version_on_sale(product_code: str, day: dt.date, applicant: CustomerProfile) -> ProductVersion:
    product = Product.objects.filter(code=product_code, is_published=True).first()
    if product is None:
        raise ValidationFailed(f"There is no product {product_code!r}.", field="product")
    if not is_sold_to(product, applicant):
        raise ValidationFailed(
            f"{product.name} is sold to customers in {get_profile(product.market).name} only.",
            field="product",
        )
    for version in product.versions.all().order_by("-version"):
        if version.is_effective_on(day):
            return version
    raise ValidationFailed(
        f"{product.name} is not on sale on {day.isoformat()}.", field="start_date"
    )


def _amount(value: Any, field: str) -> Decimal:
    number = decimal_input(value, field)
    if number <= 0:
        raise ValidationFailed(f"{field} must be more than zero.", field=field)
    if number != number.quantize(Decimal("0.01")):
        raise ValidationFailed(f"{field} has at most two decimals.", field=field)
    return number


def _check_sum_insured(version: ProductVersion, sum_insured: Decimal) -> None:
    """The sum insured lies within the limits of the version's main (first) coverage."""
    coverage = version.coverages.order_by("id").first()
    if coverage is None:
        return
    if not coverage.sum_insured_min <= sum_insured <= coverage.sum_insured_max:
        raise ValidationFailed(
            f"{coverage.name} covers {coverage.sum_insured_min:,.0f} to "
            f"{coverage.sum_insured_max:,.0f} {version.currency}.",
            field="sum_insured",
        )


def _answers(
    line: str, language: str, declarations: Mapping[str, Any]
) -> list[tuple[int, str, str, bool, str]]:
    """(position, code, words asked, answer, details) for every question of the line.

    Every question must be answered yes or no; a "yes" must say more (CN-04: only what was
    asked must be disclosed, so the answers are only as good as the questions and details).
    """
    questions = questions_for(line)
    known = {q.code for q in questions}
    unknown = sorted(set(declarations) - known)
    if unknown:
        raise ValidationFailed(
            f"{unknown[0]} is not one of the questions for this product.",
            field=f"declarations.{unknown[0]}",
        )
    rows = []
    for position, question in enumerate(questions):
        where = f"declarations.{question.code}"
        given = declarations.get(question.code)
        if isinstance(given, Mapping):
            answer, details = given.get("answer"), str(given.get("details") or "")
        else:
            answer, details = given, ""
        if not isinstance(answer, bool):
            raise ValidationFailed(f"Answer yes or no: {question.en}", field=where)
        details = clean_text(
            details, field=f"{where}.details", max_length=MAX_DETAILS, required=False
        )
        if answer and not details:
            raise ValidationFailed(
                "Tell us more about this 'yes' (what, when, treatment).", field=f"{where}.details"
            )
        rows.append((position, question.code, question.text(language), answer, details))
    return rows


def _submitter(actor, applicant: CustomerProfile | None) -> tuple[CustomerProfile, Any]:
    """(applicant, agent): a customer applies for themselves; an agent for a named customer."""
    own = customer_of(actor)
    if own is not None:
        if applicant is not None and applicant.pk != own.pk:
            raise NotFound("No such customer.")
        return own, None
    if not has_role(actor, *ISSUING_ROLES):
        raise NotPermitted("Sign in to apply, or ask an agent to apply with you.")
    if applicant is None:
        raise ValidationFailed("Name the customer who applies.", field="customer")
    return applicant, actor if has_role(actor, Role.AGENT) else None


# -- applying ------------------------------------------------------------------------------------


def submit_application(
    *,
    actor,
    product: str,
    insured_name: str,
    insured_date_of_birth: dt.date | None,
    sum_insured: Any,
    term_years: int,
    start_date: dt.date,
    declarations: Mapping[str, Any],
    now: dt.datetime,
    applicant: CustomerProfile | None = None,
    channel: str | None = None,
    premium_frequency: str = PremiumFrequency.ANNUAL,
    rating_inputs: Mapping[str, Any] | None = None,
    beneficiaries: Iterable[Mapping[str, Any]] = (),
    origin: Case | None = None,
) -> Application:
    """Apply for a product: check and price the terms, keep the questions with the answers,
    then underwrite by the rules at once.

    1. A signed-in customer applies for themselves (online); staff who sell apply with a named
       customer, in person, by phone, at a bank or through a concurrent agent.
    2. The terms are checked and priced as the policy would be (`policies.price_terms`), and
       the sum insured lies within the main coverage's limits.
    3. Every question of the product's line is answered yes or no, and each "yes" explained;
       the words asked are stored beside the answers (CN-04).
    4. `underwrite_automatically`: a clean declaration within the non-medical limit is offered
       standard terms straight away; anything else goes to an underwriter.
    5. `origin`, the case the application came from (an accepted proposal, a consultation, a
       visit), is the applicant's own; both case timelines record the link.
    """
    applicant, agent = _submitter(actor, applicant)
    if origin is not None and origin.customer_id != applicant.pk:
        raise ValidationFailed("That case is not the applicant's.", field="origin")
    profile = get_profile(applicant.jurisdiction)
    today = profile.today(now)
    channel = channel or (SalesChannel.ONLINE if agent is None and customer_of(actor) else "")
    if channel not in SalesChannel.values:
        raise ValidationFailed(
            f"channel must be one of: {', '.join(SalesChannel.values)}.", field="channel"
        )
    if customer_of(actor) is not None and channel != SalesChannel.ONLINE:
        raise ValidationFailed("A customer applies online.", field="channel")
    if not isinstance(start_date, dt.date):
        raise ValidationFailed("start_date must be a date.", field="start_date")
    version = _version_on_sale(product, start_date, applicant)
    amount = _amount(sum_insured, "sum_insured")
    _check_sum_insured(version, amount)
    insured_name = clean_text(insured_name, field="insured_name", max_length=200)
    terms = price_terms(
        product_version=version,
        insured_name=insured_name,
        insured_date_of_birth=insured_date_of_birth,
        sum_insured=amount,
        term_years=term_years,
        rating_inputs=rating_inputs or {},
        start_date=start_date,
        today=today,
        beneficiaries=beneficiaries,
        premium_frequency=premium_frequency,
    )
    answers = _answers(version.product.line, applicant.language, declarations or {})
    with transaction.atomic(durable=True):
        case = casework.open_case(
            kind=KIND,
            title=f"{version.product.name}: {insured_name}",
            actor=actor,
            now=now,
            customer=applicant,
            jurisdiction=profile.code,
            data={
                "product": version.product.code,
                "version": version.version,
                **({"origin": origin.reference} if origin else {}),
            },
            event="submitted",
        )
        if origin is not None:
            casework.record_event(
                origin,
                kind="application_submitted",
                actor=actor,
                now=now,
                reason=f"{case.reference}: {version.product.name}",
                data={"application": case.reference, "product": version.product.code},
            )
        application = Application.objects.create(
            origin=origin,
            case=case,
            applicant=applicant,
            product_version=version,
            channel=channel,
            agent=agent,
            insured_name=insured_name,
            insured_date_of_birth=insured_date_of_birth,
            sum_insured=amount,
            term_years=term_years,
            premium_frequency=premium_frequency,
            start_date=start_date,
            rating_inputs={k: v for k, v in terms.rating_inputs.items() if k != "age"},
            beneficiaries=[
                {**b, "share_percent": str(b["share_percent"])} for b in terms.beneficiaries
            ],
            quoted_premium=terms.quote.annual_premium,
            currency=version.currency,
            submitted_at=now,
        )
        DeclarationAnswer.objects.bulk_create(
            DeclarationAnswer(
                application=application,
                position=position,
                code=code,
                question=words,
                questions_version=QUESTIONS_VERSION,
                answer=answer,
                details=details,
            )
            for position, code, words, answer, details in answers
        )
        underwrite_automatically(application, terms=terms, now=now)
    return application


def referral_reasons(application: Application, terms: PricedTerms) -> list[str]:
    """Why the rules cannot accept the application alone; empty when they can."""
    reasons = [
        f"Declared: {row.question} — {row.details}"
        for row in application.declarations.all()
        if row.answer
    ]
    if application.product_version.product.line in PERSONAL_LINES and "age" in terms.rating_inputs:
        age = int(terms.rating_inputs["age"])
        limit = non_medical_limit(age)
        if application.sum_insured > limit:
            reasons.append(
                f"Sum insured {application.sum_insured:,.0f} is above the non-medical limit of "
                f"{limit:,.0f} at age {age}."
            )
    return reasons


def underwrite_automatically(
    application: Application, *, terms: PricedTerms, now: dt.datetime
) -> None:
    """Offer standard terms when nothing needs a person (decided_by stays empty), else refer."""
    reasons = referral_reasons(application, terms)
    case = application.case
    if reasons:
        casework.transition(
            case,
            to=ApplicationStatus.REFERRED,
            actor=None,
            now=now,
            reason="; ".join(reasons)[:1000],
            data={"reasons": reasons},
            event="referred",
        )
        return
    _offer(application, decision=Decision.STANDARD, loading=0, reasons="", actor=None, now=now)


def _offer(application, *, decision: str, loading: int, reasons: str, actor, now) -> None:
    terms = _price(application, loading=loading, today=_today(application, now))
    application.decision = decision
    application.loading_percent = loading
    application.offered_premium = terms.annual_premium
    application.decision_reasons = reasons
    application.decided_by = actor
    application.decided_at = now
    application.offer_expires_on = _today(application, now) + dt.timedelta(days=OFFER_VALID_DAYS)
    application.save(
        update_fields=[
            "decision",
            "loading_percent",
            "offered_premium",
            "decision_reasons",
            "decided_by",
            "decided_at",
            "offer_expires_on",
        ]
    )
    casework.transition(
        application.case,
        to=ApplicationStatus.OFFERED,
        actor=actor,
        now=now,
        reason=reasons,
        data={
            "decision": decision,
            "loading_percent": loading,
            "annual_premium": str(terms.annual_premium),
            "automatic": actor is None,
        },
        event="offered",
    )
    money = f"{application.currency} {terms.annual_premium:,.2f}"
    _tell(
        application,
        subject=f"{application.reference}: our offer",
        body=(
            f"We can insure {application.insured_name} under "
            f"{application.product_version.product.name} for an annual premium of {money}"
            + (f" (including an extra premium of {loading}%)" if loading else "")
            + f". The offer stands until {application.offer_expires_on:%d %B %Y}; accept it in "
            "your portal to have the policy issued."
        ),
        key="offered",
        now=now,
    )


def _today(application: Application, now: dt.datetime) -> dt.date:
    return get_profile(application.case.jurisdiction).today(now)


def _price(application: Application, *, loading: int, today: dt.date) -> PricedTerms:
    """The application's terms priced again (a start date already past moves to today)."""
    return price_terms(
        product_version=application.product_version,
        insured_name=application.insured_name,
        insured_date_of_birth=application.insured_date_of_birth,
        sum_insured=application.sum_insured,
        term_years=application.term_years,
        rating_inputs=application.rating_inputs,
        start_date=max(application.start_date, today),
        today=today,
        beneficiaries=application.beneficiaries,
        premium_frequency=application.premium_frequency,
        loading_percent=loading,
    )


def _tell(application: Application, *, subject: str, body: str, key: str, now, letter=None):
    from insuredesk.notifications.services import notify_customer

    notify_customer(
        application.applicant,
        subject=subject,
        body=body,
        dedupe_key=f"application:{application.reference}:{key}:{now.isoformat()}",
        case=application.case,
        letter=letter,
        now=now,
    )


# -- underwriting --------------------------------------------------------------------------------


def _must_underwrite(actor) -> None:
    if not has_role(actor, *UNDERWRITING_ROLES):
        raise NotPermitted("Only underwriters, supervisors and administrators underwrite.")


def request_exam(
    *,
    actor,
    application: Application,
    reason: str,
    tests: str,
    clinic: str,
    now: dt.datetime,
    appointment_at: dt.datetime | None = None,
) -> MedicalExam:
    """Ask for the free medical examination: the insurer books and pays it, the applicant is
    told where, when and why; the application waits for the result."""
    _must_underwrite(actor)
    reason = clean_text(reason, field="reason", max_length=1000)
    tests = clean_text(tests, field="tests", max_length=300)
    clinic = clean_text(clinic, field="clinic", max_length=200)
    if appointment_at is not None and appointment_at <= now:
        raise ValidationFailed("The appointment must be in the future.", field="appointment_at")
    with transaction.atomic(durable=True):
        casework.transition(
            application.case,
            to=ApplicationStatus.EXAM_REQUIRED,
            actor=actor,
            now=now,
            reason=reason,
            data={"tests": tests, "clinic": clinic},
            event="exam_requested",
        )
        exam = MedicalExam.objects.create(
            application=application,
            reason=reason,
            tests=tests,
            clinic=clinic,
            appointment_at=appointment_at,
            requested_by=actor,
            requested_at=now,
        )
        when = f" on {appointment_at:%d %B %Y at %H:%M}" if appointment_at else ""
        _tell(
            application,
            subject=f"{application.reference}: a free medical examination",
            body=(
                f"To decide on your application we ask for a medical examination ({tests}) at "
                f"{clinic}{when}. It is free: we pay the clinic. Why: {reason}"
            ),
            key="exam",
            now=now,
        )
    return exam


def record_exam_result(
    *,
    actor,
    exam: MedicalExam,
    summary: str,
    now: dt.datetime,
    cost: Any = "0",
    result_file: tuple[str, bytes] | None = None,
) -> MedicalExam:
    """The clinic's result is in: keep it, and the application goes back to the underwriter."""
    _must_underwrite(actor)
    summary = clean_text(summary, field="summary", max_length=MAX_REASONS)
    charged = decimal_input(cost, "cost")
    if charged < 0:
        raise ValidationFailed("cost cannot be negative.", field="cost")
    with transaction.atomic(durable=True):
        moved = MedicalExam.objects.filter(pk=exam.pk, status=ExamStatus.REQUESTED).update(
            status=ExamStatus.COMPLETED,
            result_summary=summary,
            completed_at=now,
            cost_borne_by_insurer=charged,
        )
        if not moved:
            raise InvalidTransition("This examination's result is already recorded.")
        exam.refresh_from_db()
        if result_file is not None:
            name, content = result_file
            exam.result_file.save(name, ContentFile(content), save=True)
        casework.transition(
            exam.application.case,
            to=ApplicationStatus.REFERRED,
            actor=actor,
            now=now,
            reason="Medical examination result received.",
            event="exam_completed",
            visible_to_customer=True,
        )
    return exam


def decide(
    *,
    actor,
    application: Application,
    decision: str,
    reasons: str,
    now: dt.datetime,
    loading_percent: int = 0,
    postponed_until: dt.date | None = None,
) -> Application:
    """An underwriter's decision on a referred application.

    - standard or loaded (with an extra premium of `loading_percent`): an offer the applicant
      accepts within 30 days;
    - declined or postponed (until a date): the applicant gets a written notice with the
      reasons and how to ask us to look again.
    A loading, a decline and a postponement must give their reasons.
    """
    _must_underwrite(actor)
    if decision not in Decision.values:
        raise ValidationFailed(
            f"decision must be one of: {', '.join(Decision.values)}.", field="decision"
        )
    reasons = clean_text(reasons, field="reasons", max_length=MAX_REASONS, required=False)
    if decision != Decision.STANDARD and not reasons:
        raise ValidationFailed("Give the reasons for this decision.", field="reasons")
    if decision == Decision.LOADED and not 0 < loading_percent <= 300:
        raise ValidationFailed("An extra premium is between 1 and 300%.", field="loading_percent")
    if decision != Decision.LOADED and loading_percent:
        raise ValidationFailed(
            "Only a loaded acceptance carries an extra premium.", field="loading_percent"
        )
    today = _today(application, now)
    if decision == Decision.POSTPONED:
        if postponed_until is None or postponed_until <= today:
            raise ValidationFailed(
                "Give the date from which the applicant may apply again.",
                field="postponed_until",
            )
    elif postponed_until is not None:
        raise ValidationFailed("Only a postponement has a date.", field="postponed_until")
    if application.status != ApplicationStatus.REFERRED:
        raise InvalidTransition(
            "Only an application with an underwriter can be decided.", status=application.status
        )
    with transaction.atomic(durable=True):
        if decision in (Decision.STANDARD, Decision.LOADED):
            _offer(
                application,
                decision=decision,
                loading=loading_percent,
                reasons=reasons,
                actor=actor,
                now=now,
            )
            return application
        _refuse(
            application,
            decision=decision,
            reasons=reasons,
            until=postponed_until,
            actor=actor,
            now=now,
        )
    return application


def _refuse(application, *, decision: str, reasons: str, until, actor, now) -> None:
    from insuredesk.documents.services import issue_letter

    application.decision = decision
    application.decision_reasons = reasons
    application.decided_by = actor
    application.decided_at = now
    application.postponed_until = until
    status = (
        ApplicationStatus.DECLINED if decision == Decision.DECLINED else ApplicationStatus.POSTPONED
    )
    casework.transition(
        application.case, to=status, actor=actor, now=now, reason=reasons, event=status
    )
    customer = application.applicant
    chinese = application.case.jurisdiction == "CN" and customer.language == "zh"
    if chinese:
        title = "投保申请暂缓承保通知书" if until else "投保申请不予承保通知书"
    else:
        title = "Your application is postponed" if until else "We cannot accept your application"
    application.letter = issue_letter(
        kind="application_decision",
        case=application.case,
        customer=customer,
        context={
            "reference": application.reference,
            "product": application.product_version.product.name,
            "insured_name": application.insured_name,
            "sum_insured": application.sum_insured,
            "currency": application.currency,
            "submitted_on": application.submitted_at.date(),
            "postponed": decision == Decision.POSTPONED,
            "postponed_until": until,
            "reasons": reasons,
            "declared": [
                {"question": row.question, "answer": row.answer, "details": row.details}
                for row in application.declarations.all()
            ],
        },
        actor=actor,
        now=now,
        jurisdiction=application.case.jurisdiction,
        language="zh" if chinese else "en",
        title=title,
    )
    application.save(
        update_fields=[
            "decision",
            "decision_reasons",
            "decided_by",
            "decided_at",
            "postponed_until",
            "letter",
        ]
    )
    _tell(
        application,
        subject=f"{application.reference}: {title}",
        body="The letter in your portal gives our reasons and how to ask us to look again.",
        key=decision,
        now=now,
        letter=application.letter,
    )


# -- the sale's evidence -------------------------------------------------------------------------


def unacknowledged_exemptions(application: Application) -> list[Clause]:
    """Exemption clauses of the version with no acknowledgement from the applicant yet.

    Under CN-02 an exemption clause that was not explained and acknowledged has no effect, so
    the sale does not conclude until each one has been (online, or by an agent with a signed or
    recorded acknowledgement). Outside CN this is empty: explaining stays good practice there.
    """
    if not get_profile(application.case.jurisdiction).has_rule("CN-02"):
        return []
    exemptions = list(
        application.product_version.clauses.filter(must_be_explained=True, kind="exemption")
    )
    done = set(
        ExplainedClause.objects.filter(
            explanation__customer=application.applicant,
            clause__in=exemptions,
            acknowledged_at__isnull=False,
        ).values_list("clause_id", flat=True)
    )
    return [c for c in exemptions if c.pk not in done]


def recording_required(application: Application) -> str:
    """Why this sale must be recorded under CN-12 (traceable sales), or "" when it need not.

    Phone sales always; personal insurance over one year sold through a bank or a concurrent
    agent, or to an applicant aged 60 or more. (No investment-linked product is sold here.)
    """
    if not get_profile(application.case.jurisdiction).has_rule("CN-12"):
        return ""
    if application.channel == SalesChannel.PHONE:
        return "a phone sale is recorded in full (CN-12)"
    long_personal = (
        application.product_version.product.line in PERSONAL_LINES and application.term_years > 1
    )
    if not long_personal:
        return ""
    if application.channel in (SalesChannel.BANK, SalesChannel.CONCURRENT_AGENT):
        return "personal insurance over one year sold through a bank or concurrent agent (CN-12)"
    born = application.applicant.date_of_birth
    if born and age_on(born, application.submitted_at.date()) >= 60:
        return "the applicant is 60 or older (CN-12)"
    return ""


def attach_recording(
    *,
    actor,
    application: Application,
    name: str,
    content: bytes,
    consent: bool,
    now: dt.datetime,
) -> Application:
    """Keep the audio or video recording of the sale, with the applicant's consent to it."""
    if not has_role(actor, *ISSUING_ROLES):
        raise NotPermitted("Only staff who sell attach recordings.")
    if not consent:
        raise ValidationFailed(
            "Record only with the applicant's consent, and say so.", field="consent"
        )
    if not content:
        raise ValidationFailed("The recording is empty.", field="recording")
    if len(content) > MAX_RECORDING_BYTES:
        raise ValidationFailed("The recording is larger than 200 MB.", field="recording")
    if application.case.closed_at is not None:
        raise InvalidTransition("The application is closed.", status=application.status)
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic(durable=True):
        application.recording.save(name or "recording", ContentFile(content), save=False)
        application.recording_sha256 = digest
        application.recording_consent = True
        application.save(update_fields=["recording", "recording_sha256", "recording_consent"])
        casework.record_event(
            application.case,
            kind="recording_attached",
            actor=actor,
            now=now,
            data={"sha256": digest, "bytes": len(content)},
        )
    return application


# -- the applicant's answer ----------------------------------------------------------------------


def _is_applicant(application: Application, actor) -> bool:
    own = customer_of(actor)
    return own is not None and own.pk == application.applicant_id


def accept_offer(*, actor, application: Application, now: dt.datetime):
    """The applicant accepts the offer: the policy is issued and delivered to the portal.

    1. The applicant themselves, or staff who sell recording the applicant's acceptance.
    2. The offer stands (not past `offer_expires_on`).
    3. CN-02: every exemption clause has been explained and acknowledged; CN-12: the sale is
       recorded where it must be. Otherwise nothing is issued and the error says what is
       missing.
    4. In one transaction the application becomes issued (compare-and-set: a double click
       issues one policy) and the policy is written at the offered terms; a start date already
       past moves to today (CN-08: issue without delay).
    """
    if not _is_applicant(application, actor) and not has_role(actor, *ISSUING_ROLES):
        raise NotFound("No such application.")
    if application.status != ApplicationStatus.OFFERED:
        raise InvalidTransition(
            "There is no open offer on this application.", status=application.status
        )
    today = _today(application, now)
    if application.offer_expires_on and today > application.offer_expires_on:
        raise InvalidTransition(
            f"The offer ended on {application.offer_expires_on.isoformat()}; please apply again."
        )
    missing = unacknowledged_exemptions(application)
    if missing:
        numbers = [c.number for c in missing]
        raise InvalidTransition(
            "Before the policy is issued, these exemption clauses must be explained to you and "
            f"acknowledged (CN-02): {', '.join(numbers)}.",
            clauses=numbers,
        )
    why = recording_required(application)
    if why and not application.recording_sha256:
        raise InvalidTransition(f"The sale must be recorded before issue: {why}.", rule="CN-12")
    terms = _price(application, loading=application.loading_percent, today=today)
    if terms.annual_premium != application.offered_premium:
        raise InvalidTransition(
            "The premium has changed since the offer (the insured's age at the start date); "
            "ask the underwriter for a new offer."
        )
    issuer = actor if has_role(actor, *ISSUING_ROLES) else application.agent
    with transaction.atomic(durable=True):
        casework.transition(
            application.case,
            to=ApplicationStatus.ISSUED,
            actor=actor,
            now=now,
            event="accepted",
        )
        policy = write_policy(
            actor=issuer,
            product_version=application.product_version,
            policyholder=application.applicant,
            insured_name=application.insured_name,
            insured_date_of_birth=application.insured_date_of_birth,
            sum_insured=application.sum_insured,
            terms=terms,
            jurisdiction=application.case.jurisdiction,
            premium_frequency=application.premium_frequency,
            risk_details={"application": application.reference},
            now=now,
        )
        application.policy = policy
        application.save(update_fields=["policy"])
        casework.record_event(
            application.case,
            kind="policy_issued",
            actor=actor,
            now=now,
            data={"policy": policy.number, "premium": str(policy.premium)},
        )
        _tell(
            application,
            subject=f"{policy.number}: your policy is issued",
            body=(
                f"Your policy {policy.number} is issued and in your portal from today. "
                f"Cover starts on {policy.start_date:%d %B %Y}. If you change your mind, you may "
                "cancel it in the cooling-off period for a full refund."
            ),
            key="issued",
            now=now,
        )
    return policy


def withdraw(*, actor, application: Application, now: dt.datetime, reason: str = "") -> Application:
    """The applicant (or staff at their request) withdraws before the policy is issued."""
    if not _is_applicant(application, actor) and not has_role(actor, *ISSUING_ROLES):
        raise NotFound("No such application.")
    reason = clean_text(reason, field="reason", max_length=500, required=False)
    with transaction.atomic(durable=True):
        casework.transition(
            application.case,
            to=ApplicationStatus.WITHDRAWN,
            actor=actor,
            now=now,
            reason=reason,
            event="withdrawn",
        )
        application.exams.filter(status=ExamStatus.REQUESTED).update(status=ExamStatus.CANCELLED)
    return application


def expire_offers(*, now: dt.datetime) -> dict[str, int]:
    """The worker's job: offers not accepted by their last day expire (and the applicant is
    told). Returns how many expired."""
    expired = 0
    # Every pass of the worker runs this: only offers whose last day has passed somewhere on
    # earth (no jurisdiction's date is ahead of UTC's by a day or more) are read.
    latest_today = (now.astimezone(dt.UTC) + dt.timedelta(days=1)).date()
    rows = Application.objects.filter(
        case__status=ApplicationStatus.OFFERED, offer_expires_on__lt=latest_today
    ).select_related("case", "applicant", "product_version__product")
    for application in rows:
        last_day = application.offer_expires_on
        if last_day is None or _today(application, now) <= last_day:
            continue
        try:
            with transaction.atomic(durable=True):
                casework.transition(
                    application.case,
                    to=ApplicationStatus.EXPIRED,
                    actor=None,
                    now=now,
                    reason=f"Not accepted by {last_day.isoformat()}.",
                    event="expired",
                )
                _tell(
                    application,
                    subject=f"{application.reference}: our offer has expired",
                    body="You did not accept our offer in time. Apply again whenever you wish.",
                    key="expired",
                    now=now,
                )
        except (Conflict, InvalidTransition):
            continue  # accepted or withdrawn meanwhile
        expired += 1
    return {"expired": expired}
