"""Fixtures for the consultation tests: one encoder per session, a fresh index per test."""

from __future__ import annotations

import pytest

from insuredesk.consultation import knowledge


@pytest.fixture(scope="session")
def engine_encoder():  # type: ignore[no-untyped-def]
    from insuredesk.consultation.engine.encoder import Encoder

    return Encoder()


@pytest.fixture(autouse=True)
def answer_index(settings, tmp_path, engine_encoder):  # type: ignore[no-untyped-def]
    """Each test's index lives in its own folder and is built from that test's database."""
    settings.INSUREDESK = {
        **settings.INSUREDESK,
        "ANSWER_INDEX_DIR": str(tmp_path / "answer-index"),
        "ANSWER_MODEL_DIR": str(tmp_path / "no-model"),
        "AUTO_ANSWER_CONFIDENCE": 0.6,
    }
    knowledge.set_encoders(engine_encoder)
    yield
    knowledge.reset_index()
