"""Office time: instants inside office hours on working days, and minutes counted in them.

Every instant handed in is timezone-aware; the office's hours are wall-clock times in
``tz`` (WIB by default), so a result is aware in ``tz`` too.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.calendar import WorkingCalendar

_ONE_DAY = timedelta(days=1)
# A limit on how far the searches below walk, so a calendar without working days (or a
# year of holidays) ends in an error instead of a loop.
_MAX_DAYS = 400


def office_window(calendar: WorkingCalendar, day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """Return when the office opens and closes on ``day`` (whether or not it works then)."""
    return (
        datetime.combine(day, calendar.start, tzinfo=tz),
        datetime.combine(day, calendar.end, tzinfo=tz),
    )


def is_office_time(calendar: WorkingCalendar, moment: datetime, tz: ZoneInfo) -> bool:
    """Tell whether ``moment`` falls inside office hours on a working day (end excluded)."""
    local = moment.astimezone(tz)
    return calendar.is_working_day(local.date()) and calendar.start <= local.time() < calendar.end


def office_minutes_between(
    calendar: WorkingCalendar, start: datetime, end: datetime, tz: ZoneInfo
) -> int:
    """Count the whole office minutes from ``start`` to ``end`` (0 when ``end`` is earlier)."""
    if end <= start:
        return 0
    first, last = start.astimezone(tz), end.astimezone(tz)
    total = timedelta()
    day = first.date()
    while day <= last.date():
        if calendar.is_working_day(day):
            opens, closes = office_window(calendar, day, tz)
            overlap = min(closes, last) - max(opens, first)
            if overlap > timedelta():
                total += overlap
        day += _ONE_DAY
    return int(total.total_seconds() // 60)


def add_office_minutes(
    calendar: WorkingCalendar, start: datetime, minutes: int, tz: ZoneInfo
) -> datetime:
    """Return the instant at which ``minutes`` office minutes have passed since ``start``.

    Time outside office hours does not count, so 60 minutes from 15:30 on a Friday end at
    08:00 on the next working day (with the default 07:30–16:00). A result that would fall
    exactly at closing time is moved to the next opening, when somebody is there to read it.
    """
    if minutes < 0:
        raise ValueError("minutes must not be negative")
    moment = start.astimezone(tz)
    remaining = timedelta(minutes=minutes)
    for _ in range(_MAX_DAYS):
        day = moment.date()
        opens, closes = office_window(calendar, day, tz)
        if calendar.is_working_day(day) and moment < closes:
            moment = max(moment, opens)
            available = closes - moment
            if remaining < available:
                return moment + remaining
            remaining -= available
            if remaining == timedelta():
                return next_opening(calendar, day, tz)
        moment = datetime.combine(day + _ONE_DAY, time(0), tzinfo=tz)
    raise ValueError("no office hours within a year of the start")


def next_opening(calendar: WorkingCalendar, after: date, tz: ZoneInfo) -> datetime:
    """Return when the office opens on the first working day after ``after``."""
    return at_working_day(calendar, calendar.add_working_days(after, 1), calendar.start, tz)


def at_working_day(calendar: WorkingCalendar, day: date, at: time, tz: ZoneInfo) -> datetime:
    """Return ``at`` on ``day``, moved inside the office hours (a minute before closing at most)."""
    latest = (datetime.combine(day, calendar.end) - timedelta(minutes=1)).time()
    clamped = min(max(at, calendar.start), latest)
    return datetime.combine(day, clamped, tzinfo=tz)


def next_working_morning(
    calendar: WorkingCalendar, after: datetime, at: time, tz: ZoneInfo
) -> datetime:
    """Return ``at`` (inside office hours) on the first working day after ``after``'s date."""
    day = after.astimezone(tz).date()
    return at_working_day(calendar, calendar.add_working_days(day, 1), at, tz)
