"""Data a whole test module shares: built once, rolled back after the module.

Module-scoped fixtures use `shared_world` around their set-up, so that the tests of a module
(the API robustness sweep, the crawl) do not each load the cast or the demo again.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import transaction
from django.test import override_settings


@contextmanager
def shared_world(django_db_blocker, media: Path) -> Iterator[None]:
    """Open the database to the module, with hermetic settings (fast password hashing, files
    under `media`, mail kept in memory, tasks run at once); roll everything back at the end.

    The outer atomic block is marked as a test case's so that services which open durable
    transactions nest inside it, as they do under Django's TestCase.
    """
    hermetic = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDIA_ROOT=media,
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    )
    with django_db_blocker.unblock(), hermetic:
        outer = transaction.atomic()
        outer._from_testcase = True  # type: ignore[attr-defined]
        outer.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
