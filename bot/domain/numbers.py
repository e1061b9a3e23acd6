"""Numbers as Indonesians write them: "85,5", "1.234", "1.234,5", "85 %", "Rp 1.234.567"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babel.numbers import format_decimal

from bot.domain.errors import InvalidInput

# Thousands groups separated by dots (or spaces), an optional decimal comma part.
_INDONESIAN = re.compile(r"^\d{1,3}(?:[. ]\d{3})+(?:,\d+)?$|^\d+(?:,\d+)?$")
# A dot followed by other than three digits can only be a decimal point ("85.5").
_DOT_DECIMAL = re.compile(r"^\d+\.\d{1,2}$|^\d+\.\d{4,}$|^0\.\d+$")

_NOT_A_NUMBER = (
    "Maaf, \"{text}\" tidak dapat dibaca sebagai angka. Tulis angkanya saja, misalnya 85,5 "
    "atau 1.234 (koma untuk desimal, titik untuk ribuan)."
)


@dataclass(frozen=True)
class ParsedNumber:
    """A number read from text, and whether it was written as a percentage."""

    value: Decimal
    percent: bool = False


def parse_number(text: str) -> ParsedNumber:
    """Read a number written the Indonesian way, or raise InvalidInput saying how to write it."""
    original = text
    cleaned = text.strip().replace("\u00a0", " ").replace("\u2212", "-")
    percent = False
    if cleaned.endswith("%"):
        percent = True
        cleaned = cleaned[:-1].rstrip()
    elif cleaned.lower().endswith("persen"):
        percent = True
        cleaned = cleaned[: -len("persen")].rstrip()
    lowered = cleaned.lower()
    if lowered.startswith("rp"):
        cleaned = cleaned[2:].lstrip(" .")
    negative = cleaned.startswith("-")
    if negative or cleaned.startswith("+"):
        cleaned = cleaned[1:].lstrip()
    if cleaned.endswith(",-"):  # "Rp 1.500,-" is how amounts are written on letters
        cleaned = cleaned[:-2]
    if not cleaned:
        raise InvalidInput(_NOT_A_NUMBER.format(text=original.strip()))
    if _INDONESIAN.match(cleaned):
        digits = cleaned.replace(".", "").replace(" ", "").replace(",", ".")
    elif _DOT_DECIMAL.match(cleaned):
        digits = cleaned
    else:
        raise InvalidInput(_NOT_A_NUMBER.format(text=original.strip()))
    try:
        value = Decimal(digits)
    except InvalidOperation:
        raise InvalidInput(_NOT_A_NUMBER.format(text=original.strip())) from None
    return ParsedNumber(-value if negative else value, percent)


def format_number(value: Decimal, *, max_decimals: int = 2) -> str:
    """Show a number the Indonesian way: 1.234,5 (at most ``max_decimals`` decimals)."""
    pattern = "#,##0" + ("." + "#" * max_decimals if max_decimals else "")
    return format_decimal(value, format=pattern, locale="id")


def format_percent(value: Decimal) -> str:
    """Show a percentage: 85,5%."""
    return f"{format_number(value)}%"


def format_rupiah(value: Decimal) -> str:
    """Show an amount of money: Rp 1.234.567."""
    return f"Rp {format_number(value, max_decimals=0)}"
