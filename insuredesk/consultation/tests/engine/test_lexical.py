"""BM25 over English and Chinese passages."""

# Chinese text uses full-width punctuation on purpose.
# ruff: noqa: RUF001

from __future__ import annotations

import numpy as np

from insuredesk.consultation.engine.lexical import LexicalIndex, tokenize

PASSAGES = [
    "Report a claim within 30 days of the accident, with the police report attached.",
    "Premiums are paid monthly by direct debit or yearly by bank transfer.",
    "定期寿险在保险期间内身故，保险公司按保险金额给付身故保险金。",
    "宠物不在家庭财产保险的保障范围内。",
]


def test_english_words_are_lowercased_stemmed_and_stripped_of_function_words():
    assert tokenize("What are the Premiums for my policies?") == ["premium", "policy"]


def test_chinese_is_segmented_into_words_and_mixed_text_keeps_english():
    tokens = tokenize("定期寿险的身故保险金 claims")

    assert "定期" in tokens or "定期寿险" in tokens
    assert "身故" in tokens
    assert "claim" in tokens
    assert "的" not in tokens


def test_bm25_finds_the_obvious_passage():
    index = LexicalIndex()
    index.build(PASSAGES)

    scores = index.scores("how do I report a claim after an accident")

    assert scores.shape == (4,)
    assert int(np.argmax(scores)) == 0


def test_a_chinese_query_matches_the_chinese_passage():
    index = LexicalIndex()
    index.build(PASSAGES)

    scores = index.scores("定期寿险身故怎么赔？")

    assert int(np.argmax(scores)) == 2
    assert scores[2] > 0


def test_a_query_with_no_known_word_scores_zero_everywhere():
    index = LexicalIndex()
    index.build(PASSAGES)

    assert not index.scores("zzzz qqqq").any()
