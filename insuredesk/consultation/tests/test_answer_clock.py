"""The answer clock of a consultation runs under the service standard SVC-01 (2 business days)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from insuredesk.casework.choices import ClockState
from insuredesk.casework.models import Clock
from insuredesk.consultation import services
from insuredesk.consultation.choices import ConsultationStatus
from insuredesk.consultation.tests.factories import make_knowledge_base
from insuredesk.rules.registry import get_rule

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Tuesday 2026-03-10, 10:00 in Shanghai: two CN working days later is Thursday 2026-03-12.
ASKED_AT = dt.datetime(2026, 3, 10, 10, 0, tzinfo=SHANGHAI)
VAGUE = "Do you sponsor the local football club?"


@pytest.mark.parametrize("jurisdiction", ["CN", "GB", "US-CA"])
def test_svc_01_is_a_configurable_service_standard_of_two_business_days(jurisdiction):
    rule = get_rule(jurisdiction, "SVC-01")

    assert rule.unconfirmed and rule.stage == "pre-sale"
    assert "not a legal requirement" in rule.source
    assert (rule.period.unit, rule.period.amount) == ("business_days", 2)


def test_a_question_waiting_for_an_agent_runs_the_answer_clock_svc_01(alice):
    make_knowledge_base()

    asked = services.ask_question(actor=alice.user, question=VAGUE, now=ASKED_AT)

    case = asked.consultation.case
    assert case.status == ConsultationStatus.AWAITING_AGENT
    clock = case.clocks.get()  # one clock: the hand-over to the queue did not restart it
    assert (clock.name, clock.rule, clock.state) == ("answer", "SVC-01", ClockState.RUNNING)
    assert clock.started_at == ASKED_AT
    assert clock.due_date == dt.date(2026, 3, 12)
    case.refresh_from_db()
    assert case.next_deadline == clock.deadline
    assert [e.kind for e in case.events.order_by("id")] == ["asked", "queued"]


def test_an_agents_answer_within_two_business_days_meets_the_svc_01_clock(alice, dave):
    make_knowledge_base()
    consultation = services.ask_question(
        actor=alice.user, question=VAGUE, now=ASKED_AT
    ).consultation

    services.answer_consultation(
        consultation=consultation,
        actor=dave,
        body="We do not sponsor clubs, but our lectures are free.",
        now=ASKED_AT + dt.timedelta(days=1),
    )

    clock = consultation.case.clocks.get()
    assert clock.state == ClockState.MET
    assert clock.stopped_at == ASKED_AT + dt.timedelta(days=1)
    consultation.case.refresh_from_db()
    assert consultation.case.next_deadline is None


def test_an_answer_after_the_svc_01_deadline_is_recorded_as_breached(alice, dave):
    make_knowledge_base()
    consultation = services.ask_question(
        actor=alice.user, question=VAGUE, now=ASKED_AT
    ).consultation

    services.answer_consultation(
        consultation=consultation,
        actor=dave,
        body="Sorry for the wait: no, we do not.",
        now=ASKED_AT + dt.timedelta(days=4),
    )

    assert consultation.case.clocks.get().state == ClockState.BREACHED


def test_an_automatic_answer_stops_the_clock_at_the_moment_of_the_question(alice):
    make_knowledge_base()

    asked = services.ask_question(
        actor=alice.user, question="Can I cancel my policy after buying it?", now=ASKED_AT
    )

    case = asked.consultation.case
    assert case.status == ConsultationStatus.ANSWERED
    clock = case.clocks.get()
    assert clock.state == ClockState.MET and clock.stopped_at == ASKED_AT


def test_asking_for_a_person_after_an_automatic_answer_starts_a_new_svc_01_clock(alice):
    make_knowledge_base()
    consultation = services.ask_question(
        actor=alice.user, question="Can I cancel my policy after buying it?", now=ASKED_AT
    ).consultation
    later = ASKED_AT + dt.timedelta(days=7)

    services.ask_for_person(consultation=consultation, actor=alice.user, now=later)

    clocks = list(Clock.objects.filter(case=consultation.case).order_by("started_at"))
    assert [c.state for c in clocks] == [ClockState.MET, ClockState.RUNNING]
    assert clocks[1].started_at == later and clocks[1].rule == "SVC-01"


def test_a_lecture_follow_up_task_runs_the_answer_clock(alice):
    consultation = services.open_follow_up_task(
        customer=alice, subject="Follow-up after the lecture", body="Please call me.", now=ASKED_AT
    )

    clock = consultation.case.clocks.get()
    assert clock.state == ClockState.RUNNING and clock.started_at == ASKED_AT
