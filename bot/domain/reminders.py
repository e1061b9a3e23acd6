"""When a reminder is due: pure timing rules on the office's working time.

Each rule answers one question for one moment: "is a reminder of this kind due now, and
which slot is it?". A slot names the reminder uniquely (with its day), so the sweep that
asks the question every minute queues each reminder once, and a sweep that was not
running at the exact minute (a restart) still finds it due later the same working day.
Nothing is due outside office hours or on a day off.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.calendar import WorkingCalendar
from bot.domain.organisation import ReminderSpec
from bot.domain.roles import Role
from bot.domain.working_time import add_office_minutes, at_working_day, is_office_time

# Who may have the morning digest (/ringkasan): those who follow the whole office's work.
DIGEST_ROLES = (Role.RENDATIN, Role.SEKRETARIS)


@dataclass(frozen=True)
class Due:
    """A reminder due now: its slot (unique per subject and day) and when it fell due."""

    day: date
    slot: str
    at: datetime


@dataclass(frozen=True)
class UnitDue(Due):
    """A unit's reminder: working days left before the deadline, or days overdue."""

    days_left: int  # 0 on the deadline day and after it
    overdue: int  # working days past the deadline; 0 until then
    escalate: bool  # the Kasubbag is reminded too


def _today(calendar: WorkingCalendar, now: datetime, tz: ZoneInfo) -> date | None:
    """Return today's date when ``now`` is office time, else None (nothing is ever due)."""
    return now.astimezone(tz).date() if is_office_time(calendar, now, tz) else None


def unit_due(
    calendar: WorkingCalendar, spec: ReminderSpec, *, deadline: date, now: datetime, tz: ZoneInfo
) -> UnitDue | None:
    """Return the reminder due now for a unit that still owes data by ``deadline``.

    One a day at the daily time: on the configured working days before the deadline, on
    the deadline day, and on every working day after it.
    """
    today = _today(calendar, now, tz)
    if today is None:
        return None
    at = at_working_day(calendar, today, spec.daily_time, tz)
    if now < at:
        return None
    if today < deadline:
        left = calendar.working_days_between(today, deadline)
        if left not in spec.days_before:
            return None
        return UnitDue(today, f"h-{left}", at, days_left=left, overdue=0, escalate=False)
    overdue = calendar.working_days_between(deadline, today)
    return UnitDue(
        today,
        f"d+{overdue}" if overdue else "h0",
        at,
        days_left=0,
        overdue=overdue,
        escalate=overdue >= spec.escalate_from_overdue_day,
    )


def overdue_days(calendar: WorkingCalendar, *, deadline: date, today: date) -> int:
    """Count the working days ``today`` is past ``deadline`` (0 when not past it)."""
    return max(calendar.working_days_between(deadline, today), 0) if today > deadline else 0


def review_due(
    calendar: WorkingCalendar,
    spec: ReminderSpec,
    *,
    assigned_at: datetime,
    allowed_minutes: int,
    now: datetime,
    tz: ZoneInfo,
) -> Due | None:
    """Return the reminder due now for a reviewer who has not decided since ``assigned_at``.

    The first once ``allowed_minutes`` office minutes have passed; then one each working
    morning, from the working day after the first one.
    """
    today = _today(calendar, now, tz)
    if today is None:
        return None
    first = add_office_minutes(calendar, assigned_at, allowed_minutes, tz)
    if now < first:
        return None
    if today == first.date():
        return Due(today, "first", first)
    morning = at_working_day(calendar, today, spec.daily_time, tz)
    return Due(today, "pagi", morning) if now >= morning else None


def review_overdue(
    calendar: WorkingCalendar,
    *,
    assigned_at: datetime,
    allowed_minutes: int,
    now: datetime,
    tz: ZoneInfo,
) -> bool:
    """Tell whether a reviewer has had more than ``allowed_minutes`` office minutes."""
    return now >= add_office_minutes(calendar, assigned_at, allowed_minutes, tz)


def meeting_due(
    calendar: WorkingCalendar,
    spec: ReminderSpec,
    *,
    starts_at: datetime,
    scheduled_at: datetime,
    now: datetime,
    tz: ZoneInfo,
) -> Due | None:
    """Return the reminder due now for a meeting: the working day before, and shortly before.

    A slot that had already passed when the meeting was scheduled is skipped: the
    invitation itself said it all.
    """
    today = _today(calendar, now, tz)
    if today is None or now >= starts_at:
        return None
    if spec.meeting_minutes_before:
        soon = starts_at - timedelta(minutes=spec.meeting_minutes_before)
        if now >= soon:
            return Due(today, "soon", soon) if scheduled_at < soon else None
    if spec.meeting_days_before:
        local_start = starts_at.astimezone(tz)
        day = calendar.add_working_days(local_start.date(), -spec.meeting_days_before)
        eve = at_working_day(calendar, day, local_start.time(), tz)
        if today == day and now >= eve and scheduled_at < eve:
            return Due(today, "eve", eve)
    return None


def daily_due(
    calendar: WorkingCalendar, at: time, *, slot: str, now: datetime, tz: ZoneInfo
) -> Due | None:
    """Return a once-a-working-day reminder due now: from ``at`` to the end of office hours."""
    today = _today(calendar, now, tz)
    if today is None:
        return None
    due_at = at_working_day(calendar, today, at, tz)
    return Due(today, slot, due_at) if now >= due_at else None
