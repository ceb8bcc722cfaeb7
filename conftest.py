"""Test set-up shared by every app: fast hashing, files in a temporary folder, the cast."""

import pytest

from insuredesk.tests import factories


@pytest.fixture(autouse=True)
def _hermetic_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def alice(db):
    return factories.alice()


@pytest.fixture
def mallory(db):
    return factories.mallory()


@pytest.fixture
def bob(db):
    return factories.bob()


@pytest.fixture
def carol(db):
    return factories.carol()


@pytest.fixture
def dave(db):
    return factories.dave()


@pytest.fixture
def erin(db):
    return factories.erin()


@pytest.fixture
def sam(db):
    return factories.sam()


@pytest.fixture
def alice_policy(alice):
    return factories.make_policy(alice)


@pytest.fixture
def overrides(settings):
    """Configure the jurisdiction profiles' U rules as INSUREDESK_RULE_OVERRIDES would, for the
    test: `overrides({"CN": {"SVC-23": {"params": {...}}}})`; undone afterwards."""
    from insuredesk.rules import registry

    def apply(value):
        settings.INSUREDESK_RULE_OVERRIDES = value
        registry.reload()

    yield apply
    del settings.INSUREDESK_RULE_OVERRIDES
    registry.reload()


@pytest.fixture
def api_client(client):
    """Django's test client with JSON helpers for the API."""
    return client


def bearer(user) -> dict[str, str]:
    """Headers carrying a fresh API token for the user (password is the factories' one)."""
    from insuredesk.customers.services import issue_token

    _, plain = issue_token(username=user.username, password=factories.PASSWORD)
    return {"Authorization": f"Bearer {plain}"}


@pytest.fixture
def auth_headers():
    return bearer
