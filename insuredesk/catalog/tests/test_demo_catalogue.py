"""The demo catalogue meets the Foundation issue's minimums and its tables rate sensibly."""

import re
from decimal import Decimal

import pytest

from insuredesk.catalog.choices import ClauseKind, Line
from insuredesk.catalog.models import Product
from insuredesk.catalog.rating import quote_for

pytestmark = pytest.mark.django_db


def test_china_and_the_uk_have_a_product_per_line_and_california_motor_and_home(catalogue):
    lines = {
        market: sorted(Product.objects.filter(market=market).values_list("line", flat=True))
        for market in ("CN", "GB", "US-CA")
    }
    assert lines == {
        "CN": sorted(Line.values),
        "GB": sorted(Line.values),
        "US-CA": [Line.HOME, Line.MOTOR],
    }
    currencies = {"CN": "CNY", "GB": "GBP", "US-CA": "USD"}
    for version in catalogue.values():
        assert version.currency == currencies[version.product.market]
        assert version.effective_from.isoformat() == "2024-01-01"


def test_every_product_has_ten_clauses_and_three_explained_exemption_clauses_il_17(catalogue):
    for code, version in catalogue.items():
        clauses = list(version.clauses.all())
        exemptions = [c for c in clauses if c.kind == ClauseKind.EXEMPTION]
        assert len(clauses) >= 10, code
        assert len(exemptions) >= 3, code
        for clause in exemptions:
            assert clause.must_be_explained, clause
            assert len(clause.explanation) > 40, clause
            assert len(clause.legal_consequence) > 20, clause
        kinds = {c.kind for c in clauses}
        assert {ClauseKind.DEFINITION, ClauseKind.COVERAGE, ClauseKind.OBLIGATION} <= kinds, code


def test_every_product_prints_its_complaint_channels_and_cooling_off_cn_32(catalogue):
    # CN-32: the complaint channels on the policy; the cooling-off period each market's law or
    # our own promise gives: 15 days in China, in the UK 30 for pure protection (life and
    # critical illness) and 14 for general insurance (GB-01, ICOBS 7.1.1R), 10 in California
    # (no statute for motor or home: the contract's own).
    days = {"CN": ("fifteen days", 15), "GB": ("14 days", 14), "US-CA": ("10 days", 10)}
    protection = (Line.TERM_LIFE, Line.CRITICAL_ILLNESS)
    for code, version in catalogue.items():
        wording = " ".join(c.text for c in version.clauses.all())
        words, number = days[version.product.market]
        if version.product.market == "GB" and version.product.line in protection:
            words, number = "30 days", 30
        assert "complaints@harbour-mutual.example" in wording, code
        assert words in wording, code
        assert version.cooling_off_days == number, code


def test_life_and_health_products_state_the_60_day_grace_period_il_36(catalogue):
    for code in ("harbour-term-life", "harbour-critical-illness"):
        wording = " ".join(c.text for c in catalogue[code].clauses.all())
        assert "sixty days" in wording
        assert re.search(r"Insurance Law Arts?\. 36", wording)


def test_coverages_carry_loss_types_documents_and_the_critical_illness_waiting_period(catalogue):
    loss_types = set()
    for version in catalogue.values():
        for coverage in version.coverages.all():
            assert coverage.required_documents, coverage
            assert all({"code", "name"} <= set(d) for d in coverage.required_documents)
            loss_types.update(coverage.loss_types)
    assert {
        "death",
        "critical_illness_diagnosis",
        "collision",
        "theft",
        "third_party_liability",
        "fire",
        "water_damage",
        "burglary",
        "storm",
    } <= loss_types
    ci = catalogue["harbour-critical-illness"].coverages.get(code="critical_illness")
    assert ci.waiting_period_days == 90


def test_every_demo_rating_table_quotes_a_typical_risk(catalogue):
    typical = {
        "harbour-term-life": ("1000000", 20, {"age": 35}),
        "harbour-critical-illness": ("300000", 20, {"age": 38}),
        "harbour-motor": ("250000", 1, {"vehicle_value": "250000", "driver_age": 42}),
        "harbour-home": ("900000", 1, {"building_value": "900000", "construction": "timber"}),
    }
    for code, (sum_insured, term, inputs) in typical.items():
        quote = quote_for(catalogue[code], sum_insured=sum_insured, term_years=term, inputs=inputs)
        assert Decimal("100") < quote.annual_premium < Decimal("20000"), code
