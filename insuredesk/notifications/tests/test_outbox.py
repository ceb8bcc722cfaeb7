"""The outbox (notifications): written with the change, delivered after commit, at most once."""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection, transaction
from django.utils import timezone

from insuredesk.documents.tests.factories import make_letter
from insuredesk.notifications import services, sms
from insuredesk.notifications.models import Message, MessageStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)


class RefusingBackend(LocmemBackend):
    """An e-mail server that is down."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server refused the connection")


class SlowBackend(LocmemBackend):
    """An e-mail server slow enough that two deliverers overlap."""

    def send_messages(self, messages):
        threading.Event().wait(0.2)
        return super().send_messages(messages)


def notify_alice(alice, *, key="claim-received:1", channel="email", now=T0, **extra):
    return services.notify(
        recipient=alice,
        channel=channel,
        subject="We received your claim",
        body="Your claim CLM-1 is with us.",
        dedupe_key=key,
        now=now,
        **extra,
    )


@pytest.fixture(autouse=True)
def _sms_in_memory(settings):
    settings.INSUREDESK = {
        **settings.INSUREDESK,
        "SMS_BACKEND": "insuredesk.notifications.sms.MemoryBackend",
    }
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@time_machine.travel(T0, tick=False)
def test_a_message_is_delivered_after_the_callers_commit(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = notify_alice(alice)
        assert message.status == MessageStatus.PENDING
        assert mail.outbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert (message.attempts, message.sent_at, message.address) == (1, T0, alice.email)
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert mail.outbox[0].extra_headers["Message-ID"] == f"<{message.public_id}@insuredesk>"


def test_a_message_written_in_a_rolled_back_transaction_is_neither_kept_nor_sent(
    alice, django_capture_on_commit_callbacks
):
    class Boom(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        notify_alice(alice)
        raise Boom
    assert callbacks == []
    assert not Message.objects.exists()
    assert mail.outbox == []


def test_the_same_dedupe_key_twice_writes_one_message(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = notify_alice(alice, key="refusal:CLM-1")
        second = notify_alice(alice, key="refusal:CLM-1")
    assert first.pk == second.pk
    assert Message.objects.count() == 1
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1


@time_machine.travel(T0, tick=False)
def test_an_email_carries_its_letter_as_a_pdf_attachment(alice, django_capture_on_commit_callbacks):
    letter = make_letter(alice)
    with django_capture_on_commit_callbacks(execute=True):
        notify_alice(alice, letter=letter)
    [(filename, content, mimetype)] = mail.outbox[0].attachments
    assert (filename, mimetype) == (letter.filename, "application/pdf")
    assert content == letter.file.open("rb").read()


@time_machine.travel(T0, tick=False)
def test_an_sms_goes_through_the_configured_backend_with_the_message_reference(
    alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = notify_alice(alice, channel="sms")
    assert sms.outbox == [
        {"to": alice.phone, "body": message.body, "reference": str(message.public_id)}
    ]
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_a_message_with_nowhere_to_go_is_written_dead_and_the_caller_carries_on(
    alice, django_capture_on_commit_callbacks
):
    alice.email = ""
    alice.user.email = ""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = notify_alice(alice)
    assert message.status == MessageStatus.DEAD
    assert "No E-mail address" in message.last_error
    assert callbacks == []


def test_a_failed_send_is_retried_with_backoff_and_then_given_up(alice, settings):
    settings.EMAIL_BACKEND = "insuredesk.notifications.tests.test_outbox.RefusingBackend"
    message = notify_alice(alice)
    now = T0
    delays = []
    for attempt in range(1, services.max_attempts() + 1):
        outcome = services.deliver_message(message_id=message.pk, worker="w1", now=now)
        message.refresh_from_db()
        assert message.attempts == attempt
        assert "SMTP server refused" in message.last_error
        if attempt < services.max_attempts():
            assert (outcome, message.status) == ("failed", MessageStatus.FAILED)
            delays.append(message.next_attempt_at - now)
            # Not before its time: an early task does nothing.
            early = message.next_attempt_at - timedelta(seconds=1)
            assert services.deliver_message(message_id=message.pk, worker="w2", now=early) == (
                "skipped"
            )
            now = message.next_attempt_at
        else:
            assert (outcome, message.status) == ("dead", MessageStatus.DEAD)
    assert delays == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16)]
    # A dead message stays dead.
    assert services.deliver_message(message_id=message.pk, worker="w1", now=now + delays[-1]) == (
        "skipped"
    )


def test_a_worker_killed_between_claiming_and_sending_leaves_a_message_sent_once(alice):
    with time_machine.travel(T0, tick=False):
        message = notify_alice(alice)  # the on-commit task never ran: the worker died first
        assert services.claim_message(message_id=message.pk, worker="doomed", now=T0)
        # ... and here the doomed worker dies without sending.

    with time_machine.travel(T0 + timedelta(minutes=2), tick=False):
        swept = services.sweep_outbox(now=timezone.now())
        assert swept["reclaimed"] == 0  # still within its lease: nobody else may send it
        assert mail.outbox == []

    with time_machine.travel(T0 + services.LEASE + timedelta(seconds=1), tick=False):
        swept = services.sweep_outbox(now=timezone.now())
    assert (swept["reclaimed"], swept["queued"]) == (1, 1)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 2)
    assert len(mail.outbox) == 1

    # Were the doomed worker to wake up after all, its send step finds the row is not its own.
    assert services.send_claimed(message_id=message.pk, worker="doomed", now=T0) == "skipped"
    assert len(mail.outbox) == 1


def test_a_message_whose_enqueue_was_lost_is_queued_by_the_sweep(alice):
    message = notify_alice(alice)  # committed, but the process died before enqueueing
    with time_machine.travel(T0 + timedelta(seconds=30), tick=False):
        assert services.sweep_outbox(now=timezone.now())["queued"] == 0  # on-commit may yet run
    with time_machine.travel(T0 + timedelta(minutes=2), tick=False):
        assert services.sweep_outbox(now=timezone.now())["queued"] == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert len(mail.outbox) == 1


def test_a_portal_message_is_delivered_to_the_inbox_without_leaving_the_system(
    alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = notify_alice(alice, channel="portal")
    message.refresh_from_db()
    assert (message.status, message.address, message.read_at) == (MessageStatus.SENT, "", None)
    assert mail.outbox == [] and sms.outbox == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_deliverers_racing_for_one_message_send_it_once(alice, settings):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent claims are exercised on PostgreSQL")
    settings.EMAIL_BACKEND = "insuredesk.notifications.tests.test_outbox.SlowBackend"
    # Queue the on-commit task without running it, so the two deliverers below are the only ones.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    message = notify_alice(alice, now=timezone.now())
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def deliver(worker: str) -> None:
        try:
            barrier.wait()
            outcomes.append(
                services.deliver_message(message_id=message.pk, worker=worker, now=timezone.now())
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=(w,)) for w in ("w1", "w2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["sent", "skipped"]
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 1)
