"""Working-day calendars, one kind per profile (`[calendar] kind` in the profile file).

- `cn-official`: mainland China. Official public holidays *and* the adjusted working days
  (weekend days worked in exchange for holidays) come from `chinese_calendar`, which follows the
  State Council's yearly notice. The State Council publishes each year's arrangement only late in
  the year before, so `chinese_calendar` stops at the last published year; beyond it we fall back
  to `holidays.China`: its statutory holidays, weekends, and whatever adjusted working days it
  knows. A fallback year is a best estimate until a library release carries the official notice;
  `is_estimate(day)` tells which days are affected.
- `gb-eng`: England & Wales. Working days are Monday to Friday except bank holidays, from
  `holidays.UK(subdiv="ENG")`, substitute ("observed") days included.
- `calendar-days`: no holiday list (US-CA counts calendar days and never rolls over). Its
  working days are Monday to Friday, should a rule ever count business days.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta
from typing import Protocol

import chinese_calendar
import holidays

from insuredesk.rules.registry import Profile

SATURDAY = 5


class WorkingCalendar(Protocol):
    kind: str

    def is_working_day(self, day: date) -> bool: ...

    def is_estimate(self, day: date) -> bool: ...


class _Calendar:
    kind = ""

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < SATURDAY

    def is_estimate(self, day: date) -> bool:
        return False


class ChinaCalendar(_Calendar):
    kind = "cn-official"

    def is_working_day(self, day: date) -> bool:
        if _chinese_calendar_covers(day.year):
            return chinese_calendar.is_workday(day)
        return _china_fallback(day.year).is_working_day(day)

    def is_estimate(self, day: date) -> bool:
        return not _chinese_calendar_covers(day.year)


class EnglandWalesCalendar(_Calendar):
    kind = "gb-eng"

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < SATURDAY and day not in _england_bank_holidays(day.year)


class PlainCalendar(_Calendar):
    kind = "calendar-days"


_CALENDARS: dict[str, WorkingCalendar] = {
    cal.kind: cal for cal in (ChinaCalendar(), EnglandWalesCalendar(), PlainCalendar())
}


def calendar_for(profile: Profile) -> WorkingCalendar:
    """The working-day calendar of a jurisdiction profile."""
    return _CALENDARS[profile.calendar_kind]


def next_working_day(calendar: WorkingCalendar, day: date) -> date:
    """`day` itself if it is a working day, else the first working day after it."""
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(calendar: WorkingCalendar, day: date, count: int) -> date:
    """The `count`-th working day after `day` (`day` itself never counts)."""
    while count > 0:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            count -= 1
    return day


def working_days_between(calendar: WorkingCalendar, first: date, end: date) -> int:
    """How many working days lie in [first, end)."""
    count, day = 0, first
    while day < end:
        count += calendar.is_working_day(day)
        day += timedelta(days=1)
    return count


@functools.cache
def _chinese_calendar_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
        chinese_calendar.is_workday(date(year, 12, 31))
    except NotImplementedError:
        return False
    return True


@functools.cache
def _china_fallback(year: int) -> holidays.HolidayBase:
    return holidays.China(years=year)


@functools.cache
def _england_bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.UK(subdiv="ENG", years=year))
