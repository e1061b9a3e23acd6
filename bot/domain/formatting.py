"""How numbers, money, dates and times are shown to people: the Indonesian way."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime as babel_format_datetime

TIMEZONE_LABELS = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA"}
TIMEZONE_LABELS["Asia/Jayapura"] = "WIT"


def format_datetime(moment: datetime, tz: ZoneInfo) -> str:
    """Show ``moment`` as '2 Januari 2026 pukul 08.30 WIB' in the office's time zone."""
    local = moment.astimezone(tz)
    label = TIMEZONE_LABELS.get(str(tz.key), local.strftime("%Z"))
    shown = babel_format_datetime(local, "d MMMM y 'pukul' HH.mm", locale="id")
    return f"{shown} {label}"


def join_words(items: Sequence[str]) -> str:
    """Join a list the Indonesian way, with the serial comma: "A", "A dan B", "A, B, dan C"."""
    if len(items) <= 2:
        return " dan ".join(items)
    return f"{', '.join(items[:-1])}, dan {items[-1]}"


def split_message(text: str, limit: int = 4096) -> list[str]:
    """Split ``text`` into Telegram-sized parts, at line breaks where possible."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current or not parts:
        parts.append(current)
    return parts


def end_sentence(text: str) -> str:
    """Close ``text`` with a full stop, unless it ends with one (a name like "Nurhayati, S.H.")."""
    return text if text.endswith(".") else f"{text}."


def format_duration(seconds: float) -> str:
    """Show a length of time as '45 detik', '4 menit 10 detik' or '2 jam 5 menit'."""
    whole = max(round(seconds), 0)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} jam {minutes} menit" if minutes else f"{hours} jam"
    if minutes:
        return f"{minutes} menit {secs} detik" if secs else f"{minutes} menit"
    return f"{secs} detik"
