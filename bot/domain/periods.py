"""Reporting periods: the year, and the quarters (triwulan) of quarterly monitoring."""

from __future__ import annotations

import re
from datetime import date, timedelta
from enum import StrEnum

from bot.domain.errors import InvalidInput

_ROMAN = ("I", "II", "III", "IV")
_ORDINALS = {"pertama": 1, "satu": 1, "kedua": 2, "dua": 2, "ketiga": 3, "tiga": 3}
_ORDINALS |= {"keempat": 4, "empat": 4}
# "TW I", "tw3", "TW-2", "Tw.4", "triwulan 2", "Triwulan III", "trw 1", "triwulan ke-2",
# "triwulan kedua".
_QUARTER = re.compile(
    r"^(?:tw|trw|triwulan)\s*[-.]?\s*(?:ke\s*-?\s*(?=[1-4]))?"
    r"(?P<n>[1-4]|iv|i{1,3}|pertama|satu|kedua|dua|ketiga|tiga|keempat|empat)$"
)


class Period(StrEnum):
    """The period a realisasi is reported for."""

    TAHUNAN = "tahunan"
    TW1 = "tw1"
    TW2 = "tw2"
    TW3 = "tw3"
    TW4 = "tw4"

    @property
    def quarter(self) -> int | None:
        """Return 1-4 for a triwulan, None for the year."""
        return None if self is Period.TAHUNAN else int(self.value[-1])

    @property
    def label(self) -> str:
        """Return the period's own name: 'Tahunan', 'Triwulan II' (see ``named`` for text)."""
        if self.quarter is None:
            return "Tahunan"
        return f"Triwulan {_ROMAN[self.quarter - 1]}"

    def named(self, year: int) -> str:
        """Name the period of ``year`` in text, titles and file names: 'Tahun 2026', 'Triwulan II
        Tahun 2026' (never 'Tahunan 2026')."""
        if self.quarter is None:
            return f"Tahun {year}"
        return f"{self.label} Tahun {year}"

    @property
    def is_cumulative(self) -> bool:
        """Tell whether the realisasi counts from January (true of every triwulan).

        A triwulan's realisasi is what was achieved from January to the quarter's end,
        not within the quarter alone, so it is compared with the annual target.
        """
        return self.quarter is not None


def period_end(period: Period, year: int) -> date:
    """Return the last day ``period`` of ``year`` covers (31 December, or the quarter's end)."""
    if period.quarter is None or period.quarter == 4:
        return date(year, 12, 31)
    return date(year, 3 * period.quarter + 1, 1) - timedelta(days=1)


def signing_opens(period: Period, year: int) -> date:
    """Return the first day the report of ``period`` ``year`` may be signed: after it ends.

    A report states what a whole period achieved, so it cannot be signed while the period
    still runs; it may be drafted and reviewed earlier (the draft says so).
    """
    return period_end(period, year) + timedelta(days=1)


def may_sign(period: Period, year: int, today: date) -> bool:
    """Tell whether the report of ``period`` ``year`` may be signed on ``today``."""
    return today >= signing_opens(period, year)


def parse_period(text: str) -> Period:
    """Read a period as people write it ("tahunan", "TW I", "triwulan 2", "triwulan ke-3")."""
    cleaned = " ".join(text.lower().split())
    if cleaned in {"tahunan", "tahun"}:
        return Period.TAHUNAN
    match = _QUARTER.match(cleaned)
    if match is None:
        shown = text.strip()[:40]
        raise InvalidInput(
            f'Maaf, periode "{shown}" tidak dikenal. Pilih salah satu: Tahunan, Triwulan I, '
            "Triwulan II, Triwulan III, atau Triwulan IV."
        )
    number = match["n"]
    if number.isdigit():
        quarter = int(number)
    elif number in _ORDINALS:
        quarter = _ORDINALS[number]
    else:
        quarter = _ROMAN.index(number.upper()) + 1
    return Period(f"tw{quarter}")
