"""Clocks on cases: started, paused, resumed and stopped by events, deadlines from the rules."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from insuredesk.casework import services
from insuredesk.casework.choices import ClockState
from insuredesk.casework.models import Case
from insuredesk.casework.tests.kinds import TEST_KIND
from insuredesk.casework.tests.test_transitions import NOW, open_test_case

SHANGHAI = ZoneInfo("Asia/Shanghai")


def decision_clock(case):
    return case.clocks.get(name="decision", state__in=["running", "paused", "met", "breached"])


def test_cn_decision_clock_runs_30_days_from_receipt_il_23(alice):
    case = open_test_case(alice)  # 2026-03-02
    clock = decision_clock(case)
    assert clock.rule == "CN-19"
    assert clock.due_date.isoformat() == "2026-04-01"
    assert clock.state == ClockState.RUNNING
    assert Case.objects.get(pk=case.pk).next_deadline == clock.deadline


def test_cn_missing_documents_pause_adds_the_paused_days_ji_ii_15(alice, bob):
    case = open_test_case(alice)
    services.record_event(case, kind="documents_requested", actor=bob, now=NOW + timedelta(days=5))
    assert decision_clock(case).state == ClockState.PAUSED
    services.record_event(case, kind="documents_received", actor=None, now=NOW + timedelta(days=12))
    clock = decision_clock(case)
    assert clock.state == ClockState.RUNNING
    assert clock.due_date.isoformat() == "2026-04-08"  # 2026-04-01 + 7 paused days


def test_clock_stopped_before_its_deadline_is_met(alice, bob):
    case = open_test_case(alice)
    services.transition(case, to="assessing", actor=bob, now=NOW)
    services.transition(case, to="decided", actor=bob, now=NOW + timedelta(days=10))
    assert decision_clock(case).state == ClockState.MET
    assert Case.objects.get(pk=case.pk).next_deadline is None


def test_clock_stopped_after_its_deadline_is_breached(alice, bob):
    case = open_test_case(alice)
    services.transition(case, to="assessing", actor=bob, now=NOW)
    services.transition(case, to="decided", actor=bob, now=NOW + timedelta(days=45))
    assert decision_clock(case).state == ClockState.BREACHED


def test_cn_refusal_notice_clock_is_3_days_from_the_decision_il_24(alice, bob):
    case = open_test_case(alice)
    services.record_event(
        case, kind="refusal_decided", actor=bob, now=datetime(2026, 9, 29, 15, 0, tzinfo=SHANGHAI)
    )
    clock = case.clocks.get(name="refusal_notice")
    # 3 days after 29 Sep is 2 Oct, inside the National Day holiday (1-7 Oct): rolls to 8 Oct.
    assert clock.due_date.isoformat() == "2026-10-08"


def test_us_ca_runs_its_own_rule_and_gb_runs_no_decision_clock(db):
    from insuredesk.tests.factories import make_customer

    carla = make_customer("carla", jurisdiction="US-CA")
    george = make_customer("george", jurisdiction="GB")
    ca_case = open_test_case(carla, jurisdiction="US-CA")
    gb_case = open_test_case(george, jurisdiction="GB")
    assert decision_clock(ca_case).rule == "CA-05"
    # 10:00 on 2 March in Shanghai is the evening of 1 March in Los Angeles: 40 calendar days
    # from the Californian date.
    assert decision_clock(ca_case).due_date.isoformat() == "2026-04-10"
    assert not gb_case.clocks.exists()


def test_closing_a_case_stops_its_open_clocks(alice, bob):
    case = open_test_case(alice)
    services.transition(case, to="withdrawn", actor=bob, now=NOW + timedelta(days=1))
    assert decision_clock(case).state == ClockState.MET


def test_sweep_alerts_due_soon_once_then_breach_once(alice, bob, settings):
    settings.INSUREDESK = {**settings.INSUREDESK, "DUE_SOON_HOURS": 48}
    case = open_test_case(alice)
    services.assign(case, assignee=bob, actor=None, now=NOW)
    clock = decision_clock(case)
    soon = clock.deadline - timedelta(hours=24)
    assert services.sweep_clocks(now=soon) == {"due_soon": 1, "breached": 0}
    assert services.sweep_clocks(now=soon) == {"due_soon": 0, "breached": 0}
    late = clock.deadline + timedelta(minutes=1)
    assert services.sweep_clocks(now=late) == {"due_soon": 0, "breached": 1}
    assert services.sweep_clocks(now=late) == {"due_soon": 0, "breached": 0}
    assert decision_clock(case).state == ClockState.BREACHED
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds.count("clock_due_soon") == 1 and kinds.count("clock_breached") == 1


def test_display_state_marks_due_soon_and_overdue(alice):
    case = open_test_case(alice)
    clock = decision_clock(case)
    lead = timedelta(hours=48)
    assert clock.display_state(clock.deadline - timedelta(days=10), lead) == "running"
    assert clock.display_state(clock.deadline - timedelta(hours=3), lead) == "due_soon"
    assert clock.display_state(clock.deadline, lead) == "overdue"


def test_clock_arithmetic_uses_the_case_time_zone_not_the_servers(alice):
    # 23:30 on 1 March in Shanghai is still 1 March locally; counting starts on 2 March.
    late_evening = datetime(2026, 3, 1, 15, 30, tzinfo=ZoneInfo("UTC"))
    with time_machine.travel(late_evening):
        case = services.open_case(
            kind=TEST_KIND.kind, title="t", actor=None, now=late_evening, customer=alice
        )
    assert decision_clock(case).due_date.isoformat() == "2026-03-31"


def test_retime_counts_a_further_period_from_the_end_of_another_and_caps_it_cm_28(alice):
    from insuredesk.casework.registry import ClockSpec

    case = open_test_case(alice)  # received 2026-03-02
    spec = ClockSpec("decide", "Decide the complaint", rules={"CN": "CN-28"}, starts_on=())
    clock = services.start_clock(case, spec, at=NOW)
    assert clock.due_date.isoformat() == "2026-03-17"  # 15 days (CN-28)
    services.retime_clock(clock, rule="CN-28.complex")
    assert clock.due_date.isoformat() == "2026-04-01"  # 30 days if complex
    services.retime_clock(
        clock,
        rule="CN-28.extended",
        extends_rule="CN-28.complex",
        extra_days=20,
        cap_rule="CN-28.max",
    )
    assert clock.due_date.isoformat() == "2026-04-21"  # a further 20 days approved
    services.retime_clock(
        clock,
        rule="CN-28.extended",
        extends_rule="CN-28.complex",
        extra_days=45,
        cap_rule="CN-28.max",
    )
    # Never past day 60 (CN-28.max): 1 May, in the Labour Day holiday, so 6 May.
    assert clock.due_date.isoformat() == "2026-05-06"
    assert clock.due_soon_alerted_at is None
