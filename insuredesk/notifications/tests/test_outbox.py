"""The outbox (notifications): written with the change, delivered after commit, at most once."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone

from insuredesk.documents.tests.factories import make_letter
from insuredesk.notifications import services, sms
from insuredesk.notifications.models import Message, MessageStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)


def notify_alice(alice, *, key="claim-received:1", channel="email", now=T0, **extra):  # type: ignore[no-untyped-def]
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
def _clean_sms_outbox():  # type: ignore[no-untyped-def]
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

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Boom), transaction.atomic():
            notify_alice(alice)
            raise Boom
    assert callbacks == []
    assert not Message.objects.exists()
    assert mail.outbox == []
