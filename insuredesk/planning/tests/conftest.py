"""Planning tests run against the demo catalogue (the products a plan recommends)."""

import pytest

from insuredesk.catalog.loading import load_demo_catalogue


@pytest.fixture
def catalogue(db):
    load_demo_catalogue()
