"""Builders for tests: plain functions, one per thing, with the named cast of STYLE.md.

Alice is a customer; Mallory is another customer who must see nothing of Alice's; Bob handles
claims; Carol supervises; Dave is an agent; Erin handles complaints; Sam surveys; Ursula
underwrites.
"""

import itertools
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from insuredesk.catalog.choices import ClauseKind, Line
from insuredesk.catalog.models import Clause, Coverage, Product, ProductVersion
from insuredesk.customers.models import CustomerProfile
from insuredesk.customers.roles import Role
from insuredesk.customers.services import create_customer
from insuredesk.policies.choices import PolicyStatus
from insuredesk.policies.models import Policy, PremiumInstalment

User = get_user_model()
_sequence = itertools.count(1)
PASSWORD = "correct-horse-battery"


def make_user(username: str, *roles: Role, password: str = PASSWORD):
    user = User.objects.create_user(
        username=username,
        password=password,
        email=f"{username}@example.com",
        first_name=username.capitalize(),
    )
    for role in roles:
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    return user


def make_customer(
    username: str = "alice", *, full_name: str | None = None, jurisdiction: str = "CN"
) -> CustomerProfile:
    user = make_user(username, Role.CUSTOMER)
    return create_customer(
        full_name=full_name or f"{username.capitalize()} Example",
        email=user.email,
        phone="+86 138 0000 0000",
        user=user,
        date_of_birth=date(1985, 5, 17),
        region="Shanghai",
        jurisdiction=jurisdiction,
    )


def alice() -> CustomerProfile:
    return make_customer("alice", full_name="Alice Chen")


def mallory() -> CustomerProfile:
    return make_customer("mallory", full_name="Mallory Stone")


def bob():
    return make_user("bob", Role.CLAIMS_HANDLER)


def carol():
    return make_user("carol", Role.SUPERVISOR)


def dave():
    return make_user("dave", Role.AGENT)


def erin():
    return make_user("erin", Role.COMPLAINT_HANDLER)


def sam():
    return make_user("sam", Role.SURVEYOR)


def make_product(
    code: str = "home-shield", *, line: str = Line.HOME, effective_from: date = date(2020, 1, 1)
) -> ProductVersion:
    """A product with one version, one coverage, a coverage clause and an exemption clause."""
    product = Product.objects.create(
        code=code,
        name=code.replace("-", " ").title(),
        line=line,
        summary="Protects the home against fire and water damage.",
    )
    version = ProductVersion.objects.create(
        product=product,
        version=1,
        effective_from=effective_from,
        currency="CNY",
        rating_method="home_building",
        rating_table={},
        term_years_options=[1],
    )
    coverage = Coverage.objects.create(
        product_version=version,
        code="building",
        name="Building damage",
        sum_insured_min=Decimal("100000"),
        sum_insured_max=Decimal("5000000"),
        deductible=Decimal("500"),
        waiting_period_days=0,
        loss_types=["fire", "water_damage"],
        required_documents=[
            {"code": "photos", "name": "Photos of the damage"},
            {"code": "repair_quote", "name": "Repair quotation"},
        ],
    )
    Clause.objects.create(
        product_version=version,
        coverage=coverage,
        number="2.1",
        title="Fire",
        kind=ClauseKind.COVERAGE,
        position=1,
        text="We pay for damage to the building caused by fire.",
        explanation="If your home burns, we pay for the repair.",
    )
    Clause.objects.create(
        product_version=version,
        number="4.1",
        title="Wear and tear",
        kind=ClauseKind.EXEMPTION,
        must_be_explained=True,
        position=2,
        text="We do not pay for gradual deterioration or wear and tear.",
        explanation="Damage that builds up slowly over time is not covered.",
        legal_consequence="A claim for such damage will be refused.",
    )
    return version


def demo_product_in(code: str, market: str) -> ProductVersion:
    """Version 1 of a copy of the demo product `code` sold in `market`, in that market's currency
    (code `<code>-<market>`): for tests of a market's rules on a line the demo catalogue sells
    only in China, such as life cover in the UK. Loaded once; later calls find it."""
    from insuredesk.catalog.loading import demo_files, load_product, read_file
    from insuredesk.rules.registry import get_profile

    copy_code = f"{code}-{market.lower()}"
    existing = ProductVersion.objects.filter(product__code=copy_code, version=1).first()
    if existing is not None:
        return existing
    data = next(d for d in map(read_file, demo_files()) if d["product"]["code"] == code)
    data["product"].update(code=copy_code, market=market)
    for version in data["versions"]:
        version["currency"] = get_profile(market).currency
    load_product(data)
    return ProductVersion.objects.select_related("product").get(product__code=copy_code, version=1)


def make_policy(
    holder: CustomerProfile,
    version: ProductVersion | None = None,
    *,
    status: str = PolicyStatus.IN_FORCE,
    start: date | None = None,
    sum_insured: Decimal = Decimal("1000000"),
    jurisdiction: str = "CN",
) -> Policy:
    version = version or make_product(f"product-{next(_sequence)}")
    start = start or timezone.localdate() - timedelta(days=100)
    policy = Policy.objects.create(
        number=f"P-{next(_sequence):08d}",
        product_version=version,
        policyholder=holder,
        insured_name=holder.full_name,
        sum_insured=sum_insured,
        currency=version.currency,
        premium=Decimal("1200.00"),
        start_date=start,
        end_date=start + timedelta(days=365),
        status=status,
        jurisdiction=jurisdiction,
        issued_at=timezone.now(),
        risk_details={"address": "8 Harbour Road"},
    )
    PremiumInstalment.objects.create(policy=policy, due_date=start, amount=policy.premium)
    return policy
