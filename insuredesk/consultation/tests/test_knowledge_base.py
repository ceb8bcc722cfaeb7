"""The knowledge base: import/export (all or nothing, re-import by id), versions, search."""

import json

import pytest
from django.utils import timezone

from insuredesk.consultation import knowledge, services
from insuredesk.consultation.choices import ArticleStatus
from insuredesk.consultation.models import ArticleVersion, KnowledgeArticle
from insuredesk.consultation.services.knowledge import parse_articles

pytestmark = pytest.mark.django_db

GOOD_CSV = (
    "id,question,answer,language,tags\n"
    "faq-1,How do I claim?,Report it in the portal within 48 hours.,en,claims;how-to\n"
    'faq-2,,"A plain reference passage,\nover two lines.",en,\n'
    "faq-3,怎么退保？,在犹豫期内退保可全额退还保费。,zh,退保\n"  # noqa: RUF001
)


def test_a_clean_csv_imports_every_article_published_with_version_one(dave):
    result = services.import_articles(text=GOOD_CSV, fmt="csv", actor=dave, now=timezone.now())
    assert (result.created, result.updated) == (3, 0)
    plain = KnowledgeArticle.objects.get(external_id="faq-2")
    assert plain.question == "" and "two lines" in plain.answer
    assert KnowledgeArticle.objects.get(external_id="faq-1").tags == ["claims", "how-to"]
    assert set(KnowledgeArticle.objects.values_list("status", flat=True)) == {"published"}
    assert ArticleVersion.objects.filter(version=1).count() == 3


def test_a_malformed_file_reports_each_bad_row_with_its_line_and_imports_nothing(dave):
    text = (
        "id,question,answer,language,tags\n"
        "ok-1,Fine?,Yes.,en,\n"
        ",No id here,Answer.,en,\n"  # line 3: no id
        'ok-2,"Quoted\nacross lines",,en,\n'  # line 4 (spans 5): no answer
        "ok-3,Language?,Answer.,fr,\n"  # line 6: bad language
        "ok-1,Again?,Dup.,en,\n"  # line 7: duplicate id
    )
    with pytest.raises(services.ImportRejected) as raised:
        services.import_articles(text=text, fmt="csv", actor=dave, now=timezone.now())
    lines = [(e.line, e.field) for e in raised.value.errors]
    assert lines == [(3, "id"), (4, "answer"), (6, "language"), (7, "id")]
    assert raised.value.details["field"] == "file"
    assert not KnowledgeArticle.objects.exists()


def test_a_csv_with_a_wrong_header_is_refused_at_line_one(dave):
    with pytest.raises(services.ImportRejected) as raised:
        services.import_articles(text="id,answer\nx,y\n", fmt="csv", actor=dave, now=timezone.now())
    assert raised.value.errors[0].line == 1


def test_jsonl_errors_name_their_lines(db):
    text = "\n".join(
        [
            json.dumps({"id": "a", "question": "Q", "answer": "A", "language": "en", "tags": []}),
            "{not json",
            json.dumps({"id": "b", "answer": "A", "language": "en", "tags": "x", "colour": "red"}),
            json.dumps(["a", "list"]),
        ]
    )
    with pytest.raises(services.ImportRejected) as raised:
        parse_articles(text, "jsonl")
    assert [(e.line, e.field) for e in raised.value.errors] == [
        (2, "row"),
        (3, "colour"),
        (4, "row"),
    ]


def test_reimporting_updates_articles_by_id_with_a_new_version(dave):
    services.import_articles(text=GOOD_CSV, fmt="csv", actor=dave, now=timezone.now())
    changed = GOOD_CSV.replace("within 48 hours", "within 24 hours")
    result = services.import_articles(text=changed, fmt="csv", actor=dave, now=timezone.now())
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    article = KnowledgeArticle.objects.get(external_id="faq-1")
    assert article.version == 2 and "24 hours" in article.answer
    assert list(article.history.values_list("version", flat=True)) == [2, 1]
    assert KnowledgeArticle.objects.count() == 3


def test_export_reimports_to_the_same_articles(dave, tmp_path):
    services.import_articles(text=GOOD_CSV, fmt="csv", actor=dave, now=timezone.now())
    for fmt in ("csv", "jsonl"):
        exported = services.export_articles(fmt=fmt)
        result = services.import_articles(text=exported, fmt=fmt, actor=dave, now=timezone.now())
        assert (result.created, result.updated, result.unchanged) == (0, 0, 3)


def test_a_customer_cannot_import(alice):
    from insuredesk.errors import NotPermitted

    with pytest.raises(NotPermitted):
        services.import_articles(text=GOOD_CSV, fmt="csv", actor=alice.user, now=timezone.now())


def test_an_edited_article_is_a_new_version_and_goes_back_to_review(dave, carol):
    article = services.create_article(
        actor=dave, now=timezone.now(), external_id="kb-1", question="Q?", answer="First answer."
    )
    services.review_article(article=article, actor=carol, now=timezone.now())
    services.update_article(
        article=article,
        actor=dave,
        now=timezone.now(),
        question="Q?",
        answer="Better answer.",
        language="en",
        tags=["x"],
    )
    article.refresh_from_db()
    assert (article.version, article.status) == (2, ArticleStatus.DRAFT)


def test_search_returns_articles_under_their_own_ids_and_clauses_by_ref(dave):
    services.import_articles(text=GOOD_CSV, fmt="csv", actor=dave, now=timezone.now())
    found = knowledge.search("how can I make a claim", language="en", limit=3)
    assert found.found[0].id == "faq-1"
    zh = knowledge.search("我想退保", language="zh", limit=3)
    assert zh.found[0].id == "faq-3"


def test_the_index_follows_published_changes_after_commit(
    dave, carol, django_capture_on_commit_callbacks
):
    knowledge.get_index()  # built while the knowledge base is empty
    with django_capture_on_commit_callbacks(execute=True):
        article = services.create_article(
            actor=dave,
            now=timezone.now(),
            external_id="pets",
            question="Do you insure pets?",
            answer="Not yet; pet cover comes next year.",
        )
        services.review_article(article=article, actor=carol, now=timezone.now())
        services.publish_article(article=article, actor=carol, now=timezone.now())
    assert "article:pets" in knowledge.get_index()
    knowledge.reset_index()  # another process loads what was saved
    assert "article:pets" in knowledge.get_index()
