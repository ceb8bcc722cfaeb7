"""The answer engine cites a customer only the clauses of products sold where they live: a
clause written under another country's law would tell them rights they do not have."""

import pytest
from django.utils import timezone

from insuredesk.consultation import knowledge, services
from insuredesk.consultation.models import MessageSource
from insuredesk.tests import factories

pytestmark = pytest.mark.django_db

FLOOD = "Does my home insurance pay when a pipe bursts and floods the kitchen?"


def markets_of(found) -> set[str]:
    return {f.clause.product_version.product.market for f in found if f.clause is not None}


def test_without_a_market_the_engine_searches_every_markets_clauses(demo_knowledge_base):
    answered = knowledge.search(FLOOD, language="en", limit=20)

    assert {"CN", "GB"} <= markets_of(answered.found)


@pytest.mark.parametrize("market", ["CN", "GB", "US-CA"])
def test_with_a_market_only_its_products_clauses_are_found(demo_knowledge_base, market):
    answered = knowledge.search(FLOOD, language="en", limit=10, market=market)

    assert answered.found
    assert markets_of(answered.found) == {market}


def test_a_customer_in_gb_is_cited_only_uk_clauses(demo_knowledge_base):
    oliver = factories.make_customer("oliver", full_name="Oliver Grey", jurisdiction="GB")

    asked = services.ask_question(actor=oliver.user, question=FLOOD, now=timezone.now())

    sources = MessageSource.objects.filter(message__consultation=asked.consultation)
    clauses = [s.clause for s in sources if s.clause is not None]
    assert clauses
    assert {c.product_version.product.market for c in clauses} == {"GB"}


def test_kb_search_takes_a_market_and_names_a_bad_one(client, demo_knowledge_base):
    uk = client.post(
        "/api/v1/kb/search",
        {"query": FLOOD, "language": "en", "limit": 10, "market": "GB"},
        content_type="application/json",
    )
    bad = client.post(
        "/api/v1/kb/search",
        {"query": FLOOD, "market": "Narnia"},
        content_type="application/json",
    )

    clause_ids = [r["id"] for r in uk.json()["results"] if r["kind"] == "clause"]
    assert clause_ids
    assert all(i.split(":")[1] in ("harbour-home-uk", "harbour-motor-uk") for i in clause_ids)
    assert bad.status_code == 422
    assert bad.json()["error"]["details"]["field"] == "market"
