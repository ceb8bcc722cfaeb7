"""Products belong to a market: written under its law, priced in its currency, sold to its
customers only. A customer in one jurisdiction can read another market's products but cannot buy
them, and the answer engine cites them only the clauses of their own market's products."""

import copy
import datetime as dt
import html
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from insuredesk.catalog.loading import demo_files, load_product, read_file
from insuredesk.catalog.models import Product
from insuredesk.customers.models import CustomerProfile
from insuredesk.errors import ValidationFailed
from insuredesk.policies.services import issue_policy
from insuredesk.policies.services.cooling_off import cooling_off_period
from insuredesk.rules.registry import get_profile
from insuredesk.sales import services as sales
from insuredesk.sales.models import Application
from insuredesk.sales.questions import questions_for
from insuredesk.tests import factories

pytestmark = pytest.mark.django_db

MARKETS = {
    "harbour-term-life": "CN",
    "harbour-critical-illness": "CN",
    "harbour-motor": "CN",
    "harbour-home": "CN",
    "harbour-home-uk": "GB",
    "harbour-motor-uk": "GB",
    "harbour-life-uk": "GB",
    "harbour-critical-illness-uk": "GB",
    "harbour-auto-ca": "US-CA",
    "harbour-home-ca": "US-CA",
}
UK_SHELF = {
    "Harbour Home Insurance (UK)",
    "Harbour Motor Insurance (UK)",
    "Harbour Life Cover (UK)",
    "Harbour Critical Illness Cover (UK)",
}
GB_HOME_INPUTS = {
    "building_value": "300000",
    "construction": "brick_concrete",
    "contents_value": "30000",
}


def demo_file(code: str) -> dict:
    return next(d for d in map(read_file, demo_files()) if d["product"]["code"] == code)


@pytest.fixture
def oliver(db) -> CustomerProfile:
    return factories.make_customer("oliver", full_name="Oliver Grey", jurisdiction="GB")


def test_each_demo_product_is_sold_in_one_market_and_priced_in_its_currency(catalogue):
    products = {p.code: p for p in Product.objects.prefetch_related("versions")}

    assert {code: p.market for code, p in products.items()} == MARKETS
    for product in products.values():
        currency = get_profile(product.market).currency
        assert {v.currency for v in product.versions.all()} == {currency}, product.code


def test_gb_and_california_wordings_cite_their_own_law_not_chinas(catalogue):
    for code, market in MARKETS.items():
        if market == "CN":
            continue
        version = catalogue[code]
        wording = " ".join(c.text + c.explanation for c in version.clauses.all())
        assert "Insurance Law Art" not in wording, code
        assert version.clauses.filter(kind="exemption", must_be_explained=True).count() >= 3
    uk_home = " ".join(c.text for c in catalogue["harbour-home-uk"].clauses.all())
    assert "Financial Ombudsman Service" in uk_home
    assert "Consumer Insurance (Disclosure and Representations) Act 2012" in uk_home
    ca_auto = " ".join(c.text for c in catalogue["harbour-auto-ca"].clauses.all())
    assert "Department of Insurance" in ca_auto
    assert "2695.7" in ca_auto  # 10 CCR 2695.7: accept or deny within 40 days (CA-05)


def test_a_file_without_a_market_is_chinese_and_an_unknown_market_is_named():
    data = demo_file("harbour-home")
    del data["product"]["market"]
    load_product(data)
    assert Product.objects.get(code="harbour-home").market == "CN"

    data["product"]["code"] = "elsewhere-home"
    data["product"]["market"] = "FR"
    with pytest.raises(ValidationFailed) as raised:
        load_product(data)
    assert raised.value.details["field"] == "product.market"
    assert not Product.objects.filter(code="elsewhere-home").exists()


def test_a_version_priced_in_another_currency_than_its_markets_is_refused():
    data = copy.deepcopy(demo_file("harbour-home-uk"))
    data["versions"][0]["currency"] = "CNY"
    with pytest.raises(ValidationFailed) as raised:
        load_product(data)
    assert raised.value.details["field"] == "versions[0].currency"
    assert "GBP" in raised.value.message
    assert not Product.objects.filter(code="harbour-home-uk").exists()


# -- the catalogue pages and the API --------------------------------------------------------------


def names_on(response) -> set[str]:
    page = response.content.decode()
    return {p.name for p in Product.objects.all() if f">{p.name}</a>" in page}


def test_visitors_see_the_default_market_and_may_switch(client, catalogue):
    shelf = client.get(reverse("portal:products"))
    uk = client.get(reverse("portal:products"), {"market": "GB"})
    landing = client.get("/", {"market": "US-CA"})

    assert names_on(shelf) == {p.name for p in Product.objects.filter(market="CN")}
    assert names_on(uk) == UK_SHELF
    assert "GBP" in uk.content.decode()
    assert names_on(landing) == {p.name for p in Product.objects.filter(market="US-CA")}
    assert client.get(reverse("portal:products"), {"market": "XX"}).status_code == 404


def test_a_customer_sees_their_own_markets_products_and_cannot_apply_for_others(
    client, catalogue, oliver
):
    client.force_login(oliver.user)
    shelf = client.get(reverse("portal:products"))
    chinese = client.get(reverse("portal:product", args=["harbour-home"]))
    british = client.get(reverse("portal:product", args=["harbour-home-uk"]))

    assert names_on(shelf) == UK_SHELF
    assert chinese.status_code == 200
    assert "Only customers whose home jurisdiction is People's Republic of China" in html.unescape(
        chinese.content.decode()
    )
    assert reverse("portal:apply", args=["harbour-home"]) not in chinese.content.decode()
    assert reverse("portal:apply", args=["harbour-home-uk"]) in british.content.decode()
    assert client.get(reverse("portal:apply", args=["harbour-home"])).status_code == 404
    assert client.get(reverse("portal:apply", args=["harbour-home-uk"])).status_code == 200


def test_the_products_api_filters_by_market_and_names_a_bad_one(client, catalogue):
    uk = client.get("/api/v1/products", {"market": "GB"}).json()
    bad = client.get("/api/v1/products", {"market": "Mars"})
    detail = client.get("/api/v1/products/harbour-auto-ca").json()

    assert {p["code"] for p in uk["items"]} == {c for c, m in MARKETS.items() if m == "GB"}
    assert {p["market"] for p in uk["items"]} == {"GB"}
    assert bad.status_code == 422
    assert bad.json()["error"]["details"]["field"] == "market"
    assert detail["market"] == "US-CA"
    assert detail["current_version"]["currency"] == "USD"


# -- selling ----------------------------------------------------------------------------------


def apply_for_home(actor, applicant, product, **inputs):
    return sales.submit_application(
        actor=actor,
        applicant=applicant,
        channel="phone",
        product=product,
        insured_name=applicant.full_name,
        insured_date_of_birth=dt.date(1980, 3, 3),
        sum_insured="330000",
        term_years=1,
        rating_inputs=inputs or GB_HOME_INPUTS,
        start_date=dt.date(2026, 3, 2),
        declarations={q.code: {"answer": False} for q in questions_for("home")},
        now=dt.datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Europe/London")),
    )


def test_a_gb_customer_cannot_apply_for_a_chinese_product_and_nothing_is_written(
    catalogue, oliver, dave
):
    inputs = {"building_value": "330000", "construction": "brick_concrete"}
    with pytest.raises(ValidationFailed) as raised:
        apply_for_home(dave, oliver, "harbour-home", **inputs)

    assert raised.value.details["field"] == "product"
    assert "China" in raised.value.message
    assert not Application.objects.exists()


def test_a_gb_customer_buys_uk_home_cover_in_pounds_with_the_fca_cancellation_period(
    catalogue, oliver, dave
):
    application = apply_for_home(dave, oliver, "harbour-home-uk")
    policy = sales.accept_offer(
        actor=dave,
        application=application,
        now=dt.datetime(2026, 3, 2, 11, 0, tzinfo=ZoneInfo("Europe/London")),
    )

    assert policy.currency == "GBP"
    assert policy.jurisdiction == "GB"
    period = cooling_off_period(policy)
    assert period.rule == "GB-01.other"  # ICOBS 7.1.1R: 14 days for general insurance
    assert period.ends_on - period.received_on == dt.timedelta(days=14)


def test_uk_life_cover_is_pure_protection_with_30_days_to_cancel_gb_01(catalogue, oliver, dave):
    application = sales.submit_application(
        actor=dave,
        applicant=oliver,
        channel="phone",
        product="harbour-life-uk",
        insured_name=oliver.full_name,
        insured_date_of_birth=dt.date(1990, 3, 3),
        sum_insured="250000",
        term_years=20,
        rating_inputs={},
        start_date=dt.date(2026, 3, 2),
        declarations={q.code: {"answer": False} for q in questions_for("term_life")},
        beneficiaries=[{"full_name": "Ada Grey", "relation": "spouse", "share_percent": "100"}],
        now=dt.datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Europe/London")),
    )
    policy = sales.accept_offer(
        actor=dave,
        application=application,
        now=dt.datetime(2026, 3, 2, 11, 0, tzinfo=ZoneInfo("Europe/London")),
    )

    # Age 35: 250,000 / 1,000 x 0.65 (the 35-39 band, 20 years) = 162.50, plus the 30.00 fee.
    assert (policy.currency, application.quoted_premium) == ("GBP", Decimal("192.50"))
    period = cooling_off_period(policy)
    assert period.rule == "GB-01"  # ICOBS 7.1.1R: 30 days for a pure protection contract
    assert period.ends_on - period.received_on == dt.timedelta(days=30)


def test_issuing_refuses_a_product_of_another_market(catalogue, oliver, dave):
    with pytest.raises(ValidationFailed) as raised:
        issue_policy(
            actor=dave,
            product_version=catalogue["harbour-auto-ca"],
            policyholder=oliver,
            insured_name=oliver.full_name,
            insured_date_of_birth=oliver.date_of_birth,
            sum_insured=Decimal("20000"),
            term_years=1,
            rating_inputs={"vehicle_value": "20000", "driver_age": 40},
            start_date=dt.date(2026, 3, 2),
            now=dt.datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Europe/London")),
        )
    assert raised.value.details["field"] == "product_version"
    assert not oliver.policies.exists()


def test_the_console_offers_staff_only_the_customers_markets_products(
    client, catalogue, oliver, dave
):
    client.force_login(dave)
    page = client.get(reverse("console:customer-applications", args=[oliver.number]))

    listed = page.content.decode()
    assert reverse("console:apply", args=[oliver.number, "harbour-home-uk"]) in listed
    assert reverse("console:apply", args=[oliver.number, "harbour-home"]) not in listed
    refused = client.get(reverse("console:apply", args=[oliver.number, "harbour-motor"]))
    assert refused.status_code == 404


# -- signing up -------------------------------------------------------------------------------


def test_a_visitor_says_where_they_live_when_signing_up(client, catalogue):
    fields = {
        "username": "gwen",
        "full_name": "Gwen Hughes",
        "email": "gwen@example.com",
        "password": "a long enough passphrase",
        "password_again": "a long enough passphrase",
    }
    bad = client.post(reverse("register"), {**fields, "jurisdiction": "Atlantis"})
    good = client.post(reverse("register"), {**fields, "jurisdiction": "GB"})

    assert bad.status_code == 200
    assert "jurisdiction" in bad.context["form"].errors
    assert good.status_code == 302
    assert CustomerProfile.objects.get(full_name="Gwen Hughes").jurisdiction == "GB"
    shelf = client.get(reverse("portal:products"))
    assert names_on(shelf) == UK_SHELF


def test_an_administrator_cannot_give_a_product_an_unknown_market(admin_client, catalogue):
    product = Product.objects.get(code="harbour-home-uk")
    listing = admin_client.get("/admin/catalog/product/", {"market": "GB"})
    form = admin_client.get(f"/admin/catalog/product/{product.pk}/change/").context["adminform"]
    data = {
        **{k: v for k, v in form.form.initial.items() if v is not None},
        "market": "Atlantis",
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": "0",
    }
    refused = admin_client.post(f"/admin/catalog/product/{product.pk}/change/", data)

    assert "Harbour Home Insurance (UK)" in listing.content.decode()
    assert "Harbour Home Property" not in listing.content.decode()
    assert refused.status_code == 200
    assert "market" in refused.context["adminform"].form.errors
    product.refresh_from_db()
    assert product.market == "GB"


def test_the_product_shelves_read_a_bounded_number_of_queries(
    client, catalogue, oliver, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1):  # the products of one market; none per product
        assert client.get("/", {"market": "GB"}).status_code == 200
    client.force_login(oliver.user)
    with django_assert_max_num_queries(5):  # + session, user, roles, customer
        shelf = client.get(reverse("portal:products"))
    assert names_on(shelf) == UK_SHELF
