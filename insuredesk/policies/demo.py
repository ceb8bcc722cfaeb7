"""The demo portfolio for `insuredesk demo`: a few thousand ordinary policies behind the cast.

The demo's own policies (Alice's, Mallory's, the twelve named customers') tell stories; this
adds the book of business an insurer actually has, so rates "per 10 000 policies" and monthly
figures have a denominator: by default about 2,000 customers without logins (mostly CN, some GB
and US-CA) holding about 3,000 policies on the demo products of their own market (four in CN,
motor and home in GB and in US-CA), started over the past two years, one-year motor and home
cover renewed (or left to expire) on its anniversary.

    from insuredesk.policies import demo
    demo.load(stdout=sys.stdout, now=timezone.now())

How it is built (numbered because the order matters):
  1. Every portfolio customer is derived from its index alone (`random.Random(f"{seed}-{i}")`),
     so a run with more customers extends a smaller one and a second run finds everything.
  2. Customers are recognised by their e-mail address on `PORTFOLIO_DOMAIN`; the missing ones
     get the next customer numbers in sequence (as `customers.services.create_customer` would),
     so `next_customer_number()` stays right afterwards.
  3. A product the customer already holds is not written again (start dates are drawn
     relative to `now`, so a later run would draw other ones). Premiums are rated with
     `catalog.rating.quote_for`, one call per distinct set of rating inputs (memoised), instead
     of running `issue_policy` thousands of times; numbers continue each line's sequence
     (TL-, CI-, MO-, HO-) from its highest, as `issue_policy` numbers them.
  4. Only the instalments already due are written, all paid (at least the first): the rest of a
     schedule is not needed by any page or report, and would be hundreds of rows per monthly
     life policy.
  5. Everything is written in one transaction with `bulk_create` in batches; the demo command
     runs this before the consultation, claims and complaints hooks.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from tqdm import tqdm

from insuredesk.catalog.choices import Line
from insuredesk.catalog.models import ProductVersion
from insuredesk.catalog.rating import Quote, age_on, quote_for
from insuredesk.customers.models import CustomerProfile
from insuredesk.customers.services import next_customer_number
from insuredesk.errors import ValidationFailed
from insuredesk.policies.choices import InstalmentStatus, PolicyStatus, PremiumFrequency
from insuredesk.policies.models import Policy, PremiumInstalment
from insuredesk.policies.services import NUMBER_PREFIX, _next_number, add_years, premium_schedule
from insuredesk.rules.registry import get_profile

PORTFOLIO_DOMAIN = "portfolio.example.net"
DEFAULT_CUSTOMERS = 2000
SEED = 2024
BATCH = 500
HISTORY_DAYS = 730  # policies start over the past two years
RENEWAL_RATE = 0.8  # share of one-year policies renewed on their anniversary

TERM, CI, MOTOR, HOME = (
    "harbour-term-life",
    "harbour-critical-illness",
    "harbour-motor",
    "harbour-home",
)
GB_MOTOR, GB_HOME, GB_TERM, GB_CI = (
    "harbour-motor-uk",
    "harbour-home-uk",
    "harbour-life-uk",
    "harbour-critical-illness-uk",
)
CA_AUTO, CA_HOME = "harbour-auto-ca", "harbour-home-ca"
PROTECTION = (TERM, CI, GB_TERM, GB_CI)  # life and health: a sum insured for a term of years
# How often each product of a market is held, and how many products a customer holds.
PRODUCT_WEIGHTS = {
    "CN": {MOTOR: 35, TERM: 25, HOME: 20, CI: 20},
    "GB": {GB_MOTOR: 35, GB_HOME: 30, GB_TERM: 20, GB_CI: 15},
    "US-CA": {CA_AUTO: 60, CA_HOME: 40},
}
DEMO_PRODUCTS = {code for weights in PRODUCT_WEIGHTS.values() for code in weights}
HOLDINGS = [(1, 76), (2, 20), (3, 4)]

# Small lists of common names; a portfolio customer is one of each.
# fmt: off
CN_FAMILY = [
    "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun",
    "Ma", "Zhu", "Hu", "Guo", "He", "Gao", "Lin", "Luo", "Zheng", "Liang", "Xie", "Song", "Tang",
    "Han", "Feng", "Deng", "Cao", "Peng",
]
CN_GIVEN = [
    "Wei", "Fang", "Na", "Min", "Jing", "Lei", "Jun", "Yan", "Yong", "Jie", "Tao", "Ming", "Chao",
    "Xiuying", "Hao", "Xin", "Yu", "Ting", "Qiang", "Lin", "Hui", "Ping", "Gang", "Hua", "Dan",
    "Lan", "Bo", "Kai", "Ying", "Rui", "Qian", "Xue", "Peng", "Yun", "Shu", "Long", "Mei", "Jian",
    "Yi",
]
GB_FAMILY = [
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Davies", "Evans", "Thomas",
    "Roberts", "Walker",
]
GB_GIVEN = [
    "Oliver", "George", "Harry", "Jack", "Noah", "Amelia", "Olivia", "Isla", "Emily", "Sophie",
    "Grace", "Lily",
]
US_FAMILY = [
    "Garcia", "Martinez", "Nguyen", "Kim", "Johnson", "Miller", "Lopez", "Anderson", "Patel",
    "Rivera",
]
US_GIVEN = [
    "James", "Daniel", "Ethan", "Lucas", "Mia", "Emma", "Sofia", "Ava", "Chloe", "Isabella",
    "Carlos", "Priya",
]
# fmt: on
# (region, city) in CN and GB; (city, telephone area code) in California.
CN_PLACES = [
    ("Shanghai", "Shanghai"),
    ("Beijing", "Beijing"),
    ("Guangdong", "Guangzhou"),
    ("Guangdong", "Shenzhen"),
    ("Zhejiang", "Hangzhou"),
    ("Jiangsu", "Nanjing"),
    ("Jiangsu", "Suzhou"),
    ("Sichuan", "Chengdu"),
    ("Hubei", "Wuhan"),
    ("Shaanxi", "Xi'an"),
    ("Tianjin", "Tianjin"),
    ("Shandong", "Qingdao"),
]
# fmt: off
CN_STREETS = [
    "Renmin", "Jiefang", "Zhongshan", "Heping", "Xinhua", "Jianshe", "Yan'an", "Nanjing",
    "Huaihai",
]
# fmt: on
GB_PLACES = [("London", "London"), ("Greater Manchester", "Manchester"), ("Bristol", "Bristol")]
GB_STREETS = ["High Street", "Station Road", "Church Lane", "Victoria Road", "Mill Lane"]
US_PLACES = [("Los Angeles", "213"), ("San Francisco", "415"), ("San Diego", "619")]
US_STREETS = ["Main Street", "Oak Avenue", "Sunset Boulevard", "Mission Street", "Pine Street"]

SUMS = {
    TERM: ["200000", "300000", "500000", "1000000", "2000000"],
    CI: ["100000", "200000", "300000", "500000"],
    GB_TERM: ["100000", "150000", "250000", "400000"],
    GB_CI: ["50000", "75000", "100000", "150000"],
}
# Violation points of California drivers over three years, and how often each count is drawn.
DRIVING_RECORD_POINTS = [(0, 72), (1, 16), (2, 7), (3, 4), (5, 1)]
# Values in each market's currency, within its products' rating tables.
VEHICLE_VALUES = {
    "CN": ["60000", "90000", "120000", "150000", "200000", "250000", "300000", "450000"],
    "GB": ["4000", "7500", "12000", "18000", "25000", "35000", "50000"],
    "US-CA": ["9000", "15000", "22000", "30000", "38000", "48000", "65000"],
}
BUILDING_VALUES = {
    "CN": ["600000", "900000", "1200000", "1800000", "2500000", "3500000", "5000000"],
    "GB": ["150000", "220000", "300000", "400000", "550000", "800000"],
    "US-CA": ["350000", "500000", "650000", "800000", "1000000", "1500000"],
}
CONTENTS_VALUES = {
    "CN": ["0", "50000", "100000", "200000"],
    "GB": ["0", "25000", "40000", "75000"],
    "US-CA": ["0", "50000", "100000", "150000"],
}
# Most homes are concrete in Chinese cities, brick in Britain, wood-framed in California.
CONSTRUCTIONS = {
    "CN": [("reinforced_concrete", 60), ("brick_concrete", 32), ("timber", 8)],
    "GB": [("reinforced_concrete", 12), ("brick_concrete", 83), ("timber", 5)],
    "US-CA": [("reinforced_concrete", 5), ("brick_concrete", 15), ("timber", 80)],
}


@dataclass
class Person:
    """A portfolio customer as generated from its index, before it is written."""

    index: int
    full_name: str
    email: str
    phone: str
    date_of_birth: dt.date
    address: str
    region: str
    language: str
    jurisdiction: str
    holdings: list[Holding] = field(default_factory=list)


@dataclass
class Holding:
    """One product a portfolio customer holds since `start`, with what it is rated on."""

    product: str
    start: dt.date
    frequency: str
    choice: dict[str, Any]  # sum, vehicle, building… picked once; terms are tried in order
    renewed: bool  # one-year cover: renewed on its anniversary (else it expires)
    issue_hour: int


@dataclass
class Result:
    """What a run found and wrote."""

    customers: int = 0
    customers_new: int = 0
    policies: int = 0
    policies_new: int = 0
    instalments_new: int = 0
    quotes: int = 0
    statuses: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    def summary(self) -> str:
        if not self.customers_new and not self.policies_new:
            return (
                f"portfolio: {self.customers:,} customers and {self.policies:,} policies "
                "already there"
            )
        statuses = ", ".join(
            f"{n:,} {s.replace('_', ' ')}" for s, n in sorted(self.statuses.items())
        )
        return (
            f"portfolio: {self.customers:,} customers ({self.customers_new:,} new), "
            f"{self.policies:,} policies ({self.policies_new:,} new: {statuses or 'none'}; "
            f"{self.instalments_new:,} paid instalments; premiums from {self.quotes:,} "
            f"distinct quotes) in {self.seconds:.1f} s"
        )


def load(
    *,
    stdout: TextIO,
    now: dt.datetime,
    customers: int = DEFAULT_CUSTOMERS,
    seed: int = SEED,
    progress: bool = True,
) -> Result:
    """Add the portfolio (idempotent): `customers` customers and their policies, rated and
    dated relative to `now`. Writes one summary line to `stdout` and returns the counts."""
    started = time.monotonic()
    versions = _versions()
    if set(versions) != DEMO_PRODUCTS:
        missing = ", ".join(sorted(DEMO_PRODUCTS - set(versions)))
        stdout.write(f"    portfolio skipped: products missing from the catalogue: {missing}\n")
        return Result()
    people = [_person(seed, index, now) for index in range(customers)]
    result = Result()
    with transaction.atomic(durable=True):
        holders = _ensure_customers(people, result, progress)
        _ensure_policies(people, holders, versions, now, result, progress)
    result.customers = len(holders)
    result.policies = Policy.objects.filter(
        policyholder__email__endswith=f"@{PORTFOLIO_DOMAIN}"
    ).count()
    result.seconds = time.monotonic() - started
    stdout.write(f"    {result.summary()}\n")
    # The cast's regular visits (policies/visit_demo.py): idempotent, silent without the cast.
    from insuredesk.policies.visit_demo import load_visits

    load_visits(stdout=stdout, now=now)
    return result


# -- 1. the people ------------------------------------------------------------------------------


def _weighted(rng: random.Random, pairs: list[tuple[Any, int]]) -> Any:
    return rng.choices([value for value, _ in pairs], weights=[w for _, w in pairs])[0]


def _person(seed: int, index: int, now: dt.datetime) -> Person:
    rng = random.Random(f"{seed}-{index}")
    roll = rng.random()
    jurisdiction = "CN" if roll < 0.9 else "GB" if roll < 0.96 else "US-CA"
    number = rng.randint(1, 288)
    if jurisdiction == "CN":
        family, given = rng.choice(CN_FAMILY), rng.choice(CN_GIVEN)
        full_name = f"{family} {given}"  # family name first, as written in Chinese
        region, city = rng.choice(CN_PLACES)
        address = f"{number} {rng.choice(CN_STREETS)} Road, {city}"
        phone = (
            f"+86 1{rng.choice('3589')}{rng.randint(0, 9)} "
            f"{rng.randint(0, 9999):04d} {rng.randint(0, 9999):04d}"
        )
        language = "zh" if rng.random() < 0.85 else "en"
    elif jurisdiction == "GB":
        given, family = rng.choice(GB_GIVEN), rng.choice(GB_FAMILY)
        full_name = f"{given} {family}"
        region, city = rng.choice(GB_PLACES)
        address = f"{number} {rng.choice(GB_STREETS)}, {city}"
        phone = f"+44 7700 900{rng.randint(0, 999):03d}"  # Ofcom's range for drama
        language = "en"
    else:
        given, family = rng.choice(US_GIVEN), rng.choice(US_FAMILY)
        full_name = f"{given} {family}"
        region, area = rng.choice(US_PLACES)
        address = f"{number * 10} {rng.choice(US_STREETS)}, {region}, CA"
        phone = f"+1 {area} 555 01{rng.randint(0, 99):02d}"  # 555-0100..0199: fictional
        language = "en"
    today = get_profile(jurisdiction).today(now)
    born = today - dt.timedelta(days=rng.randint(22 * 365, 64 * 365))
    person = Person(
        index=index,
        full_name=full_name,
        email=f"{given}.{family}.{index:05d}@{PORTFOLIO_DOMAIN}".lower().replace("'", ""),
        phone=phone,
        date_of_birth=born,
        address=address,
        region=region,
        language=language,
        jurisdiction=jurisdiction,
    )
    products = list(PRODUCT_WEIGHTS[jurisdiction])
    weights = list(PRODUCT_WEIGHTS[jurisdiction].values())
    count = min(_weighted(rng, HOLDINGS), len(products))
    chosen: list[str] = []
    while len(chosen) < count:
        product = rng.choices(products, weights=weights)[0]
        if product not in chosen:
            chosen.append(product)
    for product in chosen:
        person.holdings.append(_holding(rng, product, jurisdiction, today))
    return person


def _holding(rng: random.Random, product: str, market: str, today: dt.date) -> Holding:
    start = today - dt.timedelta(days=rng.randint(0, HISTORY_DAYS - 1))
    choice: dict[str, Any]
    if product in PROTECTION:
        choice = {"sum": rng.choice(SUMS[product]), "terms": rng.sample([10, 20, 30], 3)}
        frequency = PremiumFrequency.MONTHLY if rng.random() < 0.25 else PremiumFrequency.ANNUAL
    elif product in (MOTOR, GB_MOTOR, CA_AUTO):
        choice = {"vehicle": rng.choice(VEHICLE_VALUES[market]), "claim_free": rng.randint(0, 5)}
        if product == CA_AUTO:  # a Proposition 103 rate reads the driving record instead
            choice.update(
                points=_weighted(rng, DRIVING_RECORD_POINTS),
                injury=int(rng.random() < 0.02),
                miles=rng.randrange(3_000, 22_000, 500),
                licensed_at=rng.randint(16, 25),
            )
        frequency = PremiumFrequency.ANNUAL
    else:
        choice = {
            "building": rng.choice(BUILDING_VALUES[market]),
            "construction": _weighted(rng, CONSTRUCTIONS[market]),
            "contents": rng.choice(CONTENTS_VALUES[market]),
        }
        frequency = PremiumFrequency.MONTHLY if rng.random() < 0.2 else PremiumFrequency.ANNUAL
    return Holding(
        product=product,
        start=start,
        frequency=frequency,
        choice=choice,
        renewed=rng.random() < RENEWAL_RATE,
        issue_hour=rng.randint(9, 17),
    )


# -- 2. the customers ---------------------------------------------------------------------------


def _ensure_customers(
    people: list[Person], result: Result, progress: bool
) -> dict[str, CustomerProfile]:
    emails = [p.email for p in people]
    existing = {c.email: c for c in CustomerProfile.objects.filter(email__in=emails)}
    missing = [p for p in people if p.email not in existing]
    if missing:
        # The same numbering as create_customer, continued in sequence: the next call to
        # next_customer_number() reads the highest and carries on after the portfolio.
        sequence = int(next_customer_number().split("-")[1])
        rows = [
            CustomerProfile(
                number=f"C-{sequence + offset:06d}",
                full_name=p.full_name,
                email=p.email,
                phone=p.phone,
                date_of_birth=p.date_of_birth,
                address=p.address,
                region=p.region,
                language=p.language,
                jurisdiction=p.jurisdiction,
            )
            for offset, p in enumerate(missing)
        ]
        with tqdm(
            total=len(rows),
            desc="portfolio customers",
            unit="customer",
            file=sys.stderr,
            disable=not progress,
        ) as bar:
            for at in range(0, len(rows), BATCH):
                CustomerProfile.objects.bulk_create(rows[at : at + BATCH])
                bar.update(len(rows[at : at + BATCH]))
        result.customers_new = len(rows)
        existing = {c.email: c for c in CustomerProfile.objects.filter(email__in=emails)}
    return existing


# -- 3. the policies ----------------------------------------------------------------------------


def _versions() -> dict[str, list[ProductVersion]]:
    versions: dict[str, list[ProductVersion]] = {}
    for version in (
        ProductVersion.objects.select_related("product")
        .filter(product__code__in=DEMO_PRODUCTS)
        .order_by("-version")
    ):
        versions.setdefault(version.product.code, []).append(version)
    return versions


class _Rater:
    """quote_for, once per distinct (version, sum insured, term, inputs); refusals remembered."""

    def __init__(self) -> None:
        self.quotes: dict[tuple, Quote | None] = {}

    def quote(
        self, version: ProductVersion, sum_insured: Decimal, term: int, inputs: dict
    ) -> Quote | None:
        key = (version.pk, sum_insured, term, tuple(sorted(inputs.items())))
        if key not in self.quotes:
            try:
                self.quotes[key] = quote_for(
                    version, sum_insured=sum_insured, term_years=term, inputs=inputs
                )
            except ValidationFailed:
                self.quotes[key] = None
        return self.quotes[key]

    @property
    def count(self) -> int:
        return sum(1 for q in self.quotes.values() if q is not None)


@dataclass
class _Draft:
    """A policy ready to write, with the instalments already due."""

    policy: Policy
    prefix: str
    schedule: list[tuple[dt.date, Decimal]]


def _ensure_policies(
    people: list[Person],
    holders: dict[str, CustomerProfile],
    versions: dict[str, list[ProductVersion]],
    now: dt.datetime,
    result: Result,
    progress: bool,
) -> None:
    User = get_user_model()
    agent = User.objects.filter(username="dave").first()  # the demo's agent sold them
    # A holding is there when its customer holds the product at all: start dates are drawn
    # relative to `now`, so a run on a later day must not read them as new policies.
    existing = set(
        Policy.objects.filter(policyholder__in=holders.values()).values_list(
            "policyholder_id", "product_version__product__code"
        )
    )
    rater = _Rater()
    drafts: list[_Draft] = []
    for person in people:
        holder = holders[person.email]
        for holding in person.holdings:
            if (holder.pk, holding.product) not in existing:
                drafts += _drafts(holder, holding, versions, rater, agent, now)
    result.quotes = rater.count
    # Numbers follow issue dates, continuing each line's sequence from its highest.
    drafts.sort(key=lambda d: (d.policy.issued_at, d.policy.policyholder_id))
    following = {
        prefix: int(_next_number(prefix).split("-")[1]) for prefix in {d.prefix for d in drafts}
    }
    for draft in drafts:
        draft.policy.number = f"{draft.prefix}-{following[draft.prefix]:07d}"
        following[draft.prefix] += 1
        result.statuses[draft.policy.status] += 1
    with tqdm(
        total=len(drafts),
        desc="portfolio policies",
        unit="policy",
        file=sys.stderr,
        disable=not progress or not drafts,
    ) as bar:
        for at in range(0, len(drafts), BATCH):
            batch = drafts[at : at + BATCH]
            Policy.objects.bulk_create([d.policy for d in batch])
            instalments = [
                _paid(draft.policy, due, amount, index)
                for draft in batch
                for index, (due, amount) in enumerate(draft.schedule)
            ]
            PremiumInstalment.objects.bulk_create(instalments, batch_size=BATCH)
            result.instalments_new += len(instalments)
            bar.update(len(batch))
    result.policies_new = len(drafts)


def _drafts(
    holder: CustomerProfile,
    holding: Holding,
    versions: dict[str, list[ProductVersion]],
    rater: _Rater,
    agent: Any,
    now: dt.datetime,
) -> list[_Draft]:
    """The holding's policies: one, or for one-year cover the first term and its renewal."""
    profile = get_profile(holder.jurisdiction)
    tz, today = profile.tz, profile.today(now)
    starts = [holding.start]
    renewal = add_years(holding.start, 1)
    if holding.product not in PROTECTION and renewal <= today and holding.renewed:
        starts.append(renewal)
    drafts = []
    for year, start in enumerate(starts):
        version = next((v for v in versions[holding.product] if v.is_effective_on(start)), None)
        if version is None:
            continue
        rated = _rate(holder, holding, version, start, year, rater)
        if rated is None:
            continue
        sum_insured, term, inputs, details, quote = rated
        premium, schedule = premium_schedule(
            annual_premium=quote.annual_premium,
            frequency=holding.frequency,
            start_date=start,
            term_years=term,
        )
        issued_at = dt.datetime.combine(start, dt.time(holding.issue_hour), tzinfo=tz)
        end = add_years(start, term) - dt.timedelta(days=1)
        expired = end < today
        policy = Policy(
            product_version=version,
            policyholder=holder,
            insured_name=holder.full_name,
            insured_date_of_birth=holder.date_of_birth,
            risk_details={**details, "rating_inputs": inputs, "rating": quote.as_dict()},
            sum_insured=sum_insured,
            currency=version.currency,
            premium=premium,
            premium_frequency=holding.frequency,
            start_date=start,
            end_date=end,
            status=PolicyStatus.EXPIRED if expired else PolicyStatus.IN_FORCE,
            status_changed_at=(
                dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
                if expired
                else issued_at
            ),
            jurisdiction=holder.jurisdiction,
            issued_at=issued_at,
            agent=agent,
        )
        due = [(day, amount) for day, amount in schedule if day <= today] or schedule[:1]
        drafts.append(_Draft(policy, NUMBER_PREFIX[version.product.line], due))
    return drafts


def _rate(
    holder: CustomerProfile,
    holding: Holding,
    version: ProductVersion,
    start: dt.date,
    year: int,
    rater: _Rater,
) -> tuple[Decimal, int, dict, dict, Quote] | None:
    """Sum insured, term, rating inputs, risk details and quote; None if nothing rates."""
    if holder.date_of_birth is None:
        raise ValueError(f"Portfolio customer {holder.number} has no date of birth.")
    age = age_on(holder.date_of_birth, start)
    choice = holding.choice
    line = version.product.line
    if line in (Line.TERM_LIFE, Line.CRITICAL_ILLNESS):
        sum_insured = Decimal(choice["sum"])
        inputs: dict[str, Any] = {"age": age}
        for term in choice["terms"]:
            if version.term_years_options and term not in version.term_years_options:
                continue
            quote = rater.quote(version, sum_insured, term, inputs)
            if quote is not None:
                return sum_insured, term, inputs, {}, quote
        return None
    if line == Line.MOTOR:
        value = Decimal(choice["vehicle"])
        if version.rating_method == "auto_prop103":
            inputs = {
                "vehicle_value": str(value),
                "violation_points": choice["points"],
                "at_fault_injury_accidents": choice["injury"],
                "annual_miles": choice["miles"],
                "years_licensed": max(0, age - choice["licensed_at"]),
            }
        else:
            inputs = {
                "vehicle_value": str(value),
                "driver_age": age,
                "claim_free_years": choice["claim_free"] + year,  # a renewal: one more
            }
        details = {"vehicle_value": str(value), "main_driver": holder.full_name}
        quote = rater.quote(version, value, 1, inputs)
        return (value, 1, inputs, details, quote) if quote else None
    building, contents = Decimal(choice["building"]), Decimal(choice["contents"])
    inputs = {
        "building_value": str(building),
        "construction": choice["construction"],
        "contents_value": str(contents),
    }
    details = {"address": holder.address or f"{holder.region} (demo address)"}
    quote = rater.quote(version, building + contents, 1, inputs)
    return (building + contents, 1, inputs, details, quote) if quote else None


def _paid(policy: Policy, due: dt.date, amount: Decimal, index: int) -> PremiumInstalment:
    tz = get_profile(policy.jurisdiction).tz
    paid_at = max(dt.datetime.combine(due, dt.time(10), tzinfo=tz), policy.issued_at)
    return PremiumInstalment(
        policy=policy,
        due_date=due,
        amount=amount,
        status=InstalmentStatus.PAID,
        paid_at=paid_at,
        payment_reference=f"DEMO-{policy.number}-{index + 1:03d}",
    )
