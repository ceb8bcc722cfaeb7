"""Benchmark metrics, computed on a tiny hand-made pool (no download)."""

from __future__ import annotations

import numpy as np
import pytest

from insuredesk.consultation.engine.index import Hit, SearchResult
from insuredesk.consultation.engine.insuranceqa import Question, evaluate


class ScriptedIndex:
    """Ranks by a fixed preference order, whatever the question: the metrics alone are tested."""

    def __init__(self, preference: list[str]) -> None:
        self.preference = preference

    def lexical_only(self) -> ScriptedIndex:
        return ScriptedIndex(list(reversed(self.preference)))

    def embed_query(self, query: str) -> np.ndarray:
        return np.zeros(3, dtype=np.float32)

    def _result(self, ids) -> SearchResult:
        return SearchResult([Hit(i, 1.0, 0.0, 0.0) for i in ids], 0.5)

    def search(self, query, language=None, limit=10, *, query_vector=None) -> SearchResult:
        return self._result(self.preference[:limit])

    def rank(self, query, candidates, *, query_vector=None) -> SearchResult:
        return self._result(sorted(candidates, key=self.preference.index))


PREFERENCE = ["a", "b", "c", "d", "e", "f", "g"]
QUESTIONS = [
    # correct answer ranked 1st in its pool and 1st in the whole KB
    Question("1", "q1", answers=("a",), pool=("a", "c", "d")),
    # 2nd in its pool (after c), 3rd in the KB
    Question("2", "q2", answers=("d",), pool=("d", "c", "e")),
    # two correct answers: the better one (b) is 1st in its pool, 2nd in the KB
    Question("3", "q3", answers=("g", "b"), pool=("g", "b", "f")),
    # 3rd in its pool, 7th (outside the top 5) in the KB
    Question("4", "q4", answers=("g",), pool=("g", "e", "f")),
]


def test_pool_and_whole_knowledge_base_metrics():
    result = evaluate(ScriptedIndex(PREFERENCE), QUESTIONS)

    assert result["questions"] == 4
    assert result["top1"] == pytest.approx(2 / 4)
    assert result["mrr"] == pytest.approx(round((1 + 1 / 2 + 1 + 1 / 3) / 4, 4))
    assert result["recall_at_1"] == pytest.approx(1 / 4)
    assert result["recall_at_5"] == pytest.approx(3 / 4)
    assert result["p50_ms"] >= 0 and result["p95_ms"] >= result["p50_ms"]


def test_the_baseline_is_measured_on_the_same_questions():
    result = evaluate(ScriptedIndex(PREFERENCE), QUESTIONS)
    baseline = result["baseline"]

    # reversed preference: g f e d c b a
    assert baseline["questions"] == 4
    assert baseline["top1"] == pytest.approx(2 / 4)  # q3 (g) and q4 (g) come first
    assert baseline["recall_at_1"] == pytest.approx(2 / 4)
    assert set(result) >= {"top1", "mrr", "recall_at_1", "recall_at_5", "p50_ms", "p95_ms"}


def test_a_fine_tuned_model_gets_fusion_weights_swept_on_valid_once(encoder, tmp_path):
    import gzip
    import json

    from insuredesk.consultation.engine.index import AnswerIndex, Passage
    from insuredesk.consultation.engine.insuranceqa import model_fusion

    answers = {
        "1": "Your car policy pays for repairs after a collision, minus the deductible.",
        "2": "Term life insurance pays a death benefit if you die within the term.",
        "3": "Flood damage to a house is excluded from standard home insurance.",
        "4": "You can cancel within the cooling-off period and get the premium back.",
    }
    valid = {
        "v1": {
            "en": "Does my auto cover crash repairs?",
            "answers": ["1"],
            "negatives": ["2", "3"],
        },
        "v2": {"en": "What if I die during the term?", "answers": ["2"], "negatives": ["1", "4"]},
    }
    data = tmp_path / "cache" / "data"
    data.mkdir(parents=True)
    for name, content in (
        ("answers", {k: {"en": v} for k, v in answers.items()}),
        ("valid", valid),
        ("train", {}),
        ("test", {}),
    ):
        with gzip.open(data / f"{name}.json.gz", "wt", encoding="utf-8") as stream:
            json.dump(content, stream)
    index = AnswerIndex.build(
        [Passage(id=k, text=v, language="en") for k, v in answers.items()], encoder
    )
    model = tmp_path / "model"
    model.mkdir()
    (model / "insuredesk_model.json").write_text(json.dumps({"side": "both"}))

    weights = model_fusion(index, "en", model, cache_dir=tmp_path / "cache", log=lambda _: None)

    assert set(weights) == {"semantic_weight", "pool_semantic_weight"}
    assert all(0.0 <= w <= 1.0 for w in weights.values())
    role = json.loads((model / "insuredesk_model.json").read_text())
    assert role["side"] == "both" and role["fusion"]["en"] == weights
    # The weights are kept with the model: a later run (on test) does not sweep again.
    (data / "valid.json.gz").unlink()
    assert model_fusion(index, "en", model, cache_dir=tmp_path / "cache") == weights


def test_the_index_build_is_estimated_from_an_even_sample_of_the_answers():
    from insuredesk.consultation.engine.encoder import Encoder
    from insuredesk.consultation.engine.insuranceqa import estimate_index_seconds

    class Counting(Encoder):
        """The packaged encoder, remembering what it embedded."""

        embedded: list[str] = []

        def encode(self, texts, **options):
            texts = list(texts)
            self.embedded.extend(texts)
            return super().encode(texts, **options)

    answers = [f"Answer number {n} about premiums and claims." for n in range(40)]

    counting = Counting()
    seconds = estimate_index_seconds(answers, sample=8, encoder=counting)

    assert counting.embedded == answers[::5]
    assert seconds > 0
