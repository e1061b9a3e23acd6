"""Reporting periods: names, cumulative quarters, and reading what people type."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.domain.errors import InvalidInput
from bot.domain.periods import Period, may_sign, parse_period, period_end, signing_opens


@pytest.mark.parametrize(
    ("period", "label", "quarter", "cumulative"),
    [
        (Period.TAHUNAN, "Tahunan", None, False),
        (Period.TW1, "Triwulan I", 1, True),
        (Period.TW2, "Triwulan II", 2, True),
        (Period.TW3, "Triwulan III", 3, True),
        (Period.TW4, "Triwulan IV", 4, True),
    ],
)
def test_each_period_has_its_official_name(
    period: Period, label: str, quarter: int | None, cumulative: bool
) -> None:
    assert period.label == label
    assert period.quarter == quarter
    assert period.is_cumulative is cumulative


@pytest.mark.parametrize(
    ("period", "named"),
    [(Period.TAHUNAN, "Tahun 2026"), (Period.TW1, "Triwulan I Tahun 2026")],
)
def test_a_period_is_named_in_text_as_tahun_never_tahunan(period: Period, named: str) -> None:
    assert period.named(2026) == named


def test_period_values_are_stable_storage_keys() -> None:
    assert [p.value for p in Period] == ["tahunan", "tw1", "tw2", "tw3", "tw4"]
    assert Period("tw2") is Period.TW2


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("tahunan", Period.TAHUNAN),
        (" Tahunan ", Period.TAHUNAN),
        ("TAHUN", Period.TAHUNAN),
        ("TW I", Period.TW1),
        ("tw1", Period.TW1),
        ("TW-1", Period.TW1),
        ("Tw. 1", Period.TW1),
        ("triwulan 2", Period.TW2),
        ("Triwulan II", Period.TW2),
        ("triwulan   ii", Period.TW2),
        ("trw 2", Period.TW2),
        ("tw3", Period.TW3),
        ("TW III", Period.TW3),
        ("Triwulan IV", Period.TW4),
        ("tw 4", Period.TW4),
        ("triwulan4", Period.TW4),
        ("Triwulan ke-2", Period.TW2),
        ("triwulan ke 3", Period.TW3),
        ("Triwulan Pertama", Period.TW1),
        ("triwulan kedua", Period.TW2),
        ("TW keempat", Period.TW4),
    ],
)
def test_periods_are_read_as_people_write_them(text: str, period: Period) -> None:
    assert parse_period(text) is period


@pytest.mark.parametrize("period", list(Period))
def test_labels_and_values_read_back(period: Period) -> None:
    assert parse_period(period.label) is period
    assert parse_period(period.value) is period


@pytest.mark.parametrize(
    "text",
    [
        "",
        "tw",
        "tw5",
        "TW V",
        "triwulan 0",
        "triwulan IIII",
        "semester 1",
        "Q1",
        "2026",
        "tw 1 2026",
    ],
)
def test_unknown_periods_are_refused_with_the_choices(text: str) -> None:
    with pytest.raises(
        InvalidInput, match="Tahunan, Triwulan I, Triwulan II, Triwulan III, atau Triwulan IV"
    ):
        parse_period(text)


@pytest.mark.parametrize(
    ("period", "last_day"),
    [
        (Period.TAHUNAN, date(2026, 12, 31)),
        (Period.TW1, date(2026, 3, 31)),
        (Period.TW2, date(2026, 6, 30)),
        (Period.TW3, date(2026, 9, 30)),
        (Period.TW4, date(2026, 12, 31)),
    ],
)
def test_a_report_may_be_signed_from_the_day_after_its_period_ends(
    period: Period, last_day: date
) -> None:
    assert period_end(period, 2026) == last_day
    assert signing_opens(period, 2026) == last_day + timedelta(days=1)
    assert not may_sign(period, 2026, last_day)
    assert may_sign(period, 2026, last_day + timedelta(days=1))


def test_an_annual_report_cannot_be_signed_in_november_of_its_year() -> None:
    assert not may_sign(Period.TAHUNAN, 2026, date(2026, 11, 24))
    assert may_sign(Period.TAHUNAN, 2025, date(2026, 11, 24))
