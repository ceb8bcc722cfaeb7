"""A real, tiny fine-tuning run (needs the `train` extra; skipped without PyTorch)."""

import json

import numpy as np
import pytest

from insuredesk.consultation.engine.encoder import ROLE_FILE, Encoder
from insuredesk.consultation.engine.training import TrainingExample, fine_tune

pytest.importorskip("torch")
pytest.importorskip("transformers")


PASSAGES = {
    "a1": "The waiting period for critical illness cover is 90 days from the start of the policy.",
    "a2": "Flood damage to the building is covered; damage from gradual seepage is excluded.",
    "a3": "Premiums can be paid monthly by direct debit or once a year by bank transfer.",
}
EXAMPLES = [
    TrainingExample("How long before critical illness cover starts?", "a1", ("a2", "a3")),
    TrainingExample("Does my home policy pay for flood damage?", "a2", ("a1", "a3")),
    TrainingExample("Can I pay my premium every month?", "a3", ("a1", "a2")),
]


def test_trained_weights_load_into_the_numpy_encoder_and_change_its_vectors(tmp_path, encoder):
    report = fine_tune(
        EXAMPLES,
        tmp_path / "model",
        side="both",
        passage_texts=PASSAGES,
        epochs=2,
        batch_size=3,
        learning_rate=1e-4,
        hard_negatives_per_question=1,
        index_passage_tokens=128,
        progress=False,
        log=lambda _: None,
    )
    assert report.steps == 2 and report.examples_seen == 6
    role = json.loads((report.output_dir / ROLE_FILE).read_text())
    assert role["side"] == "both" and role["steps"] == 2
    assert role["passage_tokens"] == 128  # the length its index embeds passages at
    assert not (tmp_path / ".model.training").exists()  # staged, then moved into place

    tuned = Encoder(report.output_dir)
    assert tuned.fingerprint != encoder.fingerprint
    texts = [EXAMPLES[0].question, PASSAGES["a1"]]
    vectors = tuned.encode(texts)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert not np.allclose(vectors, encoder.encode(texts), atol=1e-4)


def test_the_question_side_ranks_against_accepted_passages_only_when_asked(tmp_path, encoder):
    texts = [*PASSAGES.values(), "Pet insurance covers vet fees after an accident."]
    vectors = encoder.encode(texts)
    report = fine_tune(
        EXAMPLES,
        tmp_path / "model",
        side="query",
        passage_ids=[*PASSAGES, "new"],  # "new": an article no example accepted
        passage_vectors=vectors,
        negatives_accepted_only=True,
        epochs=1,
        batch_size=3,
        progress=False,
        log=lambda _: None,
    )
    assert report.steps == 1 and report.examples_seen == 3


def test_missing_passages_are_refused_before_anything_is_written(tmp_path):
    with pytest.raises(ValueError, match="passage ids and vectors"):
        fine_tune(EXAMPLES, tmp_path / "model", side="query", progress=False, log=lambda _: None)
    with pytest.raises(ValueError, match="passage texts"):
        fine_tune(EXAMPLES, tmp_path / "model", side="both", progress=False, log=lambda _: None)
    with pytest.raises(ValueError, match="among the passages"):
        fine_tune(
            EXAMPLES,
            tmp_path / "model",
            side="both",
            passage_texts={"other": "An answer no example points to."},
            progress=False,
            log=lambda _: None,
        )
    assert list(tmp_path.iterdir()) == []
