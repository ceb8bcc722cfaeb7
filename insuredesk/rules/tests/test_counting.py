"""Day counting shared by every profile: month ends, leap days, holidays, time zones, pauses."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from insuredesk.rules.deadlines import Pause
from insuredesk.rules.errors import (
    InvalidDate,
    InvalidPause,
    RuleHasNoPeriod,
    UnknownJurisdiction,
    UnknownRule,
)
from insuredesk.rules.tests.helpers import d, due

SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = ZoneInfo("UTC")


# Counting starts the day after the trigger and ends at 24:00 of the last day (CC Arts. 201, 203).


def test_deadline_is_midnight_starting_the_day_after_the_last_day():
    deadline = due("CN", "CN-22", "2026-03-10")

    assert deadline.due_date == d("2026-03-13")
    assert deadline.deadline == datetime(2026, 3, 14, tzinfo=SHANGHAI)
    assert not deadline.is_overdue(datetime(2026, 3, 13, 23, 59, 59, tzinfo=SHANGHAI))
    assert deadline.is_overdue(datetime(2026, 3, 14, 0, 0, tzinfo=SHANGHAI))


def test_a_period_crosses_a_month_end():
    assert due("CN", "CN-22", "2026-01-30").due_date == d("2026-02-02")


def test_a_month_period_ending_on_a_missing_day_takes_the_month_end():
    assert due("GB", "GB-11", "2026-08-31").due_date == d("2027-02-28")


def test_a_month_period_reaches_the_leap_day():
    assert due("GB", "GB-11", "2027-08-31").due_date == d("2028-02-29")


def test_a_day_period_counts_the_leap_day():
    assert due("US-CA", "CA-01", "2028-02-20").due_date == d("2028-03-06")
    assert due("US-CA", "CA-05", "2028-02-29").due_date == d("2028-04-09")


def test_a_year_period_from_the_leap_day_ends_on_28_february():
    assert due("GB", "GB-13", "2028-02-29").due_date == d("2031-02-28")
    assert due("CN", "CN-16", "2028-02-29").due_date == d("2030-02-28")


# CN roll-over (CC Art. 203) and adjusted working days.


def test_cn_period_ending_in_spring_festival_2026_rolls_to_the_first_working_day():
    # Holiday 15-23 February 2026: 12 Feb + 3 = Sunday 15 Feb -> Tuesday 24 Feb.
    deadline = due("CN", "CN-22", "2026-02-12")

    assert deadline.rolled_from == d("2026-02-15")
    assert deadline.due_date == d("2026-02-24")


def test_cn_period_ending_in_national_day_2026_rolls_to_8_october():
    # Holiday 1-7 October 2026.
    deadline = due("CN", "CN-22", "2026-09-28")

    assert deadline.rolled_from == d("2026-10-01")
    assert deadline.due_date == d("2026-10-08")


def test_cn_adjusted_working_saturday_is_a_working_day():
    # Saturday 14 February 2026 is worked in exchange for the Spring Festival.
    deadline = due("CN", "CN-22", "2026-02-11")

    assert deadline.due_date == d("2026-02-14")
    assert deadline.rolled_from is None


def test_cn_adjusted_working_sunday_is_a_working_day():
    # Sunday 20 September 2026 is worked in exchange for National Day.
    assert due("CN", "CN-22", "2026-09-17").due_date == d("2026-09-20")


def test_cn_ordinary_weekend_rolls_to_monday():
    deadline = due("CN", "CN-22", "2026-03-04")  # + 3 = Saturday 7 March

    assert deadline.due_date == d("2026-03-09")


def test_cn_deadline_beyond_the_official_notices_is_marked_estimated():
    assert not due("CN", "CN-22", "2026-03-10").estimated
    assert due("CN", "CN-22", "2030-03-10").estimated


# GB business days: weekends and England & Wales bank holidays, substitute days included.


def test_gb_business_days_skip_christmas_and_boxing_day_substitute_2026():
    # 25 Dec 2026 is a Friday; Boxing Day falls on Saturday, so Monday 28 Dec is its substitute.
    assert due("GB", "GB-08", "2026-12-23").due_date == d("2026-12-30")


def test_gb_business_days_skip_both_substitute_days_of_christmas_2027():
    # Christmas 2027 is a Saturday, Boxing Day a Sunday: Monday 27 and Tuesday 28 are off.
    assert due("GB", "GB-08", "2027-12-23").due_date == d("2027-12-30")


def test_gb_business_days_skip_easter_2027():
    # Good Friday 26 March, Easter Monday 29 March 2027.
    assert due("GB", "GB-08", "2027-03-25").due_date == d("2027-04-01")


def test_gb_calendar_day_periods_do_not_roll_over():
    assert due("GB", "GB-01.other", "2026-12-11").due_date == d("2026-12-25")


# The start: dates, naive and aware datetimes, ISO strings.


def test_an_aware_start_is_taken_in_the_profile_time_zone():
    # 20:00 UTC on 9 March is 04:00 on 10 March in Shanghai.
    start = datetime(2026, 3, 9, 20, 0, tzinfo=UTC)

    assert due("CN", "CN-22", start).start_date == d("2026-03-10")


def test_an_aware_start_is_taken_in_california_time():
    # 03:00 UTC on 3 March is still 2 March in Los Angeles.
    assert due("US-CA", "CA-05", "2026-03-03T03:00:00Z").start_date == d("2026-03-02")


def test_a_naive_start_is_local_time():
    assert due("CN", "CN-22", datetime(2026, 3, 10, 23, 30)).start_date == d("2026-03-10")


def test_a_date_and_its_iso_string_give_the_same_deadline():
    assert due("CN", "CN-22", date(2026, 3, 10)) == due("CN", "CN-22", "2026-03-10")


def test_a_malformed_start_names_the_field():
    with pytest.raises(InvalidDate) as caught:
        due("CN", "CN-22", "2026-02-30")

    assert caught.value.details["field"] == "start"
    assert caught.value.status == 422


def test_a_start_in_a_far_year_is_refused():
    with pytest.raises(InvalidDate) as caught:
        due("CN", "CN-24.life", "9999-12-30")

    assert caught.value.details == {"field": "start"}


def test_a_pause_into_a_far_year_is_refused():
    with pytest.raises(InvalidDate) as caught:
        due("CN", "CN-19", "2026-03-02", pauses=[("2026-03-05", "9999-01-01")])

    assert caught.value.details == {"field": "pauses.0.to"}


# Pauses add (resume date - pause date) days.


def test_pauses_add_the_paused_days():
    deadline = due(
        "CN",
        "CN-19",
        "2026-03-02",
        pauses=[("2026-03-05", "2026-03-09"), {"from": "2026-03-10", "to": "2026-03-12"}],
    )

    assert deadline.paused_days == 6
    assert deadline.due_date == d("2026-04-07")  # 1 April + 6


def test_pauses_accept_datetimes_and_pause_objects():
    resume = datetime(2026, 3, 9, 9, 30, tzinfo=SHANGHAI)
    deadline = due("CN", "CN-19", "2026-03-02", pauses=[Pause("2026-03-05T16:00:00", resume)])

    assert deadline.paused_days == 4


def test_a_pause_resumed_the_same_day_adds_nothing():
    deadline = due("CN", "CN-19", "2026-03-02", pauses=[("2026-03-05", "2026-03-05")])

    assert deadline.due_date == d("2026-04-01")


def test_back_to_back_pauses_are_allowed():
    deadline = due(
        "CN",
        "CN-19",
        "2026-03-02",
        pauses=[("2026-03-05", "2026-03-07"), ("2026-03-07", "2026-03-08")],
    )

    assert deadline.paused_days == 3


def test_a_pause_ending_before_it_starts_is_refused():
    with pytest.raises(InvalidPause) as caught:
        due("CN", "CN-19", "2026-03-02", pauses=[("2026-03-10", "2026-03-05")])

    assert caught.value.details == {"field": "pauses.0.to"}
    assert caught.value.code == "invalid_pause"


def test_overlapping_pauses_are_refused():
    with pytest.raises(InvalidPause) as caught:
        due(
            "CN",
            "CN-19",
            "2026-03-02",
            pauses=[("2026-03-05", "2026-03-10"), ("2026-03-08", "2026-03-12")],
        )

    assert caught.value.details == {"field": "pauses.1.from"}


def test_a_pause_before_the_clock_started_is_refused():
    with pytest.raises(InvalidPause) as caught:
        due("CN", "CN-19", "2026-03-02", pauses=[("2026-03-01", "2026-03-03")])

    assert caught.value.details == {"field": "pauses.0.from"}


def test_a_pause_with_a_malformed_date_names_it():
    with pytest.raises(InvalidDate) as caught:
        due("CN", "CN-19", "2026-03-02", pauses=[{"from": "2026-03-05", "to": "soon"}])

    assert caught.value.details == {"field": "pauses.0.to"}


def test_a_pause_missing_its_end_names_it():
    with pytest.raises(InvalidPause) as caught:
        due("CN", "CN-19", "2026-03-02", pauses=[{"from": "2026-03-05"}])

    assert caught.value.details == {"field": "pauses.0.to"}


def test_a_rule_that_cannot_pause_refuses_pauses():
    with pytest.raises(InvalidPause) as caught:
        due("CN", "CN-22", "2026-03-02", pauses=[("2026-03-03", "2026-03-04")])

    assert caught.value.details == {"field": "pauses"}


# Unknown names.


def test_an_unknown_jurisdiction_is_refused():
    with pytest.raises(UnknownJurisdiction) as caught:
        due("FR", "CN-22", "2026-03-02")

    assert caught.value.details == {"field": "jurisdiction"}


def test_an_unknown_rule_is_refused():
    with pytest.raises(UnknownRule) as caught:
        due("GB", "CN-22", "2026-03-02")

    assert caught.value.details == {"field": "rule"}


def test_a_rule_without_a_period_has_no_deadline():
    with pytest.raises(RuleHasNoPeriod):
        due("CN", "CN-02", "2026-03-02")


def test_no_jurisdiction_means_the_default_cn():
    deadline = due(None, "CN-22", "2026-03-10")

    assert deadline.jurisdiction == "CN"


def test_every_deadline_lies_after_its_start():
    # Sanity across a whole year of starts for a CN rule that rolls over.
    start = date(2026, 1, 1)
    for offset in range(365):
        day = start + timedelta(days=offset)
        deadline = due("CN", "CN-22", day)
        assert deadline.due_date >= day + timedelta(days=3)
        assert deadline.due_date - day <= timedelta(days=13)
