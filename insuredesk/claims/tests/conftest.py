from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from insuredesk.claims import services
from insuredesk.claims.tests.factories import NOW, report
from insuredesk.tests import factories


@pytest.fixture
def policy(alice):
    """Alice's home policy, in force since 100 days before NOW."""
    return factories.make_policy(alice, start=NOW.date() - timedelta(days=100))


@pytest.fixture
def ca_policy(db):
    holder = factories.make_customer("carlos", full_name="Carlos Ruiz", jurisdiction="US-CA")
    return factories.make_policy(
        holder, start=NOW.date() - timedelta(days=100), jurisdiction="US-CA"
    )


@pytest.fixture
def claim(alice):
    """Alice's claim for 3,000, reported now on a home policy 100 days old."""
    policy = factories.make_policy(alice, start=timezone.localdate() - timedelta(days=100))
    return report(policy, now=timezone.now(), amount=Decimal("3000"))


@pytest.fixture
def assessed(claim, bob):
    """`claim` with Bob's loss assessment of 2,000."""
    services.assess_loss(
        claim=claim,
        items=[{"description": "Cabinets", "coverage": claim.coverage.code, "amount": "2000"}],
        actor=bob,
        now=timezone.now(),
    )
    return claim
