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


def test_one_sweep_runs_every_apps_periodic_jobs(db):
    names = [name for name, _ in worker.periodic_jobs()]
    assert names[0] == "outbox"
    assert {"clocks", "claims", "lecture_reminders", "improvement_measures"} <= set(names)
    results = worker.sweep_once()
    assert results["clocks"] == {"due_soon": 0, "breached": 0}
    assert results["outbox"] == {"reclaimed": 0, "dead": 0, "queued": 0}


def test_the_sweep_raises_a_breach_alert_for_a_real_clock(alice, bob):
    from datetime import timedelta

    from insuredesk.casework import services as casework
    from insuredesk.casework.tests.test_transitions import NOW, open_test_case

    case = open_test_case(alice)
    casework.assign(case, assignee=bob, actor=None, now=NOW)
    deadline = case.clocks.get(name="decision").deadline
    results = worker.sweep_once(now=deadline + timedelta(minutes=1))
    assert results["clocks"] == {"due_soon": 0, "breached": 1}
    assert Message.objects.filter(recipient_user=bob, case=case).count() == 1


def test_a_failing_sweep_job_does_not_stop_the_others(db, monkeypatch):
    from insuredesk.casework import tasks as casework_tasks

    def broken(*, now):
        raise RuntimeError("clock table is locked")

    monkeypatch.setattr(casework_tasks, "PERIODIC_JOBS", [("clocks", broken)])
    results = worker.sweep_once()
    assert results["clocks"] == {"error": 1}
    assert results["outbox"] == {"reclaimed": 0, "dead": 0, "queued": 0}
