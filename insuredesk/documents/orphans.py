"""Stored files that no row points at: what a rolled-back transaction leaves in storage.

Storage is not transactional. A letter's PDF, a claim document or a complaint attachment is
written before its row is inserted, so when the surrounding transaction rolls back (a refused
transition, a conflict, a crash) the file stays behind with nothing referring to it. Nobody can
reach such a file through the application; the worker's sweep removes it once it is older than
`GRACE`, which no transaction lasts, so a file whose row is about to commit is never touched.

Only the directories our FileFields write to are walked (`MEDIA_DIRECTORIES`); anything else an
operator keeps under MEDIA_ROOT is left alone.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models

logger = logging.getLogger(__name__)

# The first path component of every insuredesk FileField's upload_to (a test checks the list).
MEDIA_DIRECTORIES = ("letters", "claims", "complaints", "explanations", "sales")
GRACE = timedelta(hours=24)
# Walking storage costs a directory listing per folder: once an hour is plenty.
INTERVAL = timedelta(hours=1)

_last_run: datetime | None = None


def file_fields() -> list[tuple[type[models.Model], models.FileField]]:
    """Every FileField of an insuredesk model."""
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("insuredesk."):
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                found.append((model, field))
    return found


def referenced_names() -> set[str]:
    names: set[str] = set()
    for model, field in file_fields():
        names.update(
            model._default_manager.exclude(**{field.attname: ""}).values_list(
                field.attname, flat=True
            )
        )
    return names


def _walk(directory: str) -> Iterator[str]:
    try:
        folders, files = default_storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{directory}/{name}"
    for folder in folders:
        yield from _walk(f"{directory}/{folder}")


def orphans(*, now: datetime, grace: timedelta = GRACE) -> list[str]:
    """Names of stored files older than `grace` that no row refers to."""
    referenced = referenced_names()
    found = []
    for top in MEDIA_DIRECTORIES:
        for name in _walk(top):
            if name in referenced:
                continue
            if now - default_storage.get_modified_time(name) >= grace:
                found.append(name)
    return found


def sweep_orphan_files(*, now: datetime, force: bool = False) -> dict[str, int]:
    """The worker's periodic job: delete orphaned files, at most once per `INTERVAL`."""
    global _last_run
    if not force and _last_run is not None and now - _last_run < INTERVAL:
        return {"deleted": 0}
    _last_run = now
    deleted = 0
    for name in orphans(now=now):
        default_storage.delete(name)
        logger.info("Deleted %s: no row refers to it (left by a rolled-back transaction)", name)
        deleted += 1
    return {"deleted": deleted}
