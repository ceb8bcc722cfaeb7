"""CN rules with a period: one spec per rule, each naming its source.

2026 dates are inside the official holiday notices (chinese_calendar); later years use the
holidays.China estimate.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from insuredesk.rules.tests.helpers import d, due

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_cn_refusal_notice_is_due_3_days_after_decision_il_24():
    deadline = due("CN", "CN-22", "2026-03-10")

    assert deadline.due_date == d("2026-03-13")
    assert deadline.deadline == datetime(2026, 3, 14, 0, 0, tzinfo=SHANGHAI)
    assert (deadline.rule, deadline.source, deadline.status) == ("CN-22", "IL Art. 24", "P")


def test_cn_rescission_lapses_30_days_after_insurer_learns_the_ground_il_16():
    assert due("CN", "CN-05", "2026-06-01").due_date == d("2026-07-01")


def test_cn_no_rescission_2_years_after_contract_formation_il_16():
    deadline = due("CN", "CN-05.incontestable", "2026-06-01")

    assert deadline.due_date == d("2028-06-01")
    assert deadline.estimated  # 2028 is past the last official holiday notice


def test_cn_long_term_health_cooling_off_is_15_days_hm_15():
    deadline = due("CN", "CN-09", "2026-06-01")

    assert deadline.due_date == d("2026-06-16")
    assert deadline.status == "S"


def test_cn_surrender_refund_due_30_days_after_notice_il_47():
    assert due("CN", "CN-14", "2026-06-01").due_date == d("2026-07-01")


def test_cn_cover_suspends_30_days_after_premium_demand_il_36():
    assert due("CN", "CN-15", "2026-06-01").due_date == d("2026-07-01")


def test_cn_cover_suspends_60_days_after_premium_due_date_il_36():
    assert due("CN", "CN-15.after_due", "2026-06-01").due_date == d("2026-07-31")


def test_cn_reinstatement_possible_for_2_years_after_suspension_il_37():
    assert due("CN", "CN-16", "2026-03-02").due_date == d("2028-03-02")


def test_cn_complex_claim_decided_within_30_days_il_23():
    deadline = due("CN", "CN-19", "2026-06-01")

    assert deadline.due_date == d("2026-07-01")
    assert deadline.source == "IL Art. 23"


def test_cn_claim_clock_pauses_while_documents_are_missing_ji_ii_15():
    # Missing-documents notice delivered 10 June, supplement arrived 20 June: 10 days added,
    # landing on Saturday 11 July, which rolls to Monday 13 July.
    deadline = due("CN", "CN-20", "2026-06-01", pauses=[("2026-06-10", "2026-06-20")])

    assert deadline.paused_days == 10
    assert deadline.rolled_from == d("2026-07-11")
    assert deadline.due_date == d("2026-07-13")
    assert deadline.source == "JI-II Art. 15"


def test_cn_payment_due_10_days_after_agreeing_the_amount_il_23():
    assert due("CN", "CN-21", "2026-07-06").due_date == d("2026-07-16")


def test_cn_advance_payment_due_60_days_after_claim_and_documents_il_25():
    assert due("CN", "CN-23", "2026-06-01").due_date == d("2026-07-31")


def test_cn_non_life_limitation_is_2_years_from_knowledge_il_26():
    assert due("CN", "CN-24", "2026-03-02").due_date == d("2028-03-02")


def test_cn_life_limitation_is_5_years_from_knowledge_il_26():
    # 2 March 2031 is a Sunday: the period ends on Monday.
    deadline = due("CN", "CN-24.life", "2026-03-02")

    assert deadline.rolled_from == d("2031-03-02")
    assert deadline.due_date == d("2031-03-03")


def test_cn_complaint_decision_due_in_15_days_cm():
    deadline = due("CN", "CN-28", "2026-03-02")

    assert deadline.due_date == d("2026-03-17")
    assert (deadline.source, deadline.status) == ("CM", "S")


def test_cn_complex_complaint_decision_due_in_30_days_cm():
    assert due("CN", "CN-28.complex", "2026-03-02").due_date == d("2026-04-01")


def test_cn_extended_complaint_decision_due_30_days_after_the_complex_period_cm():
    # Counted from the end of the complex-case period: 1 April + 30 = 1 May, Labour Day.
    deadline = due("CN", "CN-28.extended", "2026-04-01")

    assert deadline.rolled_from == d("2026-05-01")
    assert deadline.due_date == d("2026-05-06")


def test_cn_complaint_decision_never_later_than_60_days_cm():
    assert due("CN", "CN-28.max", "2026-03-02").due_date == d("2026-05-06")


def test_cn_complaint_clock_excludes_external_appraisal_time_cm():
    deadline = due("CN", "CN-28", "2026-03-02", pauses=[("2026-03-05", "2026-03-12")])

    assert deadline.due_date == d("2026-03-24")


def test_cn_review_may_be_requested_30_days_after_complaint_decision_cm():
    assert due("CN", "CN-29", "2026-06-01").due_date == d("2026-07-01")


def test_cn_all_personal_cooling_off_is_an_unconfirmed_default_of_15_days():
    deadline = due("CN", "CN-10", "2026-06-01")

    assert deadline.due_date == d("2026-06-16")
    assert deadline.unconfirmed
