"""US-CA rules with a period: one spec per rule, each naming its source (10 CCR 2695, Ins. Code).

California counts calendar days and never rolls over a weekend or holiday.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from insuredesk.rules.tests.helpers import d, due

LOS_ANGELES = ZoneInfo("America/Los_Angeles")


def test_ca_claim_acknowledged_within_15_days_of_notice_2695_5_e():
    deadline = due("US-CA", "CA-01", "2026-03-02")

    assert deadline.due_date == d("2026-03-17")
    assert deadline.source == "10 CCR 2695.5(e)"


def test_ca_fair_claims_notice_sent_within_15_days_790_034():
    assert due("US-CA", "CA-02", "2026-03-02").due_date == d("2026-03-17")


def test_ca_claimant_communication_answered_within_15_days_2695_5_b():
    # Ends on Christmas Day: no roll-over in California.
    deadline = due("US-CA", "CA-03", "2026-12-10")

    assert deadline.due_date == d("2026-12-25")
    assert deadline.rolled_from is None


def test_ca_decision_due_40_days_after_proof_of_claim_2695_7_b():
    deadline = due("US-CA", "CA-05", "2026-03-02")

    assert deadline.due_date == d("2026-04-11")  # a Saturday, and it stays one
    assert deadline.deadline == datetime(2026, 4, 12, 0, 0, tzinfo=LOS_ANGELES)
    assert deadline.deadline.utcoffset().total_seconds() == -7 * 3600


def test_ca_first_delay_letter_due_by_day_40_2695_7_c_1():
    deadline = due("US-CA", "CA-08", "2026-03-02")

    assert deadline.due_date == d("2026-04-11")
    assert deadline.status == "S"


def test_ca_further_delay_letters_every_30_days_2695_7_c_1():
    assert due("US-CA", "CA-08.every", "2026-04-11").due_date == d("2026-05-11")


def test_ca_limitation_warning_due_60_days_before_expiry_2695_7_f():
    assert due("US-CA", "CA-10", "2027-03-02").due_date == d("2027-01-01")


def test_ca_accepted_claim_paid_within_30_days_2695_7_h():
    assert due("US-CA", "CA-11", "2026-03-02").due_date == d("2026-04-01")


def test_ca_claim_files_kept_5_years_2695_3():
    assert due("US-CA", "CA-13", "2026-03-02").due_date == d("2031-03-02")
