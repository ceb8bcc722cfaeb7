"""Transitions and the event log (casework): compare-and-set, immutable hash-chained events."""

import threading
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from insuredesk.casework import services
from insuredesk.casework.models import Case, CaseEvent
from insuredesk.casework.tests.kinds import TEST_KIND
from insuredesk.errors import Conflict, InvalidTransition

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)


def open_test_case(customer, actor=None, jurisdiction="CN", now=NOW):
    return services.open_case(
        kind=TEST_KIND.kind,
        title="Burst pipe",
        actor=actor,
        now=now,
        customer=customer,
        jurisdiction=jurisdiction,
    )


def test_opening_a_case_gives_a_readable_reference_and_an_opened_event(alice):
    case = open_test_case(alice)
    second = open_test_case(alice)
    assert case.reference == "TST-2026-000001"
    assert second.reference == "TST-2026-000002"
    assert case.status == "reported"
    assert [e.kind for e in case.events.all()] == ["opened"]


def test_transition_changes_status_and_writes_one_event(alice, bob):
    case = open_test_case(alice)
    event = services.transition(case, to="assessing", actor=bob, now=NOW, reason="Docs complete")
    case.refresh_from_db()
    assert case.status == "assessing"
    assert (event.from_status, event.to_status, event.actor, event.reason) == (
        "reported",
        "assessing",
        bob,
        "Docs complete",
    )
    assert case.events.count() == 2


def test_transition_not_in_the_table_is_refused_naming_both_statuses(alice, bob):
    case = open_test_case(alice)
    with pytest.raises(InvalidTransition) as refused:
        services.transition(case, to="closed", actor=bob, now=NOW)
    assert refused.value.status == 409
    assert refused.value.details["from_status"] == "reported"
    assert refused.value.details["to_status"] == "closed"
    assert case.events.count() == 1


def test_a_handler_acting_on_a_stale_status_gets_a_conflict_and_writes_nothing(alice, bob, carol):
    case = open_test_case(alice)
    stale = Case.objects.get(pk=case.pk)
    services.transition(case, to="assessing", actor=bob, now=NOW)
    with pytest.raises(Conflict):
        services.transition(stale, to="withdrawn", actor=carol, now=NOW)
    assert Case.objects.get(pk=case.pk).status == "assessing"
    assert case.events.count() == 2


def test_closing_sets_closed_at_and_reopening_clears_it(alice, bob):
    case = open_test_case(alice)
    services.transition(case, to="withdrawn", actor=bob, now=NOW)
    assert case.closed_at == NOW
    assert not case.is_open


def test_events_cannot_be_changed_or_deleted_through_the_application(alice):
    event = open_test_case(alice).events.get()
    event.reason = "rewritten"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


def test_events_are_chained_each_to_the_hash_of_the_one_before(alice, bob):
    case = open_test_case(alice)
    services.transition(case, to="assessing", actor=bob, now=NOW)
    first, second = CaseEvent.objects.order_by("sequence")
    assert second.prev_hash == first.hash
    assert second.sequence == first.sequence + 1


def _verify() -> str:
    out = StringIO()
    call_command("audit", "verify", "--quiet", stdout=out)
    return out.getvalue()


def test_audit_verify_passes_on_an_untouched_log(alice, bob):
    case = open_test_case(alice)
    services.transition(case, to="assessing", actor=bob, now=NOW)
    assert "2 events verified" in _verify()


def test_audit_verify_names_the_first_edited_event(alice, bob):
    case = open_test_case(alice)
    services.transition(case, to="assessing", actor=bob, now=NOW, reason="ok")
    services.transition(case, to="decided", actor=bob, now=NOW)
    tampered = CaseEvent.objects.get(sequence=2)
    CaseEvent.objects.filter(pk=tampered.pk).update(reason="approved without documents")
    with pytest.raises(CommandError, match=r"event #2: altered"):
        _verify()


def test_audit_verify_notices_a_removed_event(alice, bob):
    case = open_test_case(alice)
    services.transition(case, to="assessing", actor=bob, now=NOW)
    services.transition(case, to="decided", actor=bob, now=NOW)
    CaseEvent.objects.filter(sequence=2).delete()  # a bulk delete bypasses the model guard
    with pytest.raises(CommandError, match=r"event #2: missing"):
        _verify()


def test_audit_verify_notices_events_removed_from_the_end(alice, bob):
    case = open_test_case(alice)
    services.transition(case, to="assessing", actor=bob, now=NOW)
    CaseEvent.objects.filter(sequence=2).delete()
    with pytest.raises(CommandError, match=r"missing: the chain head says #2"):
        _verify()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_handlers_moving_one_case_at_once_exactly_one_wins(alice, bob, carol):
    if connection.vendor != "postgresql":
        pytest.skip("row locking is exercised on PostgreSQL")
    case = open_test_case(alice)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def act(actor, target):
        try:
            mine = Case.objects.get(pk=case.pk)
            barrier.wait()
            with transaction.atomic(durable=True):
                services.transition(mine, to=target, actor=actor, now=NOW)
            outcomes.append("won")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=(bob, "assessing")),
        threading.Thread(target=act, args=(carol, "withdrawn")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "won"]
    assert CaseEvent.objects.filter(case_id=case.pk).count() == 2  # opened + the one winner
    assert "2 events verified" in _verify()
