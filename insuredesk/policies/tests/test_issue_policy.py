"""issue_policy: the premium from the rating tables, the premium schedule, and refusals.

Also the after-sale moves it sets up: premium payment, suspension for arrears (IL Art. 36) and
termination after two years of suspension (IL Art. 37).
"""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from insuredesk.catalog.loading import load_demo_catalogue
from insuredesk.catalog.models import ProductVersion
from insuredesk.errors import NotPermitted, ValidationFailed
from insuredesk.policies.choices import InstalmentStatus, PolicyStatus, PremiumFrequency
from insuredesk.policies.models import Policy
from insuredesk.policies.services import issue_policy
from insuredesk.tests.factories import demo_product_in

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()


@pytest.fixture
def versions(db):
    load_demo_catalogue()
    return {v.product.code: v for v in ProductVersion.objects.select_related("product")}


def issue(actor, holder, version, **overrides):
    arguments = {
        "actor": actor,
        "product_version": version,
        "policyholder": holder,
        "insured_name": holder.full_name,
        "insured_date_of_birth": dt.date(1990, 6, 15),  # 35 on 2 March 2026
        "sum_insured": Decimal("1000000"),
        "term_years": 20,
        "rating_inputs": {},
        "start_date": TODAY,
        "beneficiaries": [],
        "jurisdiction": None,
        "now": NOW,
    }
    arguments.update(overrides)
    return issue_policy(**arguments)


def test_term_life_premium_comes_from_the_table_and_falls_due_each_anniversary(
    dave, alice, versions
):
    policy = issue(
        dave,
        alice,
        versions["harbour-term-life"],
        beneficiaries=[
            {"full_name": "Chen Hao", "relation": "spouse", "share_percent": "60"},
            {"full_name": "Chen Lily", "relation": "child", "share_percent": "40"},
        ],
    )
    # 1,000,000 / 1,000 x 1.25 (age 35, 20 years) + 50 fee
    assert policy.premium == Decimal("1300.00")
    assert policy.status == PolicyStatus.IN_FORCE
    assert policy.number == "TL-0000001"
    assert policy.end_date == dt.date(2046, 3, 1)
    assert policy.jurisdiction == "CN" and policy.currency == "CNY"
    assert policy.agent == dave
    instalments = list(policy.instalments.order_by("due_date"))
    assert len(instalments) == 20
    assert [i.due_date for i in instalments[:3]] == [
        dt.date(2026, 3, 2),
        dt.date(2027, 3, 2),
        dt.date(2028, 3, 2),
    ]
    assert {i.amount for i in instalments} == {Decimal("1300.00")}
    assert {i.status for i in instalments} == {InstalmentStatus.DUE}
    assert policy.risk_details["rating"]["annual_premium"] == "1300.00"
    assert policy.risk_details["rating_inputs"] == {"age": 35}
    assert sorted(b.share_percent for b in policy.beneficiaries.all()) == [40, 60]


def test_the_age_is_taken_from_the_date_of_birth_never_from_the_inputs(dave, alice, versions):
    # Born 1990-06-15: 35 at the start date, whatever `age` the caller sends.
    policy = issue(dave, alice, versions["harbour-term-life"], rating_inputs={"age": 20})
    assert policy.risk_details["rating_inputs"]["age"] == 35


def test_a_monthly_home_policy_has_twelve_instalments_of_a_twelfth(dave, alice, versions):
    policy = issue(
        dave,
        alice,
        versions["harbour-home"],
        sum_insured=Decimal("3200000"),
        term_years=1,
        rating_inputs={
            "building_value": "3000000",
            "construction": "reinforced_concrete",
            "contents_value": "200000",
        },
        premium_frequency=PremiumFrequency.MONTHLY,
    )
    # (1,350.00 + 240.00) / 12 = 132.50
    assert policy.premium == Decimal("132.50")
    due = [i.due_date for i in policy.instalments.order_by("due_date")]
    assert len(due) == 12 and due[0] == TODAY and due[-1] == dt.date(2027, 2, 2)
    assert policy.end_date == dt.date(2027, 3, 1)


def test_a_motor_policy_is_rated_on_vehicle_value_driver_age_and_no_claims(dave, mallory, versions):
    policy = issue(
        dave,
        mallory,
        versions["harbour-motor"],
        sum_insured=Decimal("250000"),
        term_years=1,
        rating_inputs={"vehicle_value": "250000", "driver_age": 42, "claim_free_years": 3},
    )
    assert policy.premium == Decimal("5775.00")
    assert policy.instalments.count() == 1
    assert policy.number.startswith("MO-")


def test_a_policy_starting_later_is_pending(dave, alice, versions):
    policy = issue(
        dave, alice, versions["harbour-term-life"], start_date=TODAY + dt.timedelta(days=10)
    )
    assert policy.status == PolicyStatus.PENDING


def test_the_jurisdiction_defaults_to_the_policyholders_and_must_be_known(dave, alice, versions):
    alice.jurisdiction = "GB"
    alice.save()
    uk_life = demo_product_in("harbour-term-life", "GB")
    assert issue(dave, alice, uk_life).jurisdiction == "GB"
    with pytest.raises(ValidationFailed) as excinfo:
        issue(dave, alice, uk_life, jurisdiction="XX")
    assert excinfo.value.details["field"] == "jurisdiction"


def test_a_customer_cannot_issue_a_policy(alice, versions):
    with pytest.raises(NotPermitted):
        issue(alice.user, alice, versions["harbour-term-life"])
    assert not Policy.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"start_date": TODAY - dt.timedelta(days=1)}, "start_date"),
        ({"start_date": TODAY + dt.timedelta(days=91)}, "start_date"),
        ({"term_years": 15}, "term_years"),
        ({"term_years": 30, "insured_date_of_birth": dt.date(1980, 1, 1)}, "term_years"),
        ({"insured_date_of_birth": None}, "insured_date_of_birth"),
        ({"insured_date_of_birth": dt.date(1960, 1, 1)}, "insured_date_of_birth"),
        ({"insured_date_of_birth": dt.date(2030, 1, 1)}, "insured_date_of_birth"),
        ({"sum_insured": Decimal("0")}, "sum_insured"),
        ({"sum_insured": Decimal("99000000")}, "sum_insured"),
        ({"insured_name": "  "}, "insured_name"),
        ({"premium_frequency": "weekly"}, "premium_frequency"),
        ({"premium_frequency": PremiumFrequency.SINGLE}, "premium_frequency"),
        (
            {"beneficiaries": [{"full_name": "A", "relation": "spouse", "share_percent": "60"}]},
            "beneficiaries",
        ),
        (
            {"beneficiaries": [{"full_name": "A", "relation": "friend", "share_percent": "100"}]},
            "beneficiaries[0].relation",
        ),
        (
            {"beneficiaries": [{"full_name": "", "relation": "child", "share_percent": "100"}]},
            "beneficiaries[0].full_name",
        ),
        (
            {"beneficiaries": [{"full_name": "A", "relation": "child", "share_percent": "-5"}]},
            "beneficiaries[0].share_percent",
        ),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(dave, alice, versions, overrides, field):
    with pytest.raises(ValidationFailed) as excinfo:
        issue(dave, alice, versions["harbour-term-life"], **overrides)
    assert excinfo.value.details["field"] == field
    assert not Policy.objects.exists()


def test_property_policies_name_no_beneficiaries(dave, alice, versions):
    with pytest.raises(ValidationFailed) as excinfo:
        issue(
            dave,
            alice,
            versions["harbour-home"],
            sum_insured=Decimal("900000"),
            term_years=1,
            rating_inputs={"building_value": "900000", "construction": "timber"},
            beneficiaries=[{"full_name": "A", "relation": "child", "share_percent": "100"}],
        )
    assert excinfo.value.details["field"] == "beneficiaries"


def test_a_version_not_yet_on_sale_cannot_be_issued(dave, alice, versions):
    version = versions["harbour-term-life"]
    version.effective_from = TODAY + dt.timedelta(days=30)
    version.save()
    with pytest.raises(ValidationFailed) as excinfo:
        issue(dave, alice, version)
    assert excinfo.value.details["field"] == "start_date"
