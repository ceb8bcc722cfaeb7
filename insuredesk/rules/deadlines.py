"""Statutory deadlines: when a rule's period, started by an event, runs out.

Other apps call:

    from insuredesk.rules.deadlines import compute_deadline

    due = compute_deadline(jurisdiction="CN", rule="CN-22", start=decided_at)
    due.deadline   # aware datetime in the profile's time zone: the instant the period runs out
    due.due_date   # the period's last day (local date)

How a deadline is represented: the law says a period ends at 24:00 local time of its last day
(CN Civil Code Arts. 201, 203). Python has no 24:00, so `deadline` is the same instant written as
00:00 local time of the day *after* `due_date`. It is an exclusive end: the period is met by any
act strictly before `deadline` and breached from `deadline` on (`Deadline.is_overdue(now)`).
`due_date` is the last day, the date printed on letters.

Counting (shared/REGULATION.md, "Day counting"):
1. `start` is converted to the profile's local time and only its date is kept; a naive datetime
   is taken as local time already. Counting starts on the day after that date.
2. days / weeks: the last day is start date + days (weeks x 7). months / years: the same day
   number that many months later, or the month's last day if it has no such day (31 Jan + 1 month
   = 28 or 29 Feb; 29 Feb 2028 + 1 year = 28 Feb 2029). business days: the n-th working day of the
   profile's calendar after the start date.
3. Pauses (e.g. CN-20, waiting for missing documents) add the paused days, resume date minus
   pause date, to the last day. For business-day periods they add the working days in
   [pause date, resume date) instead. Only rules whose period is `pausable` accept pauses.
4. If the profile rolls over (CN, Civil Code Art. 203) and the last day is not a working day, the
   period ends on the next working day; official adjusted working days count as working days.
   Business-day periods always end on a working day. GB and US-CA calendar periods never move.
5. A period counted `before` its trigger (CA-10: warn 60 days before a time limit expires) runs
   back from the trigger's date: the last day to act is trigger date - period; it takes no pauses
   and never rolls over.
"""

from __future__ import annotations

import calendar as _month_lengths
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from insuredesk.rules.calendars import (
    add_working_days,
    calendar_for,
    next_working_day,
    working_days_between,
)
from insuredesk.rules.errors import InvalidDate, InvalidPause, RuleHasNoPeriod
from insuredesk.rules.registry import Rule, get_profile

Moment = date | datetime | str
FIRST_YEAR, LAST_YEAR = 1900, 2199


@dataclass(frozen=True)
class Pause:
    """A stretch during which a clock stood still, from `start` to its resumption `end`."""

    start: Moment
    end: Moment


@dataclass(frozen=True)
class Deadline:
    """When a rule's period runs out for one triggering event."""

    jurisdiction: str
    rule: str
    source: str
    status: str  # P, S or U; U means the period is an unconfirmed, configurable default
    deadline: datetime  # exclusive end: 00:00 local of the day after due_date (= 24:00 of it)
    due_date: date  # the last day of the period, local
    start_date: date  # the trigger's local date; counting starts the day after
    paused_days: int = 0  # calendar days (or working days, for business-day periods) added
    rolled_from: date | None = None  # the last day before moving off a holiday (CN)
    estimated: bool = False  # some year counted is beyond the official holiday notices

    @property
    def unconfirmed(self) -> bool:
        return self.status == "U"

    def is_overdue(self, at: datetime) -> bool:
        """True once the period has run out at the aware instant `at`."""
        return at >= self.deadline


def compute_deadline(
    *,
    jurisdiction: str | None,
    rule: str | Rule,
    start: Moment,
    pauses: Iterable[Pause | tuple[Moment, Moment] | Mapping[str, Moment]] = (),
) -> Deadline:
    """The deadline of `rule` in `jurisdiction` (None: the default, CN) triggered at `start`.

    `start` and the pause ends may be dates, aware or naive datetimes (naive = the profile's local
    time) or ISO 8601 strings. Raises UnknownJurisdiction, UnknownRule, RuleHasNoPeriod,
    InvalidDate or InvalidPause, each naming the input field at fault.
    """
    profile = get_profile(jurisdiction)
    found = profile.rule(rule.id if isinstance(rule, Rule) else rule)
    period = found.period
    if period is None:
        raise RuleHasNoPeriod(found.id)
    cal = calendar_for(profile)
    tz = profile.tz

    # 1. The trigger's local date.
    start_at = _local(start, tz, "start")
    start_date = start_at.date()

    # 2-3. Pauses, checked and measured.
    spans = _check_pauses(list(pauses), start_date, tz)
    if spans and not period.pausable:
        raise InvalidPause(f"Rule {found.id} cannot be paused.", field="pauses")
    if period.unit == "business_days":
        paused = sum(working_days_between(cal, a.date(), b.date()) for a, b in spans)
    else:
        paused = sum((b.date() - a.date()).days for a, b in spans)

    # 2. The last day.
    sign = -1 if period.before else 1
    n = sign * period.amount
    if period.unit == "days":
        last = start_date + timedelta(days=n + paused)
    elif period.unit == "weeks":
        last = start_date + timedelta(days=7 * n + paused)
    elif period.unit == "months":
        last = _add_months(start_date, n) + timedelta(days=paused)
    elif period.unit == "years":
        last = _add_months(start_date, 12 * n) + timedelta(days=paused)
    elif period.before:  # business days counted backwards: not used by any rule yet
        raise RuleHasNoPeriod(found.id)
    else:
        last = add_working_days(cal, start_date, period.amount + paused)

    # 4. Roll over a weekend or holiday where the profile says so.
    rolled_from = None
    if profile.roll_to_working_day and not period.before and period.unit != "business_days":
        moved = next_working_day(cal, last)
        if moved != last:
            rolled_from, last = last, moved

    first, final = min(start_date, last), max(start_date, last)
    return Deadline(
        jurisdiction=profile.code,
        rule=found.id,
        source=found.source,
        status=found.status,
        deadline=datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz),
        due_date=last,
        start_date=start_date,
        paused_days=paused,
        rolled_from=rolled_from,
        estimated=cal.is_estimate(first) or cal.is_estimate(final),
    )


def parse_moment(value: Moment, *, field: str) -> date | datetime:
    """A date or datetime from a date, datetime or ISO 8601 string; InvalidDate otherwise."""
    if isinstance(value, date):  # datetime is a date too
        return value
    if not isinstance(value, str):
        raise InvalidDate(f"Expected an ISO 8601 date or datetime, got {value!r}.", field=field)
    text = value.strip()
    try:
        if len(text) <= 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text)
    except ValueError:
        raise InvalidDate(f"{value!r} is not an ISO 8601 date or datetime.", field=field) from None


def _local(value: Moment, tz: ZoneInfo, field: str) -> datetime:
    moment = parse_moment(value, field=field)
    # Holiday calendars and date arithmetic need sane years; no insurance clock runs that far.
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise InvalidDate(f"Dates must lie between {FIRST_YEAR} and {LAST_YEAR}.", field=field)
    if not isinstance(moment, datetime):
        return datetime.combine(moment, time.min, tzinfo=tz)
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=tz)
    return moment.astimezone(tz)


def _check_pauses(
    pauses: list[Any], start_date: date, tz: ZoneInfo
) -> list[tuple[datetime, datetime]]:
    spans: list[tuple[int, datetime, datetime]] = []
    for index, pause in enumerate(pauses):
        here = f"pauses.{index}"
        if isinstance(pause, Pause):
            raw_from, raw_to = pause.start, pause.end
        elif isinstance(pause, Mapping):
            if "from" not in pause or "to" not in pause:
                missing = "from" if "from" not in pause else "to"
                raise InvalidPause("A pause needs both 'from' and 'to'.", field=f"{here}.{missing}")
            raw_from, raw_to = pause["from"], pause["to"]
        else:
            try:
                raw_from, raw_to = pause
            except (TypeError, ValueError):
                raise InvalidPause("A pause is a (from, to) pair.", field=here) from None
        began = _local(raw_from, tz, f"{here}.from")
        ended = _local(raw_to, tz, f"{here}.to")
        if ended < began:
            raise InvalidPause("The pause ends before it starts.", field=f"{here}.to")
        if began.date() < start_date:
            raise InvalidPause("The pause starts before the clock started.", field=f"{here}.from")
        spans.append((index, began, ended))

    spans.sort(key=lambda span: span[1])
    for (before_index, _, before_end), (index, began, _) in itertools.pairwise(spans):
        if began < before_end:
            raise InvalidPause(
                f"The pause overlaps pauses.{before_index}.", field=f"pauses.{index}.from"
            )
    return [(began, ended) for _, began, ended in spans]


def _add_months(day: date, months: int) -> date:
    # Civil Code Art. 202: the corresponding day of the last month, or that month's last day.
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(day.day, _month_lengths.monthrange(year, month)[1]))
