"""Fixtures for the consultation tests: one encoder per session, a fresh index per test."""

from __future__ import annotations

import pytest

from insuredesk.consultation import knowledge


@pytest.fixture(scope="session")
def engine_encoder():
    from insuredesk.consultation.engine.encoder import Encoder

    return Encoder()


@pytest.fixture(autouse=True)
def answer_index(settings, tmp_path, engine_encoder):
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


@pytest.fixture(scope="session")
def _demo_index_copy(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-answer-index") / "answer-index"


@pytest.fixture
def demo_knowledge_base(db, _demo_index_copy):
    """The demo catalogue's 61 clauses and the demo's 30 articles, indexed.

    Embedding the 91 passages takes seconds, so the first test builds the index and keeps a copy
    that later tests put in their own index folder (the passages and the encoder are the same).
    """
    import shutil

    from django.utils import timezone

    from insuredesk.catalog.loading import load_demo_catalogue
    from insuredesk.consultation import demo, services

    load_demo_catalogue()
    services.import_articles(
        text=demo._jsonl(), fmt="jsonl", actor=None, now=timezone.now(), refresh_index=False
    )
    if _demo_index_copy.exists():
        shutil.copytree(_demo_index_copy, knowledge.index_dir(), dirs_exist_ok=True)
        knowledge.reset_index()
    else:
        knowledge.rebuild_index()
        shutil.copytree(knowledge.index_dir(), _demo_index_copy)
