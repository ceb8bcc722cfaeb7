"""Every write to policies: issuance, premium payments, suspension and termination for arrears,
cancellation in the cooling-off period.

Each function is one business operation, keyword-only, with an explicit `actor` and `now`.
Statuses move by compare-and-set (`UPDATE … WHERE status = expected`), so two people (or a
person and the nightly job) cannot both move the same policy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Sum

from insuredesk.catalog.choices import Line
from insuredesk.catalog.models import ProductVersion
from insuredesk.catalog.rating import METHOD_INPUTS, Quote, age_on, money, quote_for
from insuredesk.customers.models import CustomerProfile
from insuredesk.customers.roles import Role, has_role
from insuredesk.errors import Conflict, InvalidTransition, NotPermitted, ValidationFailed
from insuredesk.policies.choices import (
    BeneficiaryRelation,
    InstalmentStatus,
    PolicyStatus,
    PremiumFrequency,
)
from insuredesk.policies.models import Beneficiary, Cancellation, Policy, PremiumInstalment
from insuredesk.rules.deadlines import compute_deadline
from insuredesk.rules.errors import UnknownRule
from insuredesk.rules.registry import get_profile

ISSUING_ROLES = (Role.AGENT, Role.UNDERWRITER, Role.SUPERVISOR, Role.ADMINISTRATOR)
SERVICING_ROLES = (Role.UNDERWRITER, Role.SUPERVISOR, Role.ADMINISTRATOR)
NUMBER_PREFIX: dict[str, str] = {
    Line.TERM_LIFE: "TL",
    Line.CRITICAL_ILLNESS: "CI",
    Line.MOTOR: "MO",
    Line.HOME: "HO",
}
# Personal insurance (IL Art. 36 applies to it): the lines that may name beneficiaries.
PERSONAL_LINES = {Line.TERM_LIFE, Line.CRITICAL_ILLNESS}
MAX_DAYS_AHEAD = 90  # how far ahead a start date may be fixed when the policy is issued
MAX_LOADING_PERCENT = 300  # the largest extra premium an underwriter may add


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def premium_schedule(
    *,
    annual_premium: Decimal,
    frequency: str,
    start_date: dt.date,
    term_years: int,
) -> tuple[Decimal, list[tuple[dt.date, Decimal]]]:
    """The premium per instalment and the (due date, amount) of every instalment.

    Annual: one per policy year on each anniversary. Monthly: twelve a year, each one twelfth
    of the annual premium rounded half-up to the cent. Single: the whole premium at the start
    (offered for one-year terms only, where it equals the annual premium).
    """
    if frequency == PremiumFrequency.ANNUAL:
        return annual_premium, [
            (add_years(start_date, y), annual_premium) for y in range(term_years)
        ]
    if frequency == PremiumFrequency.MONTHLY:
        monthly = money(annual_premium / 12)
        return monthly, [(add_months(start_date, m), monthly) for m in range(12 * term_years)]
    if frequency == PremiumFrequency.SINGLE:
        if term_years != 1:
            raise ValidationFailed(
                "A single premium is offered for one-year terms only.", field="premium_frequency"
            )
        return annual_premium, [(start_date, annual_premium)]
    raise ValidationFailed(
        f"premium_frequency must be one of: {', '.join(PremiumFrequency.values)}.",
        field="premium_frequency",
    )


def _check_beneficiaries(line: str, beneficiaries: Iterable[Mapping[str, Any]]) -> list[dict]:
    rows = []
    for index, item in enumerate(beneficiaries):
        where = f"beneficiaries[{index}]"
        name = str(item.get("full_name", "")).strip()
        if not name:
            raise ValidationFailed("Each beneficiary needs a name.", field=f"{where}.full_name")
        relation = item.get("relation", BeneficiaryRelation.OTHER)
        if relation not in BeneficiaryRelation.values:
            raise ValidationFailed(
                f"relation must be one of: {', '.join(BeneficiaryRelation.values)}.",
                field=f"{where}.relation",
            )
        try:
            share = Decimal(str(item.get("share_percent", "100")))
        except ArithmeticError:
            share = Decimal("-1")
        if not Decimal("0") < share <= Decimal("100") or share != share.quantize(Decimal("0.01")):
            raise ValidationFailed(
                "A share is a percentage above 0 and at most 100, to two decimals.",
                field=f"{where}.share_percent",
            )
        rows.append({"full_name": name[:200], "relation": relation, "share_percent": share})
    if rows and line not in PERSONAL_LINES:
        raise ValidationFailed(
            "Only life and health policies name beneficiaries.", field="beneficiaries"
        )
    if rows and sum(r["share_percent"] for r in rows) != Decimal("100"):
        raise ValidationFailed("Beneficiary shares must add up to 100%.", field="beneficiaries")
    return rows


def _next_number(prefix: str) -> str:
    highest = Policy.objects.filter(number__startswith=f"{prefix}-").aggregate(n=Max("number"))["n"]
    sequence = int(highest.split("-")[1]) + 1 if highest else 1
    return f"{prefix}-{sequence:07d}"


@dataclass(frozen=True)
class PricedTerms:
    """Terms checked and rated, ready to be written as a policy (`price_terms`)."""

    start_date: dt.date
    end_date: dt.date
    status: str
    rating_inputs: dict[str, Any]
    quote: Quote
    loading_percent: int
    annual_premium: Decimal  # the quote's, with the loading
    premium: Decimal  # per instalment
    schedule: list[tuple[dt.date, Decimal]]
    beneficiaries: list[dict]


def price_terms(
    *,
    product_version: ProductVersion,
    insured_name: str,
    insured_date_of_birth: dt.date | None,
    sum_insured: Decimal,
    term_years: int,
    rating_inputs: Mapping[str, Any],
    start_date: dt.date,
    today: dt.date,
    beneficiaries: Iterable[Mapping[str, Any]] = (),
    premium_frequency: str = PremiumFrequency.ANNUAL,
    loading_percent: int = 0,
) -> PricedTerms:
    """Check the terms of a policy to be written on `product_version` and rate them.

    1. The start date is `today` or up to 90 days ahead (no backdating), the version is on sale
       that day and offers the term; the insured is named.
    2. Rate with `catalog.rating`: life and health lines take the insured's age last birthday
       at the start date from the date of birth; other lines take `rating_inputs` as given.
    3. An underwriter's extra premium (`loading_percent`) raises the annual premium, rounded
       to the cent, before it is split into instalments.
    The sale (`sales`) prices an application with this and `issue_policy` checks it again.
    """
    if not isinstance(start_date, dt.date) or isinstance(start_date, dt.datetime):
        raise ValidationFailed("start_date must be a date.", field="start_date")
    if start_date < today:
        raise ValidationFailed(
            "A policy cannot start before the day it is issued.", field="start_date"
        )
    if start_date > today + dt.timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationFailed(
            f"The start date may be at most {MAX_DAYS_AHEAD} days ahead.", field="start_date"
        )
    if not product_version.is_effective_on(start_date):
        raise ValidationFailed(
            f"{product_version} is not on sale on {start_date.isoformat()}.", field="start_date"
        )
    if not (insured_name or "").strip():
        raise ValidationFailed("Name the insured.", field="insured_name")
    options = product_version.term_years_options
    if options and term_years not in options:
        raise ValidationFailed(
            f"Terms offered: {', '.join(map(str, options))} years.", field="term_years"
        )
    if not 0 <= loading_percent <= MAX_LOADING_PERCENT:
        raise ValidationFailed(
            f"The extra premium must be between 0 and {MAX_LOADING_PERCENT}%.",
            field="loading_percent",
        )
    line = product_version.product.line
    inputs = {k: v for k, v in dict(rating_inputs or {}).items() if k != "age"}
    if "age" in METHOD_INPUTS.get(product_version.rating_method, ()):
        if insured_date_of_birth is None:
            raise ValidationFailed(
                "The insured's date of birth is needed to rate this product.",
                field="insured_date_of_birth",
            )
        if insured_date_of_birth >= start_date:
            raise ValidationFailed(
                "The date of birth must be before the start date.", field="insured_date_of_birth"
            )
        inputs["age"] = age_on(insured_date_of_birth, start_date)
    try:
        quote: Quote = quote_for(
            product_version, sum_insured=sum_insured, term_years=term_years, inputs=inputs
        )
    except ValidationFailed as exc:
        if exc.details.get("field") == "rating_inputs.age":
            exc.details["field"] = "insured_date_of_birth"
        raise
    people = _check_beneficiaries(line, beneficiaries)
    annual = money(quote.annual_premium * (100 + loading_percent) / 100)
    premium, schedule = premium_schedule(
        annual_premium=annual,
        frequency=premium_frequency,
        start_date=start_date,
        term_years=term_years,
    )
    return PricedTerms(
        start_date=start_date,
        end_date=add_years(start_date, term_years) - dt.timedelta(days=1),
        status=PolicyStatus.IN_FORCE if start_date <= today else PolicyStatus.PENDING,
        rating_inputs=inputs,
        quote=quote,
        loading_percent=loading_percent,
        annual_premium=annual,
        premium=premium,
        schedule=schedule,
        beneficiaries=people,
    )


def issue_policy(
    *,
    actor,
    product_version: ProductVersion,
    policyholder: CustomerProfile,
    insured_name: str,
    insured_date_of_birth: dt.date | None,
    sum_insured: Decimal,
    term_years: int,
    rating_inputs: Mapping[str, Any],
    start_date: dt.date,
    beneficiaries: Iterable[Mapping[str, Any]] = (),
    jurisdiction: str | None = None,
    now: dt.datetime,
    premium_frequency: str = PremiumFrequency.ANNUAL,
    risk_details: Mapping[str, Any] | None = None,
    loading_percent: int = 0,
) -> Policy:
    """Issue a policy on a product version: rate it, write it with its premium schedule.

    1. The actor must be staff who may conclude contracts (agent, underwriter, supervisor,
       administrator); the sale process decides *whether* to issue, this writes the result.
    2. Check and rate the terms with `price_terms` (start date in the jurisdiction's time zone).
    3. Write the policy (in force from today, else pending), its beneficiaries and its premium
       instalments; the rating breakdown is kept in `risk_details["rating"]`.
    `write_policy` does step 3 inside a caller's transaction (the sale issues and closes the
    application in one).
    """
    if not has_role(actor, *ISSUING_ROLES):
        raise NotPermitted(
            "Only agents, underwriters, supervisors and administrators issue policies."
        )
    profile = get_profile(jurisdiction or policyholder.jurisdiction)
    terms = price_terms(
        product_version=product_version,
        insured_name=insured_name,
        insured_date_of_birth=insured_date_of_birth,
        sum_insured=sum_insured,
        term_years=term_years,
        rating_inputs=rating_inputs,
        start_date=start_date,
        today=profile.today(now),
        beneficiaries=beneficiaries,
        premium_frequency=premium_frequency,
        loading_percent=loading_percent,
    )
    with transaction.atomic(durable=True):
        return write_policy(
            actor=actor,
            product_version=product_version,
            policyholder=policyholder,
            insured_name=insured_name,
            insured_date_of_birth=insured_date_of_birth,
            sum_insured=sum_insured,
            terms=terms,
            jurisdiction=profile.code,
            premium_frequency=premium_frequency,
            risk_details=risk_details,
            now=now,
        )


def write_policy(
    *,
    actor,
    product_version: ProductVersion,
    policyholder: CustomerProfile,
    insured_name: str,
    insured_date_of_birth: dt.date | None,
    sum_insured: Decimal,
    terms: PricedTerms,
    jurisdiction: str,
    premium_frequency: str,
    risk_details: Mapping[str, Any] | None,
    now: dt.datetime,
) -> Policy:
    """Write a policy on terms `price_terms` checked, with its beneficiaries and instalments.

    Call it inside a transaction; `issue_policy` is the way in for everything but the sale.
    """
    rating = {**terms.quote.as_dict(), "loading_percent": terms.loading_percent}
    if terms.loading_percent:
        rating["annual_premium_with_loading"] = str(terms.annual_premium)
    details = {**dict(risk_details or {}), "rating_inputs": terms.rating_inputs, "rating": rating}
    policy = _create_numbered(
        prefix=NUMBER_PREFIX.get(product_version.product.line, "PO"),
        fields={
            "product_version": product_version,
            "policyholder": policyholder,
            "insured_name": insured_name.strip()[:200],
            "insured_date_of_birth": insured_date_of_birth,
            "risk_details": details,
            "sum_insured": Decimal(str(sum_insured)),
            "currency": product_version.currency,
            "premium": terms.premium,
            "premium_frequency": premium_frequency,
            "start_date": terms.start_date,
            "end_date": terms.end_date,
            "status": terms.status,
            "status_changed_at": now,
            "jurisdiction": jurisdiction,
            "issued_at": now,
            "agent": actor if has_role(actor, Role.AGENT) else None,
        },
    )
    Beneficiary.objects.bulk_create(
        Beneficiary(policy=policy, **person) for person in terms.beneficiaries
    )
    PremiumInstalment.objects.bulk_create(
        PremiumInstalment(policy=policy, due_date=due, amount=amount)
        for due, amount in terms.schedule
    )
    return policy


def _create_numbered(*, prefix: str, fields: dict[str, Any]) -> Policy:
    # Two issuances may read the same highest number; the unique constraint refuses the
    # second, which takes the next number inside its own savepoint.
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Policy.objects.create(number=_next_number(prefix), **fields)
        except IntegrityError:
            continue
    raise Conflict("Could not allocate a policy number; try again.")


def record_premium_payment(
    *,
    actor,
    instalment: PremiumInstalment,
    reference: str,
    now: dt.datetime,
) -> PremiumInstalment:
    """Mark a due premium instalment paid. Paying arrears does not reinstate a suspended
    policy by itself: reinstatement needs the insurer's agreement (IL Art. 37)."""
    if not reference.strip():
        raise ValidationFailed("Give the payment reference.", field="reference")
    with transaction.atomic(durable=True):
        moved = PremiumInstalment.objects.filter(
            pk=instalment.pk, status=InstalmentStatus.DUE
        ).update(status=InstalmentStatus.PAID, paid_at=now, payment_reference=reference[:60])
        if not moved:
            raise InvalidTransition("This instalment is not due.", status=instalment.status)
    instalment.refresh_from_db()
    return instalment


def _move(policy: Policy, *, expected: str, to: str, now: dt.datetime) -> Policy:
    moved = Policy.objects.filter(pk=policy.pk, status=expected).update(
        status=to, status_changed_at=now
    )
    if not moved:
        raise Conflict("The policy changed status meanwhile; reload it.")
    policy.refresh_from_db()
    return policy


def suspend_for_arrears(*, actor, policy: Policy, now: dt.datetime) -> Policy:
    """Suspend a personal-insurance policy whose premium is unpaid past the grace period.

    IL Art. 36 (rule CN-15 `after_due`): after the first premium, cover is suspended when a
    premium stays unpaid 60 days after its due date. The grace period comes from the policy's
    jurisdiction profile; a jurisdiction without the rule cannot suspend this way.
    """
    if actor is not None and not has_role(actor, *SERVICING_ROLES):
        raise NotPermitted("Your role does not suspend policies.")
    if policy.status != PolicyStatus.IN_FORCE:
        raise InvalidTransition("Only a policy in force can be suspended.", status=policy.status)
    if policy.product_version.product.line not in PERSONAL_LINES:
        raise InvalidTransition("Suspension for arrears applies to personal insurance only.")
    try:
        grace_days = get_profile(policy.jurisdiction).rule("CN-15.after_due").length_in("days")
    except UnknownRule:
        raise InvalidTransition(
            f"Jurisdiction {policy.jurisdiction} has no premium grace rule to suspend under."
        ) from None
    today = get_profile(policy.jurisdiction).today(now)
    overdue = (
        policy.instalments.filter(status=InstalmentStatus.DUE, due_date__gt=policy.start_date)
        .order_by("due_date")
        .first()
    )
    if overdue is None or today <= overdue.due_date + dt.timedelta(days=grace_days):
        raise InvalidTransition(
            f"No premium has been unpaid more than {grace_days} days after its due date "
            "(IL Art. 36)."
        )
    with transaction.atomic(durable=True):
        return _move(policy, expected=PolicyStatus.IN_FORCE, to=PolicyStatus.SUSPENDED, now=now)


def terminate_suspended_policy(*, actor, policy: Policy, now: dt.datetime) -> Policy:
    """End a policy suspended for longer than the reinstatement period (IL Art. 37, CN-16:
    2 years); the cash value is then due to the policyholder."""
    if actor is not None and not has_role(actor, *SERVICING_ROLES):
        raise NotPermitted("Your role does not terminate policies.")
    if policy.status != PolicyStatus.SUSPENDED or policy.status_changed_at is None:
        raise InvalidTransition("Only a suspended policy can be terminated.", status=policy.status)
    profile = get_profile(policy.jurisdiction)
    try:
        reinstatement_years = profile.rule("CN-16").length_in("years")
    except UnknownRule:
        raise InvalidTransition(
            f"Jurisdiction {policy.jurisdiction} has no reinstatement rule."
        ) from None
    suspended_on = profile.today(policy.status_changed_at)
    if profile.today(now) <= add_years(suspended_on, reinstatement_years):
        raise InvalidTransition(
            f"The policyholder may still reinstate it: {reinstatement_years} years from "
            "suspension have not passed (IL Art. 37)."
        )
    with transaction.atomic(durable=True):
        return _move(policy, expected=PolicyStatus.SUSPENDED, to=PolicyStatus.LAPSED, now=now)


# -- cooling-off ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoolingOff:
    """How long the policyholder may cancel a policy for a full refund, and why that long."""

    received_on: dt.date
    ends_on: dt.date  # the last day a cancellation is accepted, local to the policy's jurisdiction
    basis: str  # e.g. "CN-09, HM Art. 15: 15 days" or "the contract: 15 days"
    rule: str | None  # the statutory rule that set the period; None when the contract did

    def is_open(self, today: dt.date) -> bool:
        return today <= self.ends_on


def statutory_cooling_off_rule(policy: Policy) -> str | None:
    """The rule of the policy's jurisdiction that gives it a cooling-off period, if any.

    CN: long-term (over a year) health cover, CN-09 (HM Art. 15); other personal insurance over
    a year, CN-10 (an unconfirmed industry default). GB: 30 days for pure protection (life and
    critical illness), 14 for other contracts (GB-01, ICOBS 7.1.1R). US-CA's profile has no such
    rule yet, so there the contract's own period applies alone.
    """
    line = policy.product_version.product.line
    over_a_year = policy.end_date >= add_years(policy.start_date, 1)
    candidates: list[str] = []
    if policy.jurisdiction == "CN" and over_a_year:
        if line == Line.CRITICAL_ILLNESS:
            candidates.append("CN-09")
        if line in PERSONAL_LINES:
            candidates.append("CN-10")
    elif policy.jurisdiction == "GB":
        candidates.append("GB-01" if line in PERSONAL_LINES else "GB-01.other")
    profile = get_profile(policy.jurisdiction)
    return next((rule_id for rule_id in candidates if profile.has_rule(rule_id)), None)


def cooling_off_period(policy: Policy) -> CoolingOff:
    """The policy's cooling-off period: the longer of the statutory one and the contract's.

    It runs from the day the policyholder received the policy. InsureDesk delivers the policy
    to the customer's portal when it is issued, so that day is the day of issue. A statutory
    last day that falls on a holiday moves as the jurisdiction's profile says (CN: to the next
    working day); the contract's period (`cooling_off_days` of the product version) counts
    calendar days.
    """
    profile = get_profile(policy.jurisdiction)
    received = profile.today(policy.issued_at)
    contract_days = policy.product_version.cooling_off_days
    contract_end = received + dt.timedelta(days=contract_days)
    rule_id = statutory_cooling_off_rule(policy)
    if rule_id is not None:
        statutory = compute_deadline(
            jurisdiction=policy.jurisdiction, rule=rule_id, start=policy.issued_at
        )
        if statutory.due_date >= contract_end:
            days = (statutory.due_date - received).days
            basis = f"{rule_id}, {statutory.source}: {days} days"
            return CoolingOff(received, statutory.due_date, basis[:200], rule_id)
    return CoolingOff(received, contract_end, f"the contract: {contract_days} days", None)


def premium_paid(policy: Policy) -> Decimal:
    """Every premium instalment the policyholder has paid on the policy."""
    paid = policy.instalments.filter(status=InstalmentStatus.PAID).aggregate(total=Sum("amount"))
    return (paid["total"] or Decimal("0")).quantize(Decimal("0.01"))  # SQLite drops the cents


def open_cooling_off(policy: Policy, *, now: dt.datetime) -> CoolingOff | None:
    """The policy's cooling-off period while it may still be cancelled in it, else None."""
    if policy.status not in (PolicyStatus.PENDING, PolicyStatus.IN_FORCE):
        return None
    period = cooling_off_period(policy)
    return period if period.is_open(get_profile(policy.jurisdiction).today(now)) else None


def cancel_in_cooling_off(
    *, actor, policy: Policy, now: dt.datetime, reason: str = ""
) -> Cancellation:
    """Cancel a policy at its policyholder's request within the cooling-off period.

    1. The actor is the policyholder, or staff recording the policyholder's request (agent,
       underwriter, supervisor, administrator).
    2. The policy is pending or in force, no claim has been reported on it, and today (in its
       jurisdiction) is within the period of `cooling_off_period`; after it, ending the
       contract is a surrender (CN-14).
    3. In one transaction: the policy moves to cancelled (compare-and-set), premiums due are
       waived, every premium paid is owed back, and the confirmation letter with the refund is
       issued and sent to the portal (and by e-mail when we have an address).
    """
    is_holder = policy.policyholder.user_id is not None and policy.policyholder.user_id == getattr(
        actor, "pk", None
    )
    if not is_holder and not has_role(actor, *ISSUING_ROLES):
        raise NotPermitted("Only the policyholder, or staff at their request, cancels a policy.")
    reason = (reason or "").strip()
    if len(reason) > 500:
        raise ValidationFailed("The reason is longer than 500 characters.", field="reason")
    if policy.status not in (PolicyStatus.PENDING, PolicyStatus.IN_FORCE):
        raise InvalidTransition(
            "Only a pending policy or one in force can be cancelled.", status=policy.status
        )
    if policy.claims.exists():
        raise InvalidTransition(
            "A claim has been reported on this policy, so it can no longer be undone for a full "
            "refund; contact us to end it."
        )
    period = cooling_off_period(policy)
    today = get_profile(policy.jurisdiction).today(now)
    if not period.is_open(today):
        raise InvalidTransition(
            f"The cooling-off period ended on {period.ends_on.isoformat()} ({period.basis}). "
            "The policy can still be surrendered; ask us for its cash value."
        )
    with transaction.atomic(durable=True):
        policy = _move(policy, expected=policy.status, to=PolicyStatus.CANCELLED, now=now)
        paid = premium_paid(policy)
        policy.instalments.filter(status=InstalmentStatus.DUE).update(
            status=InstalmentStatus.WAIVED
        )
        cancellation = Cancellation.objects.create(
            policy=policy,
            requested_at=now,
            requested_by=actor if getattr(actor, "is_authenticated", False) else None,
            reason=reason,
            period_ends_on=period.ends_on,
            basis=period.basis,
            refund=paid,
            currency=policy.currency,
        )
        cancellation.letter = _cancellation_letter(cancellation, period, actor=actor, now=now)
        cancellation.save(update_fields=["letter"])
    return cancellation


def _cancellation_letter(
    cancellation: Cancellation, period: CoolingOff, *, actor, now: dt.datetime
):
    """The written confirmation: `letters/policy_cancellation/`, in Chinese for a CN policyholder
    who reads Chinese; sent to the portal inbox, and by e-mail when we have an address."""
    from insuredesk.documents.services import issue_letter
    from insuredesk.notifications.services import notify_customer

    policy = cancellation.policy
    customer = policy.policyholder
    chinese = policy.jurisdiction == "CN" and customer.language == "zh"
    amount = f"{cancellation.currency} {cancellation.refund}"
    if chinese:
        title = "犹豫期内解除保险合同确认书"
        body = (
            f"您的保单{policy.number}已在犹豫期内解除，"  # noqa: RUF001
            f"已缴保险费{amount}将全额退还。确认书已送达您的客户门户。"
        )
    else:
        title = "Your policy is cancelled in the cooling-off period"
        body = (
            f"Policy {policy.number} is cancelled as you asked, within the cooling-off period. "
            f"We refund the premium you paid, {amount}; the letter in your portal confirms it."
        )
    source = get_profile(policy.jurisdiction).rule(period.rule).source if period.rule else ""
    letter = issue_letter(
        kind="policy_cancellation",
        customer=customer,
        context={
            "policy_number": policy.number,
            "product": policy.product_version.product.name,
            "issued_on": period.received_on,
            "period_ends_on": period.ends_on,
            "period_days": (period.ends_on - period.received_on).days,
            "basis": period.basis,
            "rule": period.rule or "",
            "rule_source": source,
            "refund": cancellation.refund,
            "currency": cancellation.currency,
            "reason": cancellation.reason,
        },
        actor=actor,
        now=now,
        jurisdiction=policy.jurisdiction,
        language="zh" if chinese else "en",
        title=title,
    )
    notify_customer(
        customer,
        subject=f"{policy.number}: {title}",
        body=body,
        dedupe_key=f"policy-cancelled:{policy.number}",
        letter=letter,
        now=now,
    )
    return letter
