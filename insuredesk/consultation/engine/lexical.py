"""Lexical ranking: BM25 (the bm25s library) over English and Chinese text.

Tokenisation is ours, the same for passages and queries:
- text with Chinese characters is segmented with jieba (which passes English words through, so
  mixed text works);
- English words are lowercased, common function words dropped, and plural/verb endings trimmed by
  the "S-stemmer" rules (Harman 1991), which needs no stemming library;
- Chinese function words and punctuation are dropped too.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import bm25s  # for the annotation only; the methods import it when they run

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_KEEP = re.compile(r"\w")

# Words too common to tell passages apart. Small on purpose: "not", "no" and "without" stay
# because they change what an insurance question means.
# (SIM905: a word list reads better as one string than as a column of literals.)
_ENGLISH_STOPWORDS = frozenset(
    """a an and are as at be been but by can could did do does for from had has have how i if in
    into is it its me my of on or our so than that the their them then there these they this to
    us was we were what when where which who why will with would you your""".split()  # noqa: SIM905
)
_CHINESE_STOPWORDS = frozenset(
    """的 了 是 在 我 你 您 他 她 它 我们 你们 他们 和 与 及 或 吗 呢 吧 啊 么
    什么 怎么 如何 这 那 这个 那个 一个 有 会 能 可以 就 也 都 而 被 把 对 从
    为 为了 到 让 给 还 要 中 上 下 之 其 以 并""".split()  # noqa: SIM905
)

# jieba announces its dictionary load on the root logger; keep that out of command output.
logging.getLogger("jieba").setLevel(logging.WARNING)


def _stem(word: str) -> str:
    """Harman's S-stemmer: ies→y, es→e, s→'' with its exceptions."""
    if len(word) > 3 and word.endswith("ies") and not word.endswith(("eies", "aies")):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("es") and not word.endswith(("aes", "ees", "oes")):
        return word[:-1]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("us", "ss")):
        return word[:-1]
    return word


def _english_tokens(text: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(text.lower()) if w not in _ENGLISH_STOPWORDS]


def _chinese_tokens(text: str) -> list[str]:
    import jieba

    tokens = []
    for piece in jieba.lcut(text.lower()):
        piece = piece.strip()
        if not piece or not _KEEP.search(piece) or piece in _CHINESE_STOPWORDS:
            continue
        if _CJK.search(piece):
            tokens.append(piece)
        else:
            tokens.extend(_english_tokens(piece))
    return tokens


def tokenize(text: str) -> list[str]:
    """Tokens for BM25; Chinese (or mixed) text goes through jieba, English through a regex."""
    if _CJK.search(text):
        return _chinese_tokens(text)
    return _english_tokens(text)


class LexicalIndex:
    """BM25 scores of a query against every passage, in passage order."""

    def __init__(self, *, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b
        self._bm25: bm25s.BM25 | None = None
        self.size = 0

    def build(self, texts: Iterable[str], *, progress: bool = False) -> None:
        texts = _maybe_progress(texts, progress, "tokenising")
        self.build_from_tokens([tokenize(t) for t in texts])

    def build_from_tokens(self, corpus: Sequence[Sequence[str]]) -> None:
        import bm25s

        self.size = len(corpus)
        if not self.size:
            self._bm25 = None
            return
        self._bm25 = bm25s.BM25(k1=self.k1, b=self.b)
        self._bm25.index([list(doc) for doc in corpus], show_progress=False)

    def scores(self, query: str | Sequence[str]) -> np.ndarray:
        """BM25 score of `query` (text or tokens) for each passage; zeros if no word is known."""
        if self._bm25 is None:
            return np.zeros(self.size, dtype=np.float32)
        tokens = tokenize(query) if isinstance(query, str) else list(query)
        ids = self._bm25.get_tokens_ids(tokens)
        if not ids:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores_from_ids(ids), dtype=np.float32)

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        if self._bm25 is not None:
            self._bm25.save(str(directory), show_progress=False)

    @classmethod
    def load(cls, directory: Path, size: int) -> LexicalIndex:
        import bm25s

        index = cls()
        index.size = size
        if size and (directory / "params.index.json").is_file():
            index._bm25 = bm25s.BM25.load(str(directory), show_progress=False)
            index.k1 = index._bm25.k1
            index.b = index._bm25.b
        return index


def _maybe_progress(items: Iterable[str], progress: bool, desc: str) -> Iterable[str]:
    if not progress:
        return items
    from tqdm.auto import tqdm

    return tqdm(items, desc=desc, unit="text")
