"""Files a rolled-back transaction left in storage are swept; nothing with a row is touched."""

import os
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from insuredesk.documents import orphans
from insuredesk.documents.models import Letter
from insuredesk.documents.tests.factories import make_letter


class RolledBack(Exception):
    pass


def _age(name: str, *, hours: float) -> None:
    """Backdate a stored file's modification time."""
    path = default_storage.path(name)
    stamp = (timezone.now() - timedelta(hours=hours)).timestamp()
    os.utime(path, (stamp, stamp))


def _stored(top: str) -> set[str]:
    return set(orphans._walk(top))


def test_a_rolled_back_letter_leaves_a_file_the_sweep_removes_after_the_grace_period(alice):
    kept = make_letter(alice)
    with pytest.raises(RolledBack), transaction.atomic():
        make_letter(alice)
        raise RolledBack
    assert Letter.objects.count() == 1
    left_over = _stored("letters") - {kept.file.name}
    assert len(left_over) == 1  # the PDF of the letter whose row was rolled back
    (orphan,) = left_over
    now = timezone.now()

    assert orphans.sweep_orphan_files(now=now, force=True) == {"deleted": 0}  # too young yet
    _age(orphan, hours=25)
    _age(kept.file.name, hours=25)
    assert orphans.sweep_orphan_files(now=now, force=True) == {"deleted": 1}
    assert _stored("letters") == {kept.file.name}
    kept.refresh_from_db()
    assert kept.file.read()[:5] == b"%PDF-"


def test_files_outside_our_directories_are_never_touched(db):
    name = default_storage.save("operator-notes/readme.txt", ContentFile(b"keep me"))
    _age(name, hours=1000)
    assert orphans.sweep_orphan_files(now=timezone.now(), force=True) == {"deleted": 0}
    assert default_storage.exists(name)


def test_the_sweep_runs_at_most_once_an_hour(db, monkeypatch):
    monkeypatch.setattr(orphans, "_last_run", None)
    now = timezone.now()
    name = default_storage.save("claims/2020/01/stray.pdf", ContentFile(b"%PDF-1.7"))
    _age(name, hours=48)
    first = orphans.sweep_orphan_files(now=now)
    again = default_storage.save("claims/2020/01/stray-2.pdf", ContentFile(b"%PDF-1.7"))
    _age(again, hours=48)
    assert first == {"deleted": 1}
    assert orphans.sweep_orphan_files(now=now + timedelta(minutes=30)) == {"deleted": 0}
    assert default_storage.exists(again)
    assert orphans.sweep_orphan_files(now=now + timedelta(minutes=61)) == {"deleted": 1}


def test_every_file_field_writes_under_a_swept_directory(db):
    now = timezone.now()
    for model, field in orphans.file_fields():
        instance = model()
        for other in model._meta.concrete_fields:
            if other.get_internal_type() == "DateTimeField":
                setattr(instance, other.attname, now)
        name = field.generate_filename(instance, "evidence.pdf")
        assert name.split("/", 1)[0] in orphans.MEDIA_DIRECTORIES, (model.__name__, name)


def test_the_worker_runs_the_sweep():
    from insuredesk.notifications.management.commands.worker import periodic_jobs

    assert ("orphan_files", orphans.sweep_orphan_files) in periodic_jobs()
