"""GB rules with a period: one spec per rule, each naming its source (FCA Handbook)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from insuredesk.rules.tests.helpers import d, due

LONDON = ZoneInfo("Europe/London")


def test_gb_pure_protection_may_be_cancelled_within_30_days_icobs_7_1_1r():
    assert due("GB", "GB-01", "2026-03-02").due_date == d("2026-04-01")


def test_gb_other_contracts_may_be_cancelled_within_14_days_icobs_7_1_1r():
    assert due("GB", "GB-01.other", "2026-03-02").due_date == d("2026-03-16")


def test_gb_summary_resolution_by_3rd_business_day_disp_1_5():
    deadline = due("GB", "GB-08", "2026-03-02")  # a Monday

    assert deadline.due_date == d("2026-03-05")
    assert deadline.source == "DISP 1.5"


def test_gb_summary_resolution_skips_the_weekend_disp_1_5():
    assert due("GB", "GB-08", "2026-03-06").due_date == d("2026-03-11")  # Friday -> Wednesday


def test_gb_final_response_due_in_8_weeks_disp_1_6_2r():
    deadline = due("GB", "GB-09", "2026-03-02")

    assert deadline.due_date == d("2026-04-27")
    # British Summer Time by then: the deadline carries the +01:00 offset.
    assert deadline.deadline == datetime(2026, 4, 28, 0, 0, tzinfo=LONDON)
    assert deadline.deadline.utcoffset().total_seconds() == 3600
    assert deadline.source == "DISP 1.6.2R"


def test_gb_holding_letter_due_at_8_weeks_disp_1_6_2r():
    assert due("GB", "GB-09.holding", "2026-03-02").due_date == d("2026-04-27")


def test_gb_final_response_weeks_do_not_move_off_a_bank_holiday_disp_1_6_2r():
    # 8 weeks from 2 November 2026 end on Monday 28 December, Boxing Day's substitute.
    deadline = due("GB", "GB-09", "2026-11-02")

    assert deadline.due_date == d("2026-12-28")
    assert deadline.rolled_from is None


def test_gb_ombudsman_referral_within_6_months_of_final_response_disp_2_8_2r():
    # 31 August + 6 months: February has no 31st, so its last day.
    assert due("GB", "GB-11", "2026-08-31").due_date == d("2027-02-28")


def test_gb_ombudsman_longstop_6_years_from_event_disp_2_8_2r():
    assert due("GB", "GB-11.event", "2026-03-02").due_date == d("2032-03-02")


def test_gb_ombudsman_longstop_3_years_from_awareness_disp_2_8_2r():
    assert due("GB", "GB-11.awareness", "2026-03-02").due_date == d("2029-03-02")


def test_gb_complaint_records_kept_3_years_from_receipt_disp_1_9_1r():
    assert due("GB", "GB-13", "2026-03-02").due_date == d("2029-03-02")
