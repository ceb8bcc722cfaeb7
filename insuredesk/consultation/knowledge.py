"""The knowledge the answer engine searches: published articles and every product clause.

The index (`engine.index.AnswerIndex`) lives in memory, one per process, loaded lazily from
`<DATA_DIR>/answer-index` (or built from the database when there is none) and kept current:
services call `refresh()` after their transaction commits, and a process notices an index that
another process saved (e.g. `insuredesk kb import`) by its modification time and reloads it.

Passage ids: `article:<external id>` for articles, `clause:<product>:<version>:<number>` for
clauses (the clause wording, its plain-language explanation and its consequence).
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from insuredesk.catalog.models import Clause, ProductVersion
from insuredesk.consultation.choices import ArticleStatus
from insuredesk.consultation.models import KnowledgeArticle

logger = logging.getLogger(__name__)

ARTICLE_PREFIX = "article:"
CLAUSE_PREFIX = "clause:"
DEFAULT_AUTO_ANSWER_CONFIDENCE = 0.6

# Calibration of the confidence that decides automatic answers (see `calibrated_confidence`),
# measured on the demo knowledge base with the questions in tests/answer_questions.py.
# The blend of cosine and scaled BM25 for the insurer's own knowledge base. The calibration
# below was measured at this weight on the demo questions; the engine's own default is tuned
# for InsuranceQA's 27,413 answers and may move without moving this.
KNOWLEDGE_SEMANTIC_WEIGHT = 0.7
CALIBRATION_CENTRE = 0.62  # fused score at which a best hit is as likely right as not
CALIBRATION_SLOPE = 25.0  # 0.60 -> 0.38, 0.62 -> 0.50, 0.64 -> 0.62, 0.66 -> 0.73, 0.70 -> 0.88

_lock = threading.RLock()
_encoders = None  # (passage encoder, question encoder), loaded once per process
_index = None
_index_mtime: float | None = None


# --- settings --------------------------------------------------------------------------------


def index_dir() -> Path:
    configured = settings.INSUREDESK.get("ANSWER_INDEX_DIR")
    return Path(configured) if configured else Path(settings.DATA_DIR) / "answer-index"


def model_dir() -> Path | None:
    """Fine-tuned weights saved by `insuredesk kb train`, if any (else the packaged model)."""
    configured = settings.INSUREDESK.get("ANSWER_MODEL_DIR")
    path = Path(configured) if configured else Path(settings.DATA_DIR) / "answer-model"
    return path if (path / "model.safetensors").is_file() else None


def auto_answer_confidence() -> float:
    """Above this confidence the engine's best answer is shown at once, marked automatic."""
    return float(settings.INSUREDESK.get("AUTO_ANSWER_CONFIDENCE", DEFAULT_AUTO_ANSWER_CONFIDENCE))


# --- passages --------------------------------------------------------------------------------


def clause_ref(clause: Clause) -> str:
    version = clause.product_version
    return f"{CLAUSE_PREFIX}{version.product.code}:{version.version}:{clause.number}"


def clause_passage_text(clause: Clause) -> str:
    parts = [f"{clause.number} {clause.title}", clause.text, clause.explanation]
    if clause.legal_consequence:
        parts.append(clause.legal_consequence)
    return "\n".join(p for p in parts if p)


def article_passages(articles: Iterable[KnowledgeArticle]):
    from insuredesk.consultation.engine.index import Passage

    for article in articles:
        yield Passage(id=article.passage_id, text=article.passage_text(), language=article.language)


def clause_passages():
    from insuredesk.consultation.engine.index import Passage

    # The catalogue's wordings are English; clause passages answer English questions.
    for clause in Clause.objects.select_related("product_version__product").iterator():
        yield Passage(id=clause_ref(clause), text=clause_passage_text(clause), language="en")


def all_passages():
    published = KnowledgeArticle.objects.filter(status=ArticleStatus.PUBLISHED)
    yield from article_passages(published.iterator())
    yield from clause_passages()


# --- the index, one per process --------------------------------------------------------------


def encoders():
    global _encoders
    with _lock:
        if _encoders is None:
            from insuredesk.consultation.engine.encoder import load_encoders

            _encoders = load_encoders(model_dir())
        return _encoders


def set_encoders(passage_encoder, question_encoder=None) -> None:
    """Use these encoders from now on (tests share one; `kb train` installs new weights)."""
    global _encoders
    with _lock:
        _encoders = (passage_encoder, question_encoder or passage_encoder)
        reset_index()


def reset_index() -> None:
    """Forget the in-memory index; the next search loads or builds it again."""
    global _index, _index_mtime
    with _lock:
        _index = None
        _index_mtime = None


def _saved_mtime(directory: Path) -> float | None:
    try:
        return (directory / "meta.json").stat().st_mtime
    except FileNotFoundError:
        return None


def get_index(*, progress: bool = False):
    """The process's answer index: loaded from disk, or built from the database the first time."""
    global _index, _index_mtime
    from insuredesk.consultation.engine.index import AnswerIndex

    directory = index_dir()
    with _lock:
        saved = _saved_mtime(directory)
        if _index is not None and saved == _index_mtime:
            return _index
        passage_encoder, question_encoder = encoders()
        if saved is not None:
            try:
                _index = AnswerIndex.load(
                    directory, passage_encoder, query_encoder=question_encoder, progress=progress
                )
                _index_mtime = saved
                return _index
            except (OSError, ValueError, KeyError):
                logger.exception("The answer index in %s is unreadable; rebuilding it", directory)
        return _rebuild(progress=progress)


def rebuild_index(*, progress: bool = False):
    """Embed every published article and every clause again and save the index."""
    with _lock:
        encoders()
        return _rebuild(progress=progress)


def _rebuild(*, progress: bool):
    global _index, _index_mtime
    from insuredesk.consultation.engine.index import AnswerIndex

    passage_encoder, question_encoder = encoders()
    index = AnswerIndex.build(
        list(all_passages()),
        passage_encoder,
        query_encoder=question_encoder,
        progress=progress,
        semantic_weight=KNOWLEDGE_SEMANTIC_WEIGHT,
    )
    _save(index)
    _index = index
    return index


def _save(index) -> None:
    global _index_mtime
    directory = index_dir()
    index.save(directory)
    _index_mtime = _saved_mtime(directory)


def refresh(
    *,
    article_ids: Iterable[int] = (),
    removed_refs: Iterable[str] = (),
    clauses: bool = False,
    progress: bool = False,
) -> None:
    """Bring changed articles (by row id) into the index, drop removed passages, and save.

    Unpublished articles among `article_ids` are dropped. Called after the commit of the
    service that changed them, so the index never holds what the database rolled back.
    """
    with _lock:
        index = get_index(progress=progress)
        rows = list(KnowledgeArticle.objects.filter(pk__in=list(article_ids)))
        published = [a for a in rows if a.status == ArticleStatus.PUBLISHED]
        gone = [a.passage_id for a in rows if a.status != ArticleStatus.PUBLISHED]
        gone += list(removed_refs)
        if gone:
            index.remove(gone)
        if published:
            index.upsert(article_passages(published), progress=progress)
        if clauses:
            index.upsert(clause_passages(), progress=progress)
        if gone or published or clauses:
            _save(index)


# --- search ----------------------------------------------------------------------------------


@dataclass
class Found:
    """A passage the engine found, resolved to the article or clause it came from."""

    ref: str
    score: float
    kind: str  # "article" or "clause"
    title: str
    answer: str  # what an automatic answer says when this is the best hit
    article: KnowledgeArticle | None = None
    clause: Clause | None = None

    @property
    def id(self) -> str:
        """The id a client sees: the article's own id as imported, or the clause ref."""
        if self.article is not None:
            return self.article.external_id
        return self.ref

    def url(self, *, console: bool = False) -> str:
        if self.clause is not None:
            code = self.clause.product_version.product.code
            return reverse("portal:product", args=[code]) + f"#clause-{self.clause.number}"
        if self.article is not None and console:
            return reverse("console:consultation-article", args=[self.article.external_id])
        return ""


@dataclass
class Answered:
    found: list[Found]
    confidence: float

    @property
    def best(self) -> Found | None:
        return self.found[0] if self.found else None


def search(
    query: str,
    *,
    language: str | None = "en",
    limit: int = 5,
    product=None,
    market: str | None = None,
    wording=None,
) -> Answered:
    """The best passages for `query`, resolved, and the engine's confidence in the first.

    With a `product`, clauses of other products and articles about other products only are left
    out (general articles stay). With a `market` (a jurisdiction code), so are clauses of
    products sold elsewhere and articles about those only: a customer in China is never cited
    a clause written under English law. A product's clauses come from one of its versions: the
    `wording` given (the version of the policy asked about) for its product, else the version on
    sale today (`one_wording`).
    """
    index = get_index()
    depth = limit * 4
    result = index.search(query, language, depth)
    found = one_wording(resolve([(hit.id, hit.score) for hit in result.hits]), wording)
    if market is not None:  # another market's clauses are no candidates at all
        found = [f for f in found if _sold_in(f, market)]
    confidence = result.confidence
    if index.fusion == "blend" and found:
        confidence = calibrated_confidence(found[0].score)
    if product is not None:
        kept = [f for f in found if _about(f, product)]
        if found and kept and kept[0].ref != found[0].ref:
            confidence = 0.0  # the engine's favourite was about another product
        found = kept
    return Answered(found=found[:limit], confidence=confidence if found else 0.0)


def calibrated_confidence(best_score: float) -> float:
    """How likely the best passage answers the question, from its fused score, in [0, 1].

    The engine's own confidence (its best cosine's softmax share times its fit) punishes a
    knowledge base that says the same thing twice: an article and the clause it explains, or
    the several exemption clauses of one product, split the share between them, so clear
    questions about the demo products scored 0.1-0.5 and all went to an agent. Measured on 48
    realistic questions about the demo products (tests/answer_questions.py), the best hit's
    fused score (0.7 cosine + 0.3 BM25 scaled to the best) separates them better: clear
    questions whose top hit was right scored 0.66-0.92, vague or out-of-scope ones 0.22-0.62.
    A logistic curve centred between the two maps that score to a confidence, so the default
    threshold of 0.6 answers from a fused score of about 0.64 up.
    """
    z = CALIBRATION_SLOPE * (float(best_score) - CALIBRATION_CENTRE)
    return 1.0 / (1.0 + math.exp(-z))


def _about(found: Found, product) -> bool:
    if found.clause is not None:
        return found.clause.product_version.product_id == product.pk
    linked = {p.pk for p in found.article.products.all()} if found.article else set()
    return not linked or product.pk in linked


def one_wording(found: list[Found], wording=None) -> list[Found]:
    """The found passages without clauses of a product's other versions: a new version often
    repeats most of the old wording, and a customer is cited the contract that applies to
    them. That is `wording` (a `ProductVersion`) for its own product, and for the others the
    version on sale today, or their latest when none is."""
    products = {f.clause.product_version.product_id for f in found if f.clause is not None}
    if not products:
        return found
    today = timezone.localdate()
    chosen: dict[int, tuple[bool, int, int]] = {}  # product -> the best (on sale, number, pk)
    for version in ProductVersion.objects.filter(product_id__in=products).only(
        "product_id", "version", "effective_from", "effective_to"
    ):
        rank = (version.is_effective_on(today), version.version, version.pk)
        chosen[version.product_id] = max(chosen.get(version.product_id, rank), rank)
    keep = {product: rank[2] for product, rank in chosen.items()}
    if wording is not None:
        keep[wording.product_id] = wording.pk
    return [
        f
        for f in found
        if f.clause is None
        or keep.get(f.clause.product_version.product_id) == f.clause.product_version_id
    ]


def _sold_in(found: Found, market: str) -> bool:
    if found.clause is not None:
        return found.clause.product_version.product.market == market
    linked = {p.market for p in found.article.products.all()} if found.article else set()
    return not linked or market in linked


def resolve(scored: list[tuple[str, float]]) -> list[Found]:
    """Passage ids (with scores) to articles and clauses, in order; unknown ids are skipped."""
    article_ids = [
        r.removeprefix(ARTICLE_PREFIX) for r, _ in scored if r.startswith(ARTICLE_PREFIX)
    ]
    articles = {
        a.external_id: a
        for a in KnowledgeArticle.objects.filter(external_id__in=article_ids).prefetch_related(
            "products"
        )
    }
    clauses = clauses_by_ref([r for r, _ in scored if r.startswith(CLAUSE_PREFIX)])
    found = []
    for ref, score in scored:
        if ref.startswith(ARTICLE_PREFIX):
            article = articles.get(ref.removeprefix(ARTICLE_PREFIX))
            if article is not None:
                found.append(
                    Found(ref, score, "article", article.title, article.answer, article=article)
                )
        elif ref in clauses:
            clause = clauses[ref]
            version = clause.product_version
            title = (
                f"{version.product.name} v{version.version}, clause {clause.number} {clause.title}"
            )
            answer = clause.explanation
            if clause.legal_consequence:
                answer += "\n" + clause.legal_consequence
            answer += f"\n(See clause {clause.number} “{clause.title}” of {version.product.name}.)"
            found.append(Found(ref, score, "clause", title, answer, clause=clause))
    return found


def clauses_by_ref(refs: Iterable[str]) -> dict[str, Clause]:
    """Clauses by their `clause:<product>:<version>:<number>` refs, in one query."""
    wanted = {}
    for ref in refs:
        parts = ref.removeprefix(CLAUSE_PREFIX).split(":")
        if len(parts) == 3 and parts[1].isdigit():
            wanted[ref] = (parts[0], int(parts[1]), parts[2])
    if not wanted:
        return {}
    from django.db.models import Q

    condition = Q()
    for code, version, number in wanted.values():
        condition |= Q(
            product_version__product__code=code, product_version__version=version, number=number
        )
    rows = Clause.objects.filter(condition).select_related("product_version__product")
    return {clause_ref(c): c for c in rows}
