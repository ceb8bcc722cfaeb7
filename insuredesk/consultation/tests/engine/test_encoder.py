"""The numpy encoder gives the same vectors as sentence-transformers (fixture made once)."""

from __future__ import annotations

import json
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


def test_encoding_nothing_gives_an_empty_matrix(encoder):
    assert encoder.encode([]).shape == (0, 384)
