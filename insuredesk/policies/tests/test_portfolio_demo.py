"""The demo portfolio (`insuredesk.policies.demo.load`): rated, numbered, idempotent.

Small runs (a few dozen customers) so the suite stays fast; the demo runs it with 2,000.
"""

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from insuredesk.catalog.loading import load_demo_catalogue
from insuredesk.catalog.models import ProductVersion
from insuredesk.catalog.rating import money, quote_for
from insuredesk.customers.models import CustomerProfile
from insuredesk.customers.services import next_customer_number
from insuredesk.policies import demo
from insuredesk.policies.choices import InstalmentStatus, PolicyStatus, PremiumFrequency
from insuredesk.policies.models import Policy, PremiumInstalment
from insuredesk.policies.services import issue_policy

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def catalogue(db):
    load_demo_catalogue()


def portfolio():
    return Policy.objects.filter(policyholder__email__endswith=f"@{demo.PORTFOLIO_DOMAIN}")


def load(customers: int):
    out = io.StringIO()
    result = demo.load(stdout=out, now=NOW, customers=customers, progress=False)
    return result, out.getvalue()


def test_portfolio_customers_hold_policies_without_logins_and_a_second_run_adds_nothing(
    catalogue,
):
    result, out = load(40)

    customers = CustomerProfile.objects.filter(email__endswith=f"@{demo.PORTFOLIO_DOMAIN}")
    assert customers.count() == result.customers == result.customers_new == 40
    assert not customers.filter(user__isnull=False).exists()
    assert portfolio().count() == result.policies == result.policies_new
    assert 40 <= result.policies <= 40 * 4  # one to three products, one-year cover renewed
    assert {"CN"} <= set(customers.values_list("jurisdiction", flat=True))
    assert out.count("\n") == 1 and "40 customers (40 new)" in out

    again, out = load(40)

    assert (again.customers_new, again.policies_new, again.instalments_new) == (0, 0, 0)
    assert portfolio().count() == result.policies
    assert "already there" in out


def test_a_run_on_a_later_day_finds_the_same_portfolio(catalogue):
    result, _ = load(20)

    later = demo.load(
        stdout=io.StringIO(), now=NOW + dt.timedelta(days=9), customers=20, progress=False
    )

    assert later.policies_new == 0 and portfolio().count() == result.policies


def test_a_larger_run_extends_a_smaller_one(catalogue):
    load(10)
    first = set(portfolio().values_list("number", flat=True))

    result, _ = load(15)

    assert result.customers_new == 5
    assert first < set(portfolio().values_list("number", flat=True))


def test_premiums_come_from_the_rating_tables_and_past_instalments_are_paid(catalogue):
    load(30)

    today = NOW.date()
    for policy in portfolio().select_related("product_version__product"):
        inputs = policy.risk_details["rating_inputs"]
        term = (policy.end_date + dt.timedelta(days=1)).year - policy.start_date.year
        quote = quote_for(
            policy.product_version,
            sum_insured=policy.sum_insured,
            term_years=term,
            inputs=inputs,
        )
        per_instalment = (
            money(quote.annual_premium / 12)
            if policy.premium_frequency == PremiumFrequency.MONTHLY
            else quote.annual_premium
        )
        assert policy.premium == per_instalment, policy.number
        assert today - dt.timedelta(days=demo.HISTORY_DAYS + 1) <= policy.start_date <= today
        expired = policy.end_date < today
        assert policy.status == (PolicyStatus.EXPIRED if expired else PolicyStatus.IN_FORCE)
        instalments = list(policy.instalments.all())
        assert instalments[0].due_date == policy.start_date
        assert all(i.status == InstalmentStatus.PAID and i.paid_at for i in instalments)
        assert all(i.due_date <= max(today, policy.start_date) for i in instalments)
    assert not PremiumInstalment.objects.filter(status=InstalmentStatus.DUE).exists()


def test_customer_and_policy_numbers_continue_after_the_portfolio(catalogue, alice, dave):
    load(25)

    highest = max(CustomerProfile.objects.values_list("number", flat=True))
    assert next_customer_number() == f"C-{int(highest[2:]) + 1:06d}"
    assert alice.number == "C-000001"  # the portfolio took the numbers after hers

    version = ProductVersion.objects.get(product__code="harbour-term-life")
    policy = issue_policy(
        actor=dave,
        product_version=version,
        policyholder=alice,
        insured_name="Alice Chen",
        insured_date_of_birth=dt.date(1988, 3, 14),
        sum_insured=Decimal("500000"),
        term_years=20,
        rating_inputs={},
        start_date=NOW.date(),
        beneficiaries=[],
        jurisdiction=None,
        now=NOW,
    )

    portfolio_term = portfolio().filter(number__startswith="TL-").values_list("number", flat=True)
    assert policy.number > max(portfolio_term)
