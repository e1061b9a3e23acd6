"""Working days in 2026: weekends, national holidays and the office's cuti bersama."""

from __future__ import annotations

from datetime import date, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.calendar import WorkingCalendar
from bot.domain.organisation import OfficeHoursSpec
from bot.orgfile import load_organisation
from tests.conftest import EXAMPLE_ORG

# Cuti bersama around Nyepi and Idul Fitri 1447 H (SKB 3 Menteri for 2026).
CUTI_BERSAMA_MARET = (date(2026, 3, 18), date(2026, 3, 20), date(2026, 3, 23), date(2026, 3, 24))


def calendar(*days_off: date, years: tuple[int, ...] = (2026,)) -> WorkingCalendar:
    return WorkingCalendar.for_office(OfficeHoursSpec(days_off=days_off), years)


def test_the_office_calendar_knows_hours_weekdays_and_national_holidays() -> None:
    office = calendar()

    assert office.workdays == frozenset(range(5))
    assert (office.start, office.end) == (time(7, 30), time(16, 0))
    # As the holidays package lists 2026: Nyepi on Thursday 19 March, Idul Fitri on the
    # weekend of 21-22 March, Wafat Yesus Kristus on Friday 3 April, 17 Agustus on a Monday.
    for holiday in (
        date(2026, 1, 1),
        date(2026, 3, 19),
        date(2026, 3, 21),
        date(2026, 3, 22),
        date(2026, 4, 3),
        date(2026, 8, 17),
        date(2026, 12, 25),
    ):
        assert holiday in office.holidays
        assert not office.is_working_day(holiday)
    assert office.is_working_day(date(2026, 3, 18))  # cuti bersama only if the office says so
    assert not office.is_working_day(date(2026, 3, 14))  # Saturday


def test_seven_working_days_from_monday_16_march_skip_nyepi_and_the_lebaran_weekend() -> None:
    # 17, 18, (19 Nyepi), 20, (21-22 Idul Fitri, weekend), 23, 24, 25, 26.
    assert calendar().add_working_days(date(2026, 3, 16), 7) == date(2026, 3, 26)


def test_cuti_bersama_from_the_office_file_are_skipped_too() -> None:
    # 17, (18 cuti), (19 Nyepi), (20 cuti), (weekend), (23, 24 cuti), 25, 26, 27, 30, 31, 1 April.
    office = calendar(*CUTI_BERSAMA_MARET)

    assert office.add_working_days(date(2026, 3, 16), 7) == date(2026, 4, 1)
    assert office.working_days_between(date(2026, 3, 16), date(2026, 4, 1)) == 7


def test_the_example_office_file_closes_on_christmas_eve() -> None:
    office = WorkingCalendar.for_office(load_organisation(EXAMPLE_ORG).office_hours, [2026])

    # Wednesday 23 December: 24 is cuti bersama, 25 Natal, then the weekend.
    assert office.add_working_days(date(2026, 12, 23), 1) == date(2026, 12, 28)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 3, 6), 1, date(2026, 3, 9)),  # Friday → Monday
        (date(2026, 3, 7), 1, date(2026, 3, 9)),  # from a Saturday
        (date(2026, 4, 2), 1, date(2026, 4, 6)),  # over Good Friday and the weekend
        (date(2026, 3, 16), 0, date(2026, 3, 16)),
        (date(2026, 3, 19), 0, date(2026, 3, 19)),  # zero days: the start, even on a holiday
        (date(2026, 3, 23), -1, date(2026, 3, 20)),  # backwards over Lebaran weekend
        (date(2026, 3, 21), -1, date(2026, 3, 20)),
        (date(2026, 3, 20), -1, date(2026, 3, 18)),  # backwards over Nyepi
    ],
)
def test_adding_working_days(start: date, days: int, expected: date) -> None:
    assert calendar().add_working_days(start, days) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (date(2026, 3, 16), date(2026, 3, 26), 7),
        (date(2026, 3, 26), date(2026, 3, 16), -7),
        (date(2026, 3, 16), date(2026, 3, 16), 0),
        (date(2026, 3, 20), date(2026, 3, 22), 0),  # Friday to Sunday
        (date(2026, 3, 20), date(2026, 3, 23), 1),
        (date(2026, 1, 1), date(2026, 12, 31), 248),  # 261 weekdays − 13 weekday holidays
    ],
)
def test_counting_working_days(a: date, b: date, expected: int) -> None:
    assert calendar().working_days_between(a, b) == expected


def test_a_deadline_into_a_year_whose_holidays_are_unknown_is_refused() -> None:
    with pytest.raises(ValueError, match="holidays of 2027 are not known"):
        calendar().add_working_days(date(2026, 12, 30), 2)

    # Thursday 31 December, (1 January 2027, weekend), Monday 4 January.
    office = calendar(years=(2026, 2027))
    assert office.add_working_days(date(2026, 12, 30), 2) == date(2027, 1, 4)


def test_a_six_day_office_works_on_saturday() -> None:
    hours = OfficeHoursSpec(days=("senin", "selasa", "rabu", "kamis", "jumat", "sabtu"))
    office = WorkingCalendar.for_office(hours, [2026])

    assert office.workdays == frozenset(range(6))
    assert office.add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 7)


def test_a_calendar_without_workdays_cannot_reach_a_deadline() -> None:
    office = WorkingCalendar(frozenset(), time(8), time(16), frozenset())

    with pytest.raises(ValueError, match="no working weekdays"):
        office.add_working_days(date(2026, 3, 16), 1)
    assert office.add_working_days(date(2026, 3, 16), 0) == date(2026, 3, 16)


def test_a_hand_built_calendar_takes_its_holidays_as_complete() -> None:
    office = WorkingCalendar(frozenset(range(5)), time(8), time(16), frozenset())

    assert office.is_working_day(date(2031, 1, 1))  # a Wednesday, with no holidays given


ALL_YEARS = calendar(*CUTI_BERSAMA_MARET, years=(2025, 2026, 2027))


@given(
    st.dates(min_value=date(2025, 3, 1), max_value=date(2027, 10, 1)),
    st.integers(min_value=-40, max_value=40),
)
def test_counting_undoes_adding(start: date, days: int) -> None:
    end = ALL_YEARS.add_working_days(start, days)

    assert ALL_YEARS.working_days_between(start, end) == days
    if days:
        assert ALL_YEARS.is_working_day(end)
        assert (end > start) == (days > 0)
        assert abs((end - start).days) >= abs(days)
