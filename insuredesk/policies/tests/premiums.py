"""Builders for the premium tests: demo products, a CN term-life policy issued on a known day,
and paying an instalment the way the portal does."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from insuredesk.catalog.loading import load_demo_catalogue
from insuredesk.catalog.models import ProductVersion
from insuredesk.customers.roles import Role
from insuredesk.policies.choices import PaymentMethod, PremiumFrequency
from insuredesk.policies.models import Policy, PremiumInstalment, PremiumPayment
from insuredesk.policies.services import issue_policy, record_premium_payment
from insuredesk.tests.factories import demo_product_in, make_user

SHANGHAI = ZoneInfo("Asia/Shanghai")
LONDON = ZoneInfo("Europe/London")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
ISSUED = dt.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)  # a Monday
SECOND_DUE = dt.date(2027, 3, 2)  # the second annual premium of a policy issued on ISSUED


def at(day: dt.date, hour: int = 10, tz: ZoneInfo = SHANGHAI) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=tz)


def demo_versions() -> dict[str, ProductVersion]:
    load_demo_catalogue()
    return {v.product.code: v for v in ProductVersion.objects.select_related("product")}


def ursula():
    return make_user("ursula", Role.UNDERWRITER)


def term_life(
    agent,
    holder,
    versions,
    *,
    issued: dt.datetime = ISSUED,
    frequency: str = PremiumFrequency.ANNUAL,
    jurisdiction: str | None = None,
) -> Policy:
    """Term life on `holder` (insured born 1990-06-15), 500,000 over 10 years, from `issued`;
    outside China on a copy of the demo product sold in the holder's market."""
    tz = issued.tzinfo
    assert isinstance(tz, ZoneInfo)
    market = jurisdiction or holder.jurisdiction
    version = versions["harbour-term-life"]
    if market != version.product.market:
        version = demo_product_in("harbour-term-life", market)
    return issue_policy(
        actor=agent,
        product_version=version,
        policyholder=holder,
        insured_name=holder.full_name,
        insured_date_of_birth=dt.date(1990, 6, 15),
        sum_insured=Decimal("500000"),
        term_years=10,
        rating_inputs={},
        start_date=issued.astimezone(tz).date(),
        jurisdiction=jurisdiction,
        now=issued,
        premium_frequency=frequency,
    )


def home(agent, holder, versions, *, issued: dt.datetime = ISSUED) -> Policy:
    """Monthly home cover (property insurance: IL Art. 36 does not apply)."""
    return issue_policy(
        actor=agent,
        product_version=versions["harbour-home"],
        policyholder=holder,
        insured_name=holder.full_name,
        insured_date_of_birth=None,
        sum_insured=Decimal("900000"),
        term_years=1,
        rating_inputs={"building_value": "900000", "construction": "timber"},
        start_date=issued.date(),
        now=issued,
        premium_frequency=PremiumFrequency.MONTHLY,
    )


def instalment(policy: Policy, due: dt.date) -> PremiumInstalment:
    return PremiumInstalment.objects.get(policy=policy, due_date=due)


def first(policy: Policy) -> PremiumInstalment:
    return policy.instalments.order_by("due_date").first()  # type: ignore[return-value]


def pay(
    actor,
    item: PremiumInstalment,
    now: dt.datetime,
    *,
    method: str = PaymentMethod.BANK_CARD,
    reference: str = "AUTH-0001",
    amount: object = None,
    currency: str | None = None,
) -> PremiumPayment:
    return record_premium_payment(
        actor=actor,
        instalment=item,
        amount=item.amount if amount is None else amount,
        currency=item.policy.currency if currency is None else currency,
        method=method,
        reference=reference,
        now=now,
    )


def paid_first(agent, holder, versions, **kwargs) -> Policy:
    """A term-life policy whose first premium was paid on the day of issue."""
    policy = term_life(agent, holder, versions, **kwargs)
    pay(None, first(policy), kwargs.get("issued", ISSUED))
    return policy
