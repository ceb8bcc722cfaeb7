"""Fixtures of the catalogue tests: the demo catalogue loaded into the test database."""

import pytest

from insuredesk.catalog.loading import load_demo_catalogue
from insuredesk.catalog.models import ProductVersion


@pytest.fixture
def catalogue(db):
    """The eight demo products (CN, GB, US-CA); returns {product code: its version 1}."""
    load_demo_catalogue()
    return {
        v.product.code: v
        for v in ProductVersion.objects.select_related("product").filter(version=1)
    }
