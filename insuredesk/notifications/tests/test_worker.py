"""`insuredesk worker` (notifications): runs queued tasks and the periodic sweep."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from insuredesk.notifications.management.commands import worker
from insuredesk.notifications.models import Message, MessageStatus
from insuredesk.notifications.services import notify


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_delivery_tasks_queued_in_the_database(alice, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    message = notify(
        recipient=alice,
        channel="email",
        subject="Hi",
        body="Hello",
        dedupe_key="db-task",
        now=timezone.now(),
    )
    assert Message.objects.get(pk=message.pk).status == MessageStatus.PENDING  # only queued

    call_command("worker", "--once", stdout=StringIO())

    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert len(mail.outbox) == 1


def test_one_sweep_repairs_the_outbox_and_runs_the_clock_sweep(db, monkeypatch):
    calls = []

    def fake_clock_sweep(*, now):  # type: ignore[no-untyped-def]
        calls.append(now)
        return {"due_soon": 0, "breached": 0}

    monkeypatch.setattr(worker, "_clock_sweep", lambda: fake_clock_sweep)
    results = worker.sweep_once()
    assert set(results) == {"outbox", "clocks"}
    assert len(calls) == 1


def test_a_failing_sweep_job_does_not_stop_the_others(db, monkeypatch):
    def broken(*, now):  # type: ignore[no-untyped-def]
        raise RuntimeError("clock table is locked")

    monkeypatch.setattr(worker, "_clock_sweep", lambda: broken)
    results = worker.sweep_once()
    assert results["clocks"] == {"error": 1}
    assert results["outbox"] == {"reclaimed": 0, "dead": 0, "queued": 0}
