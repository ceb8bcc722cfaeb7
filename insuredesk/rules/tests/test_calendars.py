"""Working-day calendars come from maintained libraries, not from hand-typed lists."""

from __future__ import annotations

from insuredesk.rules.calendars import add_working_days, calendar_for, working_days_between
from insuredesk.rules.registry import get_profile
from insuredesk.rules.tests.helpers import d

CN = calendar_for(get_profile("CN"))
GB = calendar_for(get_profile("GB"))
CA = calendar_for(get_profile("US-CA"))


def test_cn_spring_festival_2026_days_are_not_working_days():
    assert not any(CN.is_working_day(d(f"2026-02-{day}")) for day in range(15, 24))
    assert CN.is_working_day(d("2026-02-24"))


def test_cn_national_day_2026_days_are_not_working_days():
    assert not any(CN.is_working_day(d(f"2026-10-0{day}")) for day in range(1, 8))


def test_cn_adjusted_weekend_days_2026_are_working_days():
    for day in ("2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"):
        assert CN.is_working_day(d(day)), day


def test_cn_uses_the_holidays_package_beyond_the_official_notices():
    # 2030: no official notice in chinese_calendar yet; holidays.China estimates Spring Festival.
    assert CN.is_estimate(d("2030-02-04"))
    assert not CN.is_working_day(d("2030-02-04"))
    assert not CN.is_working_day(d("2030-03-02"))  # a Saturday
    assert CN.is_working_day(d("2030-03-04"))


def test_gb_christmas_2026_and_the_boxing_day_substitute_are_bank_holidays():
    assert not GB.is_working_day(d("2026-12-25"))
    assert not GB.is_working_day(d("2026-12-28"))
    assert GB.is_working_day(d("2026-12-29"))


def test_gb_easter_2027_is_good_friday_and_easter_monday():
    assert not GB.is_working_day(d("2027-03-26"))
    assert not GB.is_working_day(d("2027-03-29"))
    assert add_working_days(GB, d("2027-03-25"), 1) == d("2027-03-30")


def test_gb_uses_england_and_wales_not_scotland():
    # 2 January is a bank holiday in Scotland only; St Andrew's Day likewise.
    assert GB.is_working_day(d("2026-01-02"))
    assert GB.is_working_day(d("2026-11-30"))


def test_ca_counts_plain_calendar_days():
    assert CA.kind == "calendar-days"
    assert not get_profile("US-CA").roll_to_working_day


def test_working_days_between_counts_a_half_open_range():
    assert working_days_between(GB, d("2026-12-24"), d("2026-12-29")) == 1
