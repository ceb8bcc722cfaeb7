from pathlib import Path

import pytest

TEST_TEMPLATES = Path(__file__).resolve().parent / "templates"


@pytest.fixture
def broken_templates(settings):
    """Letter kinds whose templates fail: broken_notice (syntax), exploding_notice (render)."""
    engine = {**settings.TEMPLATES[0], "DIRS": [TEST_TEMPLATES]}
    settings.TEMPLATES = [engine]
