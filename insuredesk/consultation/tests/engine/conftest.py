"""Shared fixtures for the answer-engine tests: the model loads once per session."""

from __future__ import annotations

import pytest

from insuredesk.consultation.engine.encoder import Encoder


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    return Encoder()
