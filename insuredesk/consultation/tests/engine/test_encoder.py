"""The numpy encoder gives the same vectors as sentence-transformers (fixture made once)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

REFERENCE = Path(__file__).with_name("reference_embeddings.json")


def test_embeddings_match_sentence_transformers_to_1e_4(encoder):
    reference = json.loads(REFERENCE.read_text())
    expected = np.array(reference["embeddings"], dtype=np.float32)

    got = encoder.encode(reference["sentences"], batch_size=4)

    assert got.shape == expected.shape == (len(reference["sentences"]), 384)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, expected, atol=1e-4)


def test_a_text_gets_the_same_vector_alone_or_padded_in_a_batch(encoder):
    texts = ["Short question?", "A much longer question about the deductible on my home policy."]

    batched = encoder.encode(texts)
    alone = np.stack([encoder.encode_one(t) for t in texts])

    np.testing.assert_allclose(batched, alone, atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)


def test_gelu_is_the_exact_erf_gelu_across_blocks_and_signs():
    from insuredesk.consultation.engine.encoder import _GELU_ROWS, _gelu

    # More rows than one block, so the last block is a partial one; values from -8 to 8.
    x = np.linspace(-8.0, 8.0, (_GELU_ROWS * 2 + 7) * 24, dtype=np.float32).reshape(-1, 24)
    expected = np.vectorize(lambda v: 0.5 * v * (1.0 + math.erf(v / math.sqrt(2.0))))(
        x.astype(np.float64)
    )

    got = _gelu(x.copy())

    np.testing.assert_allclose(got, expected, atol=1e-6)


def test_encoding_nothing_gives_an_empty_matrix(encoder):
    assert encoder.encode([]).shape == (0, 384)


def _model_dir(path: Path, role: dict | None) -> Path:
    """A model directory holding the packaged weights (linked, not copied)."""
    from insuredesk.consultation.engine.encoder import MODEL_FILE, ROLE_FILE, packaged_model_dir

    path.mkdir(parents=True)
    (path / MODEL_FILE).symlink_to(packaged_model_dir() / MODEL_FILE)
    if role is not None:
        (path / ROLE_FILE).write_text(json.dumps(role))
    return path


def test_which_weights_embed_passages_and_which_questions(tmp_path):
    from insuredesk.consultation.engine.encoder import PASSAGE_SUBDIR, load_encoders

    both = _model_dir(tmp_path / "both", {"side": "both"})
    passages, questions = load_encoders(both)
    assert passages is questions and passages.model_dir == both

    question_only = _model_dir(tmp_path / "query", {"side": "query"})
    passages, questions = load_encoders(question_only)
    assert questions.model_dir == question_only
    assert passages.model_dir != question_only  # the packaged model keeps the passage side

    staged = _model_dir(tmp_path / "staged", {"side": "query", "passage_model": PASSAGE_SUBDIR})
    _model_dir(staged / PASSAGE_SUBDIR, {"side": "both"})
    passages, questions = load_encoders(staged)
    assert questions.model_dir == staged
    assert passages.model_dir == staged / PASSAGE_SUBDIR


def test_a_model_trained_on_shorter_passages_is_indexed_at_that_length(tmp_path, encoder):
    from insuredesk.consultation.engine.encoder import MAX_LENGTH, PASSAGE_SUBDIR, load_encoders

    staged = _model_dir(tmp_path / "staged", {"side": "query", "passage_model": PASSAGE_SUBDIR})
    _model_dir(staged / PASSAGE_SUBDIR, {"side": "both", "passage_tokens": 128})
    passages, questions = load_encoders(staged)
    plain, _ = load_encoders(_model_dir(tmp_path / "plain", {"side": "both"}))

    assert (passages.max_length, questions.max_length, plain.max_length) == (128, MAX_LENGTH, 256)
    long_text = "The policy pays the sum insured on death within the term. " * 40
    assert not np.allclose(passages.encode([long_text]), plain.encode([long_text]), atol=1e-4)
    # The same weights cut elsewhere make another index: it must not be mistaken for this one.
    assert passages.fingerprint != plain.fingerprint == encoder.fingerprint
