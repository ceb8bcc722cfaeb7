"""The answer index: fused search, pool ranking, persistence and changes."""

from __future__ import annotations

import pytest

from insuredesk.consultation.engine.index import AnswerIndex, Passage

PASSAGES = [
    Passage("claim", "To report a claim, call us within 30 days of the accident.", "en"),
    Passage("premium", "Premiums are paid monthly by direct debit.", "en"),
    Passage("pets", "Pets are not covered by home insurance.", "en"),
    Passage(
        "cooling", "You may cancel within the 15-day cooling-off period for a full refund.", "en"
    ),
    Passage("zh-claim", "发生事故后请在三十天内报案。", "zh"),
]


@pytest.fixture(scope="module")
def index(encoder):
    return AnswerIndex.build(PASSAGES, encoder)


def test_search_ranks_a_paraphrase_above_unrelated_passages(index):
    # No content word shared with the claim passage: only the embeddings can find it.
    result = index.search("I crashed my car, how do I tell the insurer?", "en", limit=4)

    assert result.best.id == "claim"
    assert result.best.semantic_score > result.hits[1].semantic_score
    assert [h.score for h in result.hits] == sorted((h.score for h in result.hits), reverse=True)


def test_search_stays_within_the_language_asked(index):
    result = index.search("报案", "zh", limit=5)

    assert [h.id for h in result.hits] == ["zh-claim"]


def test_confidence_is_higher_for_a_clear_answer_than_for_nonsense(index):
    clear = index.search("Can I cancel my policy and get a refund in the cooling-off period?", "en")
    vague = index.search("blue sky thinking", "en")

    assert 0.0 <= vague.confidence < clear.confidence <= 1.0


def test_rank_orders_exactly_the_given_candidates(index):
    result = index.rank("When do I pay my premium?", ["pets", "premium", "claim"])

    assert result.best.id == "premium"
    assert sorted(h.id for h in result.hits) == ["claim", "pets", "premium"]


def test_rank_refuses_a_candidate_that_is_not_indexed(index):
    with pytest.raises(KeyError, match="nope"):
        index.rank("premium", ["premium", "nope"])


def test_an_empty_question_is_refused(index):
    with pytest.raises(ValueError, match="empty"):
        index.search("   ")


def test_saved_and_loaded_index_gives_the_same_results(index, encoder, tmp_path):
    index.save(tmp_path / "answers")
    loaded = AnswerIndex.load(tmp_path / "answers", encoder)

    for question in ("How do I pay?", "My dog chewed the sofa", "报案"):
        assert loaded.search(question) == index.search(question)
    assert not list(tmp_path.glob(".answers*")), "no staging directory is left behind"


def test_saving_again_replaces_the_previous_index(index, encoder, tmp_path):
    index.save(tmp_path / "answers")
    smaller = AnswerIndex.build(PASSAGES[:2], encoder)
    smaller.save(tmp_path / "answers")

    assert len(AnswerIndex.load(tmp_path / "answers", encoder)) == 2


def test_passages_are_added_updated_and_removed_by_id(encoder):
    index = AnswerIndex.build(PASSAGES[:3], encoder)

    index.upsert([Passage("pets", "Dogs and cats are covered by our pet insurance.", "en")])
    index.upsert([Passage("flood", "Flood damage needs the optional flood cover.", "en")])
    assert index.search("Is my dog insured?", "en").best.id == "pets"
    assert len(index) == 4

    assert index.remove(["pets", "unknown"]) == 1
    assert "pets" not in index
    assert index.search("water from the river flooded my basement", "en").best.id == "flood"
    assert index.rank("flood", ["flood", "claim"]).best.id == "flood"
