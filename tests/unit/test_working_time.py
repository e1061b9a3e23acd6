"""Office time and reminder timing over May 2026: Ascension Day (Thursday 14 May), two
weekends and Idul Adha (Wednesday 27 May), with the default office hours 07:30–16:00 WIB."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from bot.domain.calendar import WorkingCalendar
from bot.domain.organisation import OfficeHoursSpec, ReminderSpec
from bot.domain.reminders import daily_due, meeting_due, review_due, unit_due
from bot.domain.working_time import (
    add_office_minutes,
    at_working_day,
    is_office_time,
    next_working_morning,
    office_minutes_between,
)

WIB = ZoneInfo("Asia/Jakarta")
OFFICE = WorkingCalendar.for_office(OfficeHoursSpec(), [2026])
SPEC = ReminderSpec()


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 5, day, hour, minute, tzinfo=WIB)


def test_the_calendar_of_may_2026_has_the_holidays_these_tests_rely_on() -> None:
    assert not OFFICE.is_working_day(date(2026, 5, 14))  # Kenaikan Yesus Kristus
    assert not OFFICE.is_working_day(date(2026, 5, 27))  # Idul Adha
    assert OFFICE.is_working_day(date(2026, 5, 15))


@pytest.mark.parametrize(
    ("moment", "inside"),
    [
        (at(13, 7, 29), False),
        (at(13, 7, 30), True),
        (at(13, 15, 59), True),
        (at(13, 16, 0), False),  # closing time is outside
        (at(13, 22, 0), False),
        (at(14, 9, 0), False),  # Ascension Day
        (at(16, 9, 0), False),  # Saturday
    ],
)
def test_office_time_is_office_hours_on_working_days(moment: datetime, inside: bool) -> None:
    assert is_office_time(OFFICE, moment, WIB) is inside


def test_an_instant_in_another_zone_is_read_in_the_office_zone() -> None:
    # 08:00 WIB is 01:00 UTC: office time, although 01:00 would not be.
    assert is_office_time(OFFICE, at(13, 8).astimezone(ZoneInfo("UTC")), WIB)


@pytest.mark.parametrize(
    ("start", "end", "minutes"),
    [
        (at(13, 8), at(13, 9), 60),
        (at(13, 6), at(13, 8), 30),  # before opening does not count
        (at(13, 15, 30), at(15, 8), 60),  # 30 on Wednesday, none on Ascension, 30 on Friday
        (at(15, 15, 45), at(18, 7, 45), 30),  # over the weekend
        (at(13, 7, 30), at(13, 16), 510),  # a whole day
        (at(13, 9), at(13, 8), 0),  # backwards
        (at(26, 15), at(28, 8), 90),  # over Idul Adha
    ],
)
def test_office_minutes_count_only_working_days_and_hours(
    start: datetime, end: datetime, minutes: int
) -> None:
    assert office_minutes_between(OFFICE, start, end, WIB) == minutes


@pytest.mark.parametrize(
    ("start", "minutes", "end"),
    [
        (at(13, 8), 60, at(13, 9)),
        (at(13, 15, 30), 60, at(15, 8)),  # the Kasubbag's 60 minutes over Ascension Day
        (at(15, 15, 45), 30, at(18, 7, 45)),  # the Sekretaris's 30 minutes over a weekend
        (at(13, 15), 60, at(15, 7, 30)),  # ending at closing time: read at the next opening
        (at(16, 10), 60, at(18, 8, 30)),  # assigned on a Saturday
        (at(13, 20), 0, at(15, 7, 30)),
        (at(13, 9), 0, at(13, 9)),
    ],
)
def test_adding_office_minutes(start: datetime, minutes: int, end: datetime) -> None:
    assert add_office_minutes(OFFICE, start, minutes, WIB) == end


@given(
    st.datetimes(min_value=datetime(2026, 5, 1), max_value=datetime(2026, 11, 30)),
    st.integers(min_value=0, max_value=3000),
)
def test_counting_office_minutes_undoes_adding_them(start: datetime, minutes: int) -> None:
    begin = start.replace(tzinfo=WIB, second=0, microsecond=0)
    end = add_office_minutes(OFFICE, begin, minutes, WIB)

    assert office_minutes_between(OFFICE, begin, end, WIB) == minutes
    assert is_office_time(OFFICE, end, WIB)


def test_mornings_and_clamping_into_office_hours() -> None:
    assert next_working_morning(OFFICE, at(13, 15), time(9), WIB) == at(15, 9)
    assert next_working_morning(OFFICE, at(22, 9), time(9), WIB) == at(25, 9)
    assert at_working_day(OFFICE, date(2026, 5, 13), time(6), WIB) == at(13, 7, 30)
    assert at_working_day(OFFICE, date(2026, 5, 13), time(17), WIB) == at(13, 15, 59)


# --------------------------------------------------------------------------- unit reminders


def test_a_unit_is_reminded_three_and_one_working_day_before_on_the_day_and_when_late() -> None:
    deadline = date(2026, 5, 19)  # a Tuesday
    slots = {}
    for offset in range(19):
        day = date(2026, 5, 11) + timedelta(days=offset)
        due = unit_due(OFFICE, SPEC, deadline=deadline, now=at(day.day, 10), tz=WIB)
        if due is not None:
            slots[day.day] = (due.slot, due.escalate)

    assert slots == {
        13: ("h-3", False),  # 13, 15, 18 working days before (14 is Ascension Day)
        18: ("h-1", False),
        19: ("h0", False),
        20: ("d+1", False),
        21: ("d+2", True),  # the second overdue working day: the Kasubbag too
        22: ("d+3", True),
        25: ("d+4", True),
        26: ("d+5", True),
        28: ("d+6", True),  # 27 is Idul Adha
        29: ("d+7", True),
    }


def test_a_unit_reminder_waits_for_the_daily_time_and_ends_with_office_hours() -> None:
    deadline = date(2026, 5, 19)

    assert unit_due(OFFICE, SPEC, deadline=deadline, now=at(19, 8, 59), tz=WIB) is None
    due = unit_due(OFFICE, SPEC, deadline=deadline, now=at(19, 9), tz=WIB)
    assert due is not None and due.at == at(19, 9) and due.day == date(2026, 5, 19)
    # Missed at 09:00 (the bot was down): still due at 15:00, the same slot.
    later = unit_due(OFFICE, SPEC, deadline=deadline, now=at(19, 15), tz=WIB)
    assert later is not None and later.slot == due.slot
    assert unit_due(OFFICE, SPEC, deadline=deadline, now=at(19, 22), tz=WIB) is None


def test_the_office_settings_move_the_slots() -> None:
    spec = ReminderSpec(daily_time=time(13), days_before=(2,), escalate_from_overdue_day=1)
    deadline = date(2026, 5, 19)

    assert unit_due(OFFICE, spec, deadline=deadline, now=at(13, 14), tz=WIB) is None
    assert unit_due(OFFICE, spec, deadline=deadline, now=at(15, 12), tz=WIB) is None
    due = unit_due(OFFICE, spec, deadline=deadline, now=at(15, 13), tz=WIB)
    assert due is not None and due.slot == "h-2"
    overdue = unit_due(OFFICE, spec, deadline=deadline, now=at(20, 13), tz=WIB)
    assert overdue is not None and overdue.escalate


# --------------------------------------------------------------------------- reviewers


def test_a_kasubbag_is_reminded_after_60_office_minutes_then_each_working_morning() -> None:
    assigned = at(13, 15, 30)  # Wednesday afternoon, before Ascension Day

    def due(now: datetime) -> tuple[str, datetime] | None:
        found = review_due(OFFICE, SPEC, assigned_at=assigned, allowed_minutes=60, now=now, tz=WIB)
        return (found.slot, found.at) if found else None

    assert due(at(13, 15, 59)) is None
    assert due(at(15, 7, 59)) is None
    assert due(at(15, 8)) == ("first", at(15, 8))
    assert due(at(15, 9)) == ("first", at(15, 8))  # no second one that day
    assert due(at(18, 8, 59)) is None
    assert due(at(18, 9)) == ("pagi", at(18, 9))
    assert due(at(19, 12)) == ("pagi", at(19, 9))


def test_the_sekretaris_is_reminded_after_30_office_minutes() -> None:
    found = review_due(
        OFFICE, SPEC, assigned_at=at(15, 15, 45), allowed_minutes=30, now=at(18, 7, 45), tz=WIB
    )
    assert found is not None and found.slot == "first"


# --------------------------------------------------------------------------- meetings, digest


def test_a_meeting_is_recalled_the_working_day_before_and_an_hour_before() -> None:
    starts = at(25, 10)  # Monday
    on_wednesday = at(20, 10)

    def slot(now: datetime, scheduled: datetime = on_wednesday) -> str | None:
        due = meeting_due(OFFICE, SPEC, starts_at=starts, scheduled_at=scheduled, now=now, tz=WIB)
        return due.slot if due else None

    assert slot(at(22, 9, 59)) is None
    assert slot(at(22, 10)) == "eve"  # Friday, at the meeting's time
    assert slot(at(23, 10)) is None  # Saturday
    assert slot(at(25, 8, 59)) is None
    assert slot(at(25, 9)) == "soon"
    assert slot(at(25, 10)) is None  # started
    # Scheduled on Friday at 11:00: the invitation was the day-before reminder.
    assert slot(at(22, 12), scheduled=at(22, 11)) is None
    assert slot(at(25, 9), scheduled=at(22, 11)) == "soon"


def test_the_morning_digest_is_due_once_a_working_day_from_its_time() -> None:
    assert daily_due(OFFICE, time(7, 30), slot="pagi", now=at(18, 7, 29), tz=WIB) is None
    due = daily_due(OFFICE, time(7, 30), slot="pagi", now=at(18, 7, 30), tz=WIB)
    assert due is not None and due.day == date(2026, 5, 18)
    assert daily_due(OFFICE, time(7, 30), slot="pagi", now=at(27, 8), tz=WIB) is None


def test_reminder_settings_read_yaml_times_and_refuse_nonsense() -> None:
    spec = ReminderSpec.model_validate({"daily_time": 540, "days_before": [1, 3, 3]})
    assert spec.daily_time == time(9) and spec.days_before == (3, 1)
    with pytest.raises(ValidationError, match="days_before"):
        ReminderSpec.model_validate({"days_before": [0]})
    with pytest.raises(ValidationError):
        ReminderSpec.model_validate({"kasubbag_minutes": 0})
