"""Working days: the office's workdays minus national holidays and its own days off.

National holidays come from the ``holidays`` package (the "public" category: the days in
the SKB 3 Menteri's list of libur nasional). Cuti bersama are not taken from the package
even though it lists them under its "government" category: whether the office closes on
them is the office's decision, so they come from the organisation file's ``days_off``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta

import holidays as holiday_tables

from bot.domain.organisation import WEEKDAYS, OfficeHoursSpec

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class WorkingCalendar:
    """Which days the office works, and its hours."""

    workdays: frozenset[int]  # date.weekday() numbers: Monday is 0
    start: time
    end: time
    holidays: frozenset[date]
    # The years whose holidays are known; a day outside them is refused rather than
    # silently treated as holiday-free (a December deadline would miss 1 January).
    # None: ``holidays`` is taken as complete, as for a calendar built by hand.
    years: frozenset[int] | None = None

    @classmethod
    def for_office(cls, hours: OfficeHoursSpec, years: Iterable[int]) -> WorkingCalendar:
        """Build the calendar of an office for ``years``: its hours, holidays and days off."""
        covered = frozenset(years)
        national = holiday_tables.country_holidays("ID", years=sorted(covered))
        return cls(
            workdays=frozenset(WEEKDAYS.index(day) for day in hours.days),
            start=hours.start,
            end=hours.end,
            holidays=frozenset(national) | frozenset(hours.days_off),
            years=covered,
        )

    def is_working_day(self, day: date) -> bool:
        """Tell whether the office works on ``day``."""
        if self.years is not None and day.year not in self.years:
            raise ValueError(
                f"holidays of {day.year} are not known; build the calendar with that year"
            )
        return day.weekday() in self.workdays and day not in self.holidays

    def add_working_days(self, start: date, days: int) -> date:
        """Return the date ``days`` working days after ``start`` (before it if negative).

        ``start`` itself is not counted, so from a Friday, one working day is the next
        Monday; ``days == 0`` gives ``start`` back unchanged.
        """
        if days and not self.workdays:
            raise ValueError("the calendar has no working weekdays")
        step = _ONE_DAY if days > 0 else -_ONE_DAY
        day = start
        remaining = abs(days)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, a: date, b: date) -> int:
        """Count the working days passed going from ``a`` to ``b``: ``a`` excluded, ``b`` included.

        Negative when ``b`` is before ``a``. The inverse of ``add_working_days`` in both
        directions: between(a, add_working_days(a, n)) == n.
        """
        step = _ONE_DAY if b >= a else -_ONE_DAY
        count = sum(1 for n in range(1, abs((b - a).days) + 1) if self.is_working_day(a + n * step))
        return count if b >= a else -count
