from datetime import timedelta

import pytest

from insuredesk.claims.tests.factories import NOW
from insuredesk.tests import factories


@pytest.fixture
def policy(alice):  # type: ignore[no-untyped-def]
    """Alice's home policy, in force since 100 days before NOW."""
    return factories.make_policy(alice, start=NOW.date() - timedelta(days=100))


@pytest.fixture
def ca_policy(db):  # type: ignore[no-untyped-def]
    holder = factories.make_customer("carlos", full_name="Carlos Ruiz", jurisdiction="US-CA")
    return factories.make_policy(
        holder, start=NOW.date() - timedelta(days=100), jurisdiction="US-CA"
    )
