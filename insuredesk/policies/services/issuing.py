"""Issuing policies: the premium schedule, checking and rating the terms, writing the policy
with its beneficiaries and instalments under the next number of its line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max

from insuredesk.catalog.choices import Line
from insuredesk.catalog.models import ProductVersion
from insuredesk.catalog.rating import METHOD_INPUTS, Quote, add_years, age_on, money, quote_for
from insuredesk.customers.models import CustomerProfile
from insuredesk.customers.roles import Role, has_role
from insuredesk.errors import Conflict, NotPermitted, ValidationFailed
from insuredesk.policies.choices import BeneficiaryRelation, PolicyStatus, PremiumFrequency
from insuredesk.policies.models import Beneficiary, Policy, PremiumInstalment
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
    market = product_version.product.market
    if market != profile.code:
        raise ValidationFailed(
            f"{product_version.product.name} is sold in {get_profile(market).name}, not in "
            f"{profile.name}, where this policy would be governed.",
            field="product_version",
        )
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
