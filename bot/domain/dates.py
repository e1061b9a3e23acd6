"""Dates as people type them: 10-12-2026, 10/12/2026, 2026-12-10, 10 Desember 2026."""

from __future__ import annotations

import re
from datetime import date, time

from babel.dates import format_date

from bot.domain.errors import InvalidInput

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("januari", "jan"),
            ("februari", "feb", "pebruari"),
            ("maret", "mar"),
            ("april", "apr"),
            ("mei",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("agustus", "agu", "agt", "ags"),
            ("september", "sep", "sept"),
            ("oktober", "okt"),
            ("november", "nov", "nop", "nopember"),
            ("desember", "des"),
        ),
        start=1,
    )
    for name in names
}

_NUMERIC_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORDS = re.compile(r"^(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})$")

_HOW = "Tulis tanggal seperti 10-12-2026 atau 10 Desember 2026."


def parse_date(text: str) -> date:
    """Read a date written the Indonesian way (day first), or raise InvalidInput."""
    cleaned = " ".join(text.strip().lower().split())
    parts: tuple[int, int, int] | None = None
    if match := _NUMERIC_DMY.match(cleaned):
        parts = (int(match[3]), int(match[2]), int(match[1]))
    elif match := _ISO.match(cleaned):
        parts = (int(match[1]), int(match[2]), int(match[3]))
    elif (match := _WORDS.match(cleaned)) and match[2] in MONTHS:
        parts = (int(match[3]), MONTHS[match[2]], int(match[1]))
    if parts is None:
        raise InvalidInput(f'Maaf, "{text.strip()}" tidak dapat dibaca sebagai tanggal. {_HOW}')
    try:
        return date(*parts)
    except ValueError:
        raise InvalidInput(
            f'Maaf, tanggal "{text.strip()}" tidak ada di kalender. {_HOW}'
        ) from None


def format_day(day: date) -> str:
    """Show a date as 'Kamis, 10 Desember 2026'."""
    return format_date(day, "EEEE, d MMMM y", locale="id")


def format_short_day(day: date) -> str:
    """Show a date as '10 Desember 2026'."""
    return format_date(day, "d MMMM y", locale="id")


_TIME = re.compile(
    r"^(?P<rest>.*?)\s*(?:pukul|jam|pkl\.?)?\s*(?P<h>\d{1,2})[.:](?P<m>\d{2})\s*(?:wib|wita|wit)?$"
)


def parse_date_time(text: str) -> tuple[date, time]:
    """Read '10-12-2026 09.00' or '10 Desember 2026 pukul 9.30', or raise InvalidInput."""
    cleaned = " ".join(text.strip().lower().split())
    match = _TIME.match(cleaned)
    if match is None or not match["rest"]:
        raise InvalidInput(
            f'Maaf, "{text.strip()}" belum memuat tanggal dan jam. Tulis seperti '
            "10-12-2026 09.00 atau 10 Desember 2026 pukul 09.00."
        )
    hour, minute = int(match["h"]), int(match["m"])
    if hour > 23 or minute > 59:
        raise InvalidInput(f"Maaf, jam {match['h']}.{match['m']} tidak ada. Tulis seperti 09.00.")
    return parse_date(match["rest"]), time(hour, minute)
