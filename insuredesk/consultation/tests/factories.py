"""Builders for the consultation tests: plain functions, small knowledge bases."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from insuredesk.consultation.choices import ArticleStatus
from insuredesk.consultation.models import KnowledgeArticle, Lecture

ARTICLES = [
    (
        "cooling-off",
        "Can I cancel my policy after buying it?",
        "Yes. Within the 15-day cooling-off period you may cancel and get the premium back.",
    ),
    (
        "claim-how",
        "How do I report a claim?",
        "Report it in the portal or by phone within 48 hours, with photos and receipts.",
    ),
    (
        "premium-grace",
        "What happens if I pay my premium late?",
        "You have a 60-day grace period; the cover continues during it.",
    ),
    (
        "beneficiary",
        "How do I change the beneficiary of my life policy?",
        "Send us the change form signed by the policyholder; the insured must agree in writing.",
    ),
    ("zh-claim", "怎么报案？", "请在出险后48小时内通过客户门户或电话报案，并准备照片和发票。"),  # noqa: RUF001
]


def make_article(
    external_id: str,
    question: str,
    answer: str,
    *,
    language: str = "en",
    status: str = ArticleStatus.PUBLISHED,
    products=(),
) -> KnowledgeArticle:
    now = timezone.now()
    article = KnowledgeArticle.objects.create(
        external_id=external_id,
        question=question,
        answer=answer,
        language=language,
        status=status,
        created_at=now,
        updated_at=now,
    )
    if products:
        article.products.set(products)
    return article


def make_knowledge_base() -> list[KnowledgeArticle]:
    return [
        make_article(i, q, a, language="zh" if i.startswith("zh-") else "en")
        for i, q, a in ARTICLES
    ]


def make_lecture(
    *, capacity: int = 2, starts_in: dt.timedelta = dt.timedelta(days=3), creator=None
) -> Lecture:
    now = timezone.now()
    return Lecture.objects.create(
        title="Insurance for young families",
        topic="Life and health",
        speaker="Dr. Lin",
        starts_at=now + starts_in,
        venue="Harbour Centre, Room 2",
        capacity=capacity,
        created_by=creator,
        created_at=now,
    )
