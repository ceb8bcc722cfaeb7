"""The knowledge base: write, review, publish, import and export articles.

Every change of wording is a new version (an `ArticleVersion` row); the answer index learns of
published changes after the commit (`knowledge.refresh`).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from django.db import transaction

from insuredesk.catalog.models import Product
from insuredesk.consultation import knowledge
from insuredesk.consultation.choices import ArticleStatus, Language
from insuredesk.consultation.models import ArticleVersion, KnowledgeArticle
from insuredesk.customers.roles import Role, has_role
from insuredesk.errors import InvalidTransition, NotPermitted, ValidationFailed

COLUMNS = ("id", "question", "answer", "language", "tags")
OPTIONAL_COLUMNS = ("products",)
MAX_ID = 100
MAX_QUESTION = 2000
MAX_ANSWER = 20000
_ID = re.compile(r"^[\w.:\-/]+$")


def _must_edit(actor) -> None:
    if actor is not None and not has_role(actor, Role.AGENT, Role.SUPERVISOR, Role.ADMINISTRATOR):
        raise NotPermitted("Only agents, supervisors and administrators edit the knowledge base.")


def _refresh_after_commit(article_ids: Iterable[int]) -> None:
    transaction.on_commit(partial(knowledge.refresh, article_ids=list(article_ids)))


def _snapshot(article: KnowledgeArticle, *, actor, now: datetime, note: str = "") -> None:
    ArticleVersion.objects.create(
        article=article,
        version=article.version,
        question=article.question,
        answer=article.answer,
        language=article.language,
        tags=article.tags,
        status=article.status,
        changed_by=actor,
        note=note[:200],
        created_at=now,
    )


# --- one article -----------------------------------------------------------------------------


@dataclass
class ArticleInput:
    """One article as given (by a form, the API or a row of an import file), checked."""

    external_id: str
    question: str
    answer: str
    language: str
    tags: list[str] = field(default_factory=list)
    products: list[str] = field(default_factory=list)


def check_article(
    *,
    external_id: str,
    question: str,
    answer: str,
    language: str,
    tags,
    products=(),
) -> ArticleInput:
    """Raise ValidationFailed naming the first bad field, else the cleaned article."""
    external_id = str(external_id or "").strip()
    if not external_id:
        raise ValidationFailed("The id is missing.", field="id")
    if len(external_id) > MAX_ID or not _ID.match(external_id):
        raise ValidationFailed(
            f"The id must be 1 to {MAX_ID} letters, digits or . : - _ /", field="id"
        )
    question = str(question or "").strip()
    answer = str(answer or "").strip()
    if len(question) > MAX_QUESTION:
        raise ValidationFailed(f"The question is over {MAX_QUESTION} characters.", field="question")
    if not answer:
        raise ValidationFailed("The answer is missing.", field="answer")
    if len(answer) > MAX_ANSWER:
        raise ValidationFailed(f"The answer is over {MAX_ANSWER} characters.", field="answer")
    language = str(language or "").strip()
    if language not in Language.values:
        raise ValidationFailed(
            f"The language must be one of {', '.join(Language.values)}.", field="language"
        )
    if isinstance(tags, str):
        tags = [t for t in re.split(r"[;|,]", tags)]
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ValidationFailed("Tags must be a list of words.", field="tags")
    tags = list(dict.fromkeys(t.strip() for t in tags if t.strip()))
    if isinstance(products, str):
        products = [p for p in re.split(r"[;|,]", products)]
    products = [str(p).strip() for p in products or () if str(p).strip()]
    return ArticleInput(external_id, question, answer, language, tags, products)


def _products(codes: list[str]) -> list[Product]:
    rows = list(Product.objects.filter(code__in=codes))
    unknown = sorted(set(codes) - {p.code for p in rows})
    if unknown:
        raise ValidationFailed(f"Unknown product {unknown[0]!r}.", field="products")
    return rows


def create_article(
    *,
    actor,
    now: datetime,
    external_id: str,
    answer: str,
    question: str = "",
    language: str = Language.EN,
    tags=(),
    products=(),  # Product rows or codes
    status: str = ArticleStatus.DRAFT,
    note: str = "",
    atomic: bool = True,
) -> KnowledgeArticle:
    """A new article, version 1 (a draft unless an import publishes it)."""
    _must_edit(actor)
    codes = [p.code if isinstance(p, Product) else p for p in products]
    data = check_article(
        external_id=external_id,
        question=question,
        answer=answer,
        language=language,
        tags=list(tags),
        products=codes,
    )
    if status not in ArticleStatus.values:
        raise ValidationFailed("Unknown status.", field="status")
    with transaction.atomic(durable=atomic):
        if KnowledgeArticle.objects.filter(external_id=data.external_id).exists():
            raise ValidationFailed(f"An article {data.external_id!r} exists already.", field="id")
        article = KnowledgeArticle.objects.create(
            external_id=data.external_id,
            question=data.question,
            answer=data.answer,
            language=data.language,
            tags=data.tags,
            status=status,
            author=actor,
            created_at=now,
            updated_at=now,
        )
        article.products.set(_products(data.products))
        _snapshot(article, actor=actor, now=now, note=note or "created")
        _refresh_after_commit([article.pk])
    return article


def update_article(
    *,
    article: KnowledgeArticle,
    actor,
    now: datetime,
    question: str,
    answer: str,
    language: str,
    tags,
    products=None,
    note: str = "",
) -> KnowledgeArticle:
    """New wording: a new version. A reviewed or published article goes back to draft for
    review, except that a published one stays published (and re-indexed) when edited by a
    supervisor or administrator."""
    _must_edit(actor)
    codes = (
        None if products is None else [p.code if isinstance(p, Product) else p for p in products]
    )
    data = check_article(
        external_id=article.external_id,
        question=question,
        answer=answer,
        language=language,
        tags=tags,
        products=codes or [],
    )
    with transaction.atomic(durable=True):
        changed = _apply(article, data)
        if changed:
            keep_published = article.status == ArticleStatus.PUBLISHED and has_role(
                actor, Role.SUPERVISOR, Role.ADMINISTRATOR
            )
            if not keep_published:
                article.status = ArticleStatus.DRAFT
                article.reviewer, article.reviewed_at = None, None
            article.version += 1
            article.updated_at = now
            article.save()
            _snapshot(article, actor=actor, now=now, note=note or "edited")
        if codes is not None:
            article.products.set(_products(codes))
        _refresh_after_commit([article.pk])
    return article


def _apply(article: KnowledgeArticle, data: ArticleInput) -> bool:
    changed = False
    for name in ("question", "answer", "language", "tags"):
        if getattr(article, name) != getattr(data, name):
            setattr(article, name, getattr(data, name))
            changed = True
    return changed


def review_article(*, article: KnowledgeArticle, actor, now: datetime) -> KnowledgeArticle:
    """A second person checks a draft (the author may not review their own wording)."""
    _must_edit(actor)
    if article.status != ArticleStatus.DRAFT:
        raise InvalidTransition("Only a draft can be reviewed.", status=article.status)
    if article.author_id is not None and article.author_id == actor.pk:
        raise NotPermitted("Someone other than the author must review the article.")
    with transaction.atomic(durable=True):
        moved = KnowledgeArticle.objects.filter(
            pk=article.pk, status=ArticleStatus.DRAFT, version=article.version
        ).update(status=ArticleStatus.REVIEWED, reviewer=actor, reviewed_at=now, updated_at=now)
        if not moved:
            raise InvalidTransition("The article changed meanwhile; reload it.")
        article.refresh_from_db()
        _snapshot(article, actor=actor, now=now, note="reviewed")
    return article


def publish_article(*, article: KnowledgeArticle, actor, now: datetime) -> KnowledgeArticle:
    """A reviewed article goes live: customers see it and the engine answers with it."""
    _must_edit(actor)
    if article.status != ArticleStatus.REVIEWED:
        raise InvalidTransition("Only a reviewed article can be published.", status=article.status)
    with transaction.atomic(durable=True):
        moved = KnowledgeArticle.objects.filter(
            pk=article.pk, status=ArticleStatus.REVIEWED
        ).update(status=ArticleStatus.PUBLISHED, updated_at=now)
        if not moved:
            raise InvalidTransition("The article changed meanwhile; reload it.")
        article.refresh_from_db()
        _snapshot(article, actor=actor, now=now, note="published")
        _refresh_after_commit([article.pk])
    return article


def withdraw_article(*, article: KnowledgeArticle, actor, now: datetime) -> KnowledgeArticle:
    """A published article goes back to draft and out of the answer index."""
    _must_edit(actor)
    with transaction.atomic(durable=True):
        KnowledgeArticle.objects.filter(pk=article.pk).update(
            status=ArticleStatus.DRAFT, reviewer=None, reviewed_at=None, updated_at=now
        )
        article.refresh_from_db()
        _snapshot(article, actor=actor, now=now, note="withdrawn")
        _refresh_after_commit([article.pk])
    return article


# --- import and export -----------------------------------------------------------------------


@dataclass
class RowError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.message}"


class ImportRejected(ValidationFailed):
    """The file has bad rows; nothing was imported. `errors` lists each with its line."""

    def __init__(self, errors: list[RowError]) -> None:
        first = errors[0]
        super().__init__(
            f"{len(errors)} bad row(s); nothing was imported. First: {first}",
            field="file",
            errors=[{"line": e.line, "field": e.field, "message": e.message} for e in errors],
        )
        self.errors = errors


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    article_ids: list[int] = field(default_factory=list)


def file_format(name: str) -> str:
    lowered = name.lower()
    if lowered.endswith(".csv"):
        return "csv"
    if lowered.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    raise ValidationFailed("The file must be .csv or .jsonl.", field="file")


def parse_articles(text: str, fmt: str) -> list[tuple[int, ArticleInput]]:
    """Every row of a CSV or JSONL file checked; ImportRejected lists all the bad ones."""
    errors: list[RowError] = []
    rows: list[tuple[int, dict]] = []
    rows = _csv_rows(text, errors) if fmt == "csv" else _jsonl_rows(text, errors)
    parsed: list[tuple[int, ArticleInput]] = []
    seen: dict[str, int] = {}
    for line, raw in rows:
        try:
            article = check_article(
                external_id=raw.get("id", ""),
                question=raw.get("question", ""),
                answer=raw.get("answer", ""),
                language=raw.get("language", ""),
                tags=raw.get("tags") or [],
                products=raw.get("products") or [],
            )
        except ValidationFailed as exc:
            errors.append(RowError(line, exc.details.get("field", ""), exc.message))
            continue
        if article.external_id in seen:
            errors.append(RowError(line, "id", f"duplicate of line {seen[article.external_id]}"))
            continue
        seen[article.external_id] = line
        parsed.append((line, article))
    codes = {code for _, a in parsed for code in a.products}
    known = set(Product.objects.filter(code__in=codes).values_list("code", flat=True))
    for line, article in parsed:
        for code in article.products:
            if code not in known:
                errors.append(RowError(line, "products", f"unknown product {code!r}"))
    if not parsed and not errors:
        errors.append(RowError(1, "file", "the file holds no articles"))
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e.line))
    return parsed


def _csv_rows(text: str, errors: list[RowError]) -> list[tuple[int, dict]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c not in COLUMNS + OPTIONAL_COLUMNS]
    if missing or unknown:
        what = f"missing column(s) {', '.join(missing)}" if missing else ""
        what += ("; " if what else "") + (
            f"unknown column(s) {', '.join(unknown)}" if unknown else ""
        )
        errors.append(RowError(1, "header", f"{what} (expected {', '.join(COLUMNS)})"))
        return []
    reader.fieldnames = header
    rows = []
    line = 2  # the line a record starts on; a quoted answer may span several lines
    try:
        for record in reader:
            if None in record:
                errors.append(RowError(line, "row", "more fields than columns"))
            elif any(v is None for v in record.values()):
                errors.append(RowError(line, "row", "fewer fields than columns"))
            else:
                rows.append((line, record))
            line = reader.line_num + 1
    except csv.Error as exc:
        errors.append(RowError(reader.line_num, "row", f"unreadable CSV: {exc}"))
    return rows


def _jsonl_rows(text: str, errors: list[RowError]) -> list[tuple[int, dict]]:
    rows = []
    for line, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as exc:
            errors.append(RowError(line, "row", f"not JSON: {exc.msg}"))
            continue
        if not isinstance(record, dict):
            errors.append(RowError(line, "row", "each line must be a JSON object"))
            continue
        unknown = [k for k in record if k not in COLUMNS + OPTIONAL_COLUMNS]
        if unknown:
            errors.append(RowError(line, unknown[0], "unknown field"))
            continue
        rows.append((line, record))
    return rows


def import_articles(
    *,
    text: str,
    fmt: str,
    actor,  # None for the command line
    now: datetime,
    status: str = ArticleStatus.PUBLISHED,
    refresh_index: bool = True,
) -> ImportResult:
    """Create or update (by id) every article of a file, all or nothing.

    Imported articles are published by default: an import is the insurer's own reviewed
    material (use status="draft" to review them one by one). A changed article gets a new version;
    an identical one is left alone. With `refresh_index`, the answer index learns the changes
    after the commit (the command line does it itself, with a progress bar).
    """
    _must_edit(actor)
    if status not in ArticleStatus.values:
        raise ValidationFailed("Unknown status.", field="status")
    parsed = parse_articles(text, fmt)
    result = ImportResult()
    with transaction.atomic(durable=True):
        ids = [a.external_id for _, a in parsed]
        existing = {
            a.external_id: a
            for a in KnowledgeArticle.objects.filter(external_id__in=ids).prefetch_related(
                "products"
            )
        }
        products = {p.code: p for p in Product.objects.all()}
        new: list[tuple[KnowledgeArticle, ArticleInput]] = []
        for _, data in parsed:
            article = existing.get(data.external_id)
            if article is None:
                new.append(
                    (
                        KnowledgeArticle(
                            external_id=data.external_id,
                            question=data.question,
                            answer=data.answer,
                            language=data.language,
                            tags=data.tags,
                            status=status,
                            author=actor,
                            created_at=now,
                            updated_at=now,
                        ),
                        data,
                    )
                )
                continue
            linked = sorted(p.code for p in article.products.all())
            if (
                not _apply(article, data)
                and linked == sorted(data.products)
                and (article.status == status)
            ):
                result.unchanged += 1
                continue
            article.version += 1
            article.status = status
            article.updated_at = now
            article.save()
            article.products.set([products[c] for c in data.products])
            _snapshot(article, actor=actor, now=now, note="imported")
            result.updated += 1
            result.article_ids.append(article.pk)
        created = KnowledgeArticle.objects.bulk_create([a for a, _ in new], batch_size=500)
        if created and created[0].pk is None:  # backends that do not return ids
            by_id = {
                a.external_id: a
                for a in KnowledgeArticle.objects.filter(
                    external_id__in=[a.external_id for a in created]
                )
            }
            created = [by_id[a.external_id] for a in created]
        ArticleVersion.objects.bulk_create(
            [
                ArticleVersion(
                    article=a,
                    version=1,
                    question=a.question,
                    answer=a.answer,
                    language=a.language,
                    tags=a.tags,
                    status=a.status,
                    changed_by=actor,
                    note="imported",
                    created_at=now,
                )
                for a in created
            ],
            batch_size=500,
        )
        links = KnowledgeArticle.products.through
        links.objects.bulk_create(
            [
                links(knowledgearticle_id=a.pk, product_id=products[code].pk)
                for a, (_, data) in zip(created, new, strict=True)
                for code in data.products
            ],
            batch_size=500,
        )
        result.created = len(created)
        result.article_ids += [a.pk for a in created]
        if refresh_index and result.article_ids:
            _refresh_after_commit(result.article_ids)
    return result


def export_articles(*, fmt: str, articles=None) -> str:
    """The knowledge base as CSV or JSONL in the import format (re-importable as is)."""
    articles = (
        articles
        if articles is not None
        else KnowledgeArticle.objects.prefetch_related("products").order_by("external_id")
    )
    records = []
    for a in articles:
        record = {
            "id": a.external_id,
            "question": a.question,
            "answer": a.answer,
            "language": a.language,
            "tags": a.tags,
        }
        codes = sorted(p.code for p in a.products.all())
        if codes:
            record["products"] = codes
        records.append(record)
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=[*COLUMNS, *OPTIONAL_COLUMNS], lineterminator="\n")
    writer.writeheader()
    for r in records:
        writer.writerow(
            {**r, "tags": ";".join(r["tags"]), "products": ";".join(r.get("products", []))}
        )
    return out.getvalue()
