"""The answer index: passages with their embeddings and BM25 state, searched by fused score.

A passage is anything that can answer a question: a knowledge-base article (question and answer
joined), a clause and its explanation. The index keeps, row by row, each passage's id, language,
text, BM25 tokens and embedding; `search` ranks the whole index, `rank` a given candidate pool.

Fusion (chosen by measurement on InsuranceQA valid with `insuranceqa.tune_fusion`):
1. take the cosine similarity of the query's embedding with each passage's, and its BM25 score;
2. per query, scale BM25 by its best score among the passages considered (so it is in [0, 1]);
3. score = w · cosine + (1 - w) · scaled BM25, with w = `semantic_weight` when searching the
   whole index and w = `pool_semantic_weight` when ranking a given pool.
Measured on valid (en, 1,000 questions, fine-tuned model): whole-KB recall@5 is best at w = 0.8
(0.605, vs 0.558 cosine alone and 0.566 for reciprocal-rank fusion); inside a pool of hard
negatives, which share the question's words by construction, BM25 only adds noise: top-1 0.402
at w = 1, 0.378 at w = 0.8. Reciprocal-rank fusion is available as `fusion="rrf"`.

Persisted as a directory (written to a temporary sibling, then swapped in):
`meta.json`, `passages.jsonl` (id, language, text, tokens), `embeddings.npy`, `bm25/`.
"""

from __future__ import annotations

import copy
import json
import math
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .encoder import Encoder
from .lexical import LexicalIndex, tokenize

FORMAT_VERSION = 1
DEFAULT_SEMANTIC_WEIGHT = 0.8
DEFAULT_POOL_SEMANTIC_WEIGHT = 1.0
DEFAULT_RRF_K = 60
# How many passages each ranker nominates before fusion when searching the whole index.
SEARCH_DEPTH = 100


@dataclass(frozen=True)
class Passage:
    """Something that can answer a question, under the id its source gave it."""

    id: str
    text: str
    language: str = "en"


@dataclass(frozen=True)
class Hit:
    id: str
    score: float
    lexical_score: float
    semantic_score: float


@dataclass(frozen=True)
class SearchResult:
    """Ranked hits, best first, and a confidence in [0, 1] that the first one answers."""

    hits: list[Hit] = field(default_factory=list)
    confidence: float = 0.0

    @property
    def best(self) -> Hit | None:
        return self.hits[0] if self.hits else None


def fuse(
    semantic: np.ndarray,
    lexical: np.ndarray,
    *,
    method: str = "blend",
    semantic_weight: float = DEFAULT_SEMANTIC_WEIGHT,
    rrf_k: int = DEFAULT_RRF_K,
) -> np.ndarray:
    """One fused score per passage from cosine similarities and BM25 scores of the same passages."""
    if method == "semantic":
        return semantic.astype(np.float32, copy=True)
    if method == "lexical":
        return lexical.astype(np.float32, copy=True)
    if method == "rrf":
        return (1.0 / (rrf_k + _ranks(semantic)) + 1.0 / (rrf_k + _ranks(lexical))).astype(
            np.float32
        )
    if method == "blend":
        top = float(lexical.max()) if lexical.size else 0.0
        scaled = lexical / top if top > 0 else np.zeros_like(lexical)
        return (semantic_weight * semantic + (1.0 - semantic_weight) * scaled).astype(np.float32)
    raise ValueError(f"unknown fusion method {method!r}")


def _ranks(scores: np.ndarray) -> np.ndarray:
    """1-based rank of each score, best first."""
    ranks = np.empty(scores.shape[0], dtype=np.float64)
    ranks[np.argsort(-scores, kind="stable")] = np.arange(1, scores.shape[0] + 1)
    return ranks


def confidence_of(semantic: np.ndarray, fused: np.ndarray, best: int) -> float:
    """How likely the best hit answers the question, in [0, 1].

    Two signals, both high when the answer is right: the best passage's cosine similarity to the
    question (answers that fit sit above ~0.5 with this model), and how far the best stands out
    from the runner-up among the passages considered (a softmax of the cosines at temperature
    1/20, the scale the model is trained with). Their product is the confidence.
    """
    if semantic.size == 0:
        return 0.0
    logits = 20.0 * (semantic - semantic.max())
    weights = np.exp(logits)
    share = float(weights[best] / weights.sum())
    fit = 1.0 / (1.0 + math.exp(-12.0 * (float(semantic[best]) - 0.45)))
    return max(0.0, min(1.0, share * fit))


class AnswerIndex:
    """Passages searchable by question, with fused lexical and semantic ranking.

    `encoder` embeds passages; `query_encoder` (default: the same) embeds questions. They differ
    after query-side fine-tuning (`training.py`), which leaves passage vectors untouched.
    """

    def __init__(
        self,
        encoder: Encoder | None = None,
        *,
        query_encoder: Encoder | None = None,
        fusion: str = "blend",
        semantic_weight: float = DEFAULT_SEMANTIC_WEIGHT,
        pool_semantic_weight: float = DEFAULT_POOL_SEMANTIC_WEIGHT,
        rrf_k: int = DEFAULT_RRF_K,
    ) -> None:
        self.encoder = encoder or Encoder()
        self.query_encoder = query_encoder or self.encoder
        self.fusion = fusion
        self.semantic_weight = semantic_weight
        self.pool_semantic_weight = pool_semantic_weight
        self.rrf_k = rrf_k
        self.ids: list[str] = []
        self.texts: list[str] = []
        self.languages: list[str] = []
        self.tokens: list[list[str]] = []
        self.embeddings = np.zeros((0, self.encoder.dimension), dtype=np.float32)
        self.lexical = LexicalIndex()
        self._row: dict[str, int] = {}
        self._language_rows: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, passage_id: object) -> bool:
        return passage_id in self._row

    # -- building and changing -------------------------------------------------------------

    @classmethod
    def build(
        cls,
        passages: Iterable[Passage],
        encoder: Encoder | None = None,
        *,
        progress: bool = False,
        batch_size: int | None = None,
        **options,
    ) -> AnswerIndex:
        """A new index over `passages` (embedded in batches, with a progress bar if asked)."""
        index = cls(encoder, **options)
        index.upsert(passages, progress=progress, batch_size=batch_size)
        return index

    def upsert(
        self, passages: Iterable[Passage], *, progress: bool = False, batch_size: int | None = None
    ) -> None:
        """Add new passages and replace those whose id is already indexed.

        Only the given passages are embedded; BM25 statistics are recomputed from the kept tokens
        (document frequencies change with every passage, and that takes seconds, not minutes).
        """
        latest: dict[str, Passage] = {}
        for passage in passages:
            if not passage.id:
                raise ValueError("a passage needs an id")
            latest[str(passage.id)] = passage
        if not latest:
            return
        batch = list(latest.values())
        vectors = self.encoder.encode(
            [p.text for p in batch],
            batch_size=batch_size,
            progress="embedding passages" if progress else False,
        )
        new_rows = []
        for passage, vector in zip(batch, vectors, strict=True):
            row = self._row.get(str(passage.id))
            tokens = tokenize(passage.text)
            if row is None:
                self._row[str(passage.id)] = len(self.ids)
                self.ids.append(str(passage.id))
                self.texts.append(passage.text)
                self.languages.append(passage.language)
                self.tokens.append(tokens)
                new_rows.append(vector)
            else:
                self.texts[row] = passage.text
                self.languages[row] = passage.language
                self.tokens[row] = tokens
                self.embeddings[row] = vector
        if new_rows:
            self.embeddings = np.concatenate([self.embeddings, np.stack(new_rows)])
        self._rebuild_lexical()

    def remove(self, passage_ids: Iterable[str]) -> int:
        """Drop passages by id; returns how many were indexed."""
        gone = {str(i) for i in passage_ids} & self._row.keys()
        if not gone:
            return 0
        keep = [row for row, pid in enumerate(self.ids) if pid not in gone]
        self.ids = [self.ids[r] for r in keep]
        self.texts = [self.texts[r] for r in keep]
        self.languages = [self.languages[r] for r in keep]
        self.tokens = [self.tokens[r] for r in keep]
        self.embeddings = np.ascontiguousarray(self.embeddings[keep])
        self._row = {pid: row for row, pid in enumerate(self.ids)}
        self._rebuild_lexical()
        return len(gone)

    def reembed(self, *, progress: bool = False, batch_size: int | None = None) -> None:
        """Embed every passage again (after the passage encoder itself changed)."""
        self.embeddings = self.encoder.encode(
            self.texts, batch_size=batch_size, progress="embedding passages" if progress else False
        )

    def _rebuild_lexical(self) -> None:
        self.lexical = LexicalIndex(k1=self.lexical.k1, b=self.lexical.b)
        self.lexical.build_from_tokens(self.tokens)
        self._language_rows = {}

    # -- searching ---------------------------------------------------------------------------

    def lexical_only(self) -> AnswerIndex:
        """A view of this index that ranks by BM25 alone (the benchmark's baseline)."""
        view = copy.copy(self)
        view.fusion = "lexical"
        return view

    def embed_query(self, query: str) -> np.ndarray:
        if self.fusion == "lexical":
            return np.zeros(self.embeddings.shape[1], dtype=np.float32)
        return self.query_encoder.encode_one(query)

    def rows_for(self, language: str | None) -> np.ndarray | None:
        """Row numbers of passages in `language` (None: all rows)."""
        if language is None:
            return None
        if language not in self._language_rows:
            self._language_rows[language] = np.array(
                [r for r, lang in enumerate(self.languages) if lang == language], dtype=np.int64
            )
        return self._language_rows[language]

    def search(
        self,
        query: str,
        language: str | None = None,
        limit: int = 10,
        *,
        query_vector: np.ndarray | None = None,
    ) -> SearchResult:
        """The `limit` best passages for `query` among those in `language` (None: any)."""
        if not query or not query.strip():
            raise ValueError("the question is empty")
        if not self.ids or limit <= 0:
            return SearchResult()
        vector = self.embed_query(query) if query_vector is None else query_vector
        lexical_all = self.lexical.scores(query)
        if self.fusion == "lexical":
            semantic_all = np.zeros(len(self.ids), dtype=np.float32)
        else:
            semantic_all = self.embeddings @ vector
        rows = self.rows_for(language)
        if rows is not None:
            if rows.size == 0:
                return SearchResult()
            semantic_pool, lexical_pool = semantic_all[rows], lexical_all[rows]
        else:
            rows = np.arange(len(self.ids))
            semantic_pool, lexical_pool = semantic_all, lexical_all
        # 1. each ranker nominates its best; 2. fusion ranks the union.
        depth = min(max(SEARCH_DEPTH, limit), rows.size)
        nominated = _top(lexical_pool, depth)
        if self.fusion != "lexical":
            nominated = np.union1d(_top(semantic_pool, depth), nominated)
        return self._ranked(
            rows[nominated],
            semantic_pool[nominated],
            lexical_pool[nominated],
            limit,
            self.semantic_weight,
        )

    def rank(
        self,
        query: str,
        candidates: Sequence[str],
        *,
        query_vector: np.ndarray | None = None,
    ) -> SearchResult:
        """All of `candidates` (indexed passage ids) ranked for `query`, best first."""
        if not query or not query.strip():
            raise ValueError("the question is empty")
        try:
            rows = np.array([self._row[str(c)] for c in candidates], dtype=np.int64)
        except KeyError as exc:
            raise KeyError(f"candidate {exc.args[0]!r} is not in the index") from None
        if rows.size == 0:
            return SearchResult()
        vector = self.embed_query(query) if query_vector is None else query_vector
        semantic = self.embeddings[rows] @ vector
        lexical = self.lexical.scores(query)[rows]
        return self._ranked(rows, semantic, lexical, rows.size, self.pool_semantic_weight)

    def _ranked(
        self,
        rows: np.ndarray,
        semantic: np.ndarray,
        lexical: np.ndarray,
        limit: int,
        semantic_weight: float,
    ) -> SearchResult:
        fused = fuse(
            semantic,
            lexical,
            method=self.fusion,
            semantic_weight=semantic_weight,
            rrf_k=self.rrf_k,
        )
        order = np.argsort(-fused, kind="stable")[:limit]
        hits = [
            Hit(
                id=self.ids[rows[i]],
                score=float(fused[i]),
                lexical_score=float(lexical[i]),
                semantic_score=float(semantic[i]),
            )
            for i in order
        ]
        return SearchResult(hits=hits, confidence=confidence_of(semantic, fused, int(order[0])))

    # -- persistence -------------------------------------------------------------------------

    def save(self, directory: str | os.PathLike[str]) -> None:
        """Write the index to `directory`, replacing what was there only once all is written."""
        target = Path(directory)
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
        try:
            meta = {
                "format": FORMAT_VERSION,
                "count": len(self.ids),
                "dimension": int(self.embeddings.shape[1]),
                "encoder": self.encoder.fingerprint,
                "fusion": self.fusion,
                "semantic_weight": self.semantic_weight,
                "pool_semantic_weight": self.pool_semantic_weight,
                "rrf_k": self.rrf_k,
            }
            (staging / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
            with (staging / "passages.jsonl").open("w", encoding="utf-8") as out:
                for pid, lang, text, tokens in zip(
                    self.ids, self.languages, self.texts, self.tokens, strict=True
                ):
                    row = {"id": pid, "language": lang, "text": text, "tokens": tokens}
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
            np.save(staging / "embeddings.npy", self.embeddings)
            self.lexical.save(staging / "bm25")
            _swap_in(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise

    @classmethod
    def load(
        cls,
        directory: str | os.PathLike[str],
        encoder: Encoder | None = None,
        *,
        query_encoder: Encoder | None = None,
        progress: bool = False,
    ) -> AnswerIndex:
        """Read an index saved by `save`. Passages are re-embedded if `encoder` is not the one
        that embedded them (a new model was installed)."""
        source = Path(directory)
        meta = json.loads((source / "meta.json").read_text())
        if meta.get("format") != FORMAT_VERSION:
            raise ValueError(f"{source} holds an index of format {meta.get('format')}")
        index = cls(
            encoder,
            query_encoder=query_encoder,
            fusion=meta["fusion"],
            semantic_weight=meta["semantic_weight"],
            pool_semantic_weight=meta.get("pool_semantic_weight", DEFAULT_POOL_SEMANTIC_WEIGHT),
            rrf_k=meta["rrf_k"],
        )
        with (source / "passages.jsonl").open(encoding="utf-8") as rows:
            for line in rows:
                row = json.loads(line)
                index.ids.append(row["id"])
                index.languages.append(row["language"])
                index.texts.append(row["text"])
                index.tokens.append(row["tokens"])
        index._row = {pid: r for r, pid in enumerate(index.ids)}
        index.embeddings = np.load(source / "embeddings.npy")
        index.lexical = LexicalIndex.load(source / "bm25", len(index.ids))
        if meta["encoder"] != index.encoder.fingerprint:
            index.reembed(progress=progress)
        return index


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    if k >= scores.size:
        return np.arange(scores.size)
    return np.argpartition(-scores, k - 1)[:k]


def _swap_in(staging: Path, target: Path) -> None:
    """Replace `target` by `staging` so that readers see the old or the new index, never half."""
    retired = None
    if target.exists():
        retired = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.replace(target, retired)
    os.replace(staging, target)
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)
