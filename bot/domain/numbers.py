"""Numbers as Indonesians write them: "85,5", "1.234", "1.234,5", "85 %", "Rp1.234.567".

How ``parse_number`` reads a text, and why:

- The comma is always the decimal mark: "85,5", "0,75", and also "1,234" (one point two
  three four). Indonesians never group thousands with a comma, so "1,234.5" is refused.
- Dots group thousands when the first group has one to three digits and does not start
  with 0, and every later group has exactly three: "1.234" is one thousand two hundred
  thirty-four, "2.000.000" two million, "12.345,67" twelve thousand and a bit. A plain
  space groups thousands the same way ("1 234"), but not mixed with dots ("1.234 567").
- Any other single dot can only be a decimal point, as phones and spreadsheets write it:
  "85.5", "1.5", "0.75", "1.2345", and "0.500" (a thousands group never starts at 0).
  "1234.567" is refused: it is either a decimal or a mistyped "1.234.567", and guessing
  wrong would change the value a thousandfold.
- "%" or "persen" at the end marks a percentage. "Rp" or "Rp." in front marks money, and
  the ",-" that letters put after an amount is allowed ("Rp1.500,-"). A number cannot be
  both money and a percentage ("Rp 5%").
- One sign, "+", "-" or the Unicode minus "−", in front, before or after "Rp".
- Only the digits 0-9. Other scripts' digits ("١٢", fullwidth "１２") are refused: nobody
  here types them on purpose, so they are far more likely a paste accident than a value.
- A decimal mark with nothing on one side (",5", "5,", "5.") is refused rather than
  guessed; the reply shows how to write it.
- "-0" is read as 0, so a sign never shows up on zero.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from babel.numbers import format_decimal

from bot.domain.errors import InvalidInput

# Sign, currency, sign, the number itself, the letter-style ",-", the percent mark.
_SHAPE = re.compile(
    r"""
    ^(?P<sign>[+-])?\s*
    (?P<rupiah>rp\.?)?\s*
    (?P<sign_after_rp>[+-])?\s*
    (?P<number>[0-9](?:[0-9., ]*[0-9.,])?)
    (?P<dash>,-)?\s*
    (?P<percent>%|persen)?$
    """,
    re.IGNORECASE | re.VERBOSE,
)
# Thousands groups separated by dots or by spaces (one kind), an optional decimal comma part.
_GROUPED = re.compile(r"^[1-9][0-9]{0,2}(?P<sep>[. ])[0-9]{3}(?:(?P=sep)[0-9]{3})*(?:,[0-9]+)?$")
_PLAIN = re.compile(r"^[0-9]+(?:,[0-9]+)?$")
# A dot followed by other than three digits can only be a decimal point ("85.5"); so can a
# dot after a lone 0 ("0.500"), because a thousands group never starts with 0.
_DOT_DECIMAL = re.compile(r"^[0-9]+\.(?:[0-9]{1,2}|[0-9]{4,})$|^0\.[0-9]+$")
# Spaces people (and Babel, in some locales) put between digit groups, and the Unicode minus.
_NORMALISE = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2212": "-"})

_HOW_TO_WRITE = (
    "Tulis angkanya saja, misalnya 85,5 atau 1.234 (koma untuk desimal, titik untuk ribuan)."
)
_NOT_A_NUMBER = 'Maaf, "{text}" tidak dapat dibaca sebagai angka. ' + _HOW_TO_WRITE
_EMPTY = "Maaf, angkanya belum ada. " + _HOW_TO_WRITE
_ECHO_LIMIT = 40  # the person's text is quoted back; a pasted paragraph should not be


@dataclass(frozen=True)
class ParsedNumber:
    """A number read from text, and whether it was written as a percentage."""

    value: Decimal
    percent: bool = False


_WHOLE_NUMBER = re.compile(r"[0-9]{1,19}")
BIGGEST_ID = 2**63 - 1  # a row id must fit a signed 64-bit column on SQLite and PostgreSQL


def whole_number(text: str, *, lowest: int = 0, highest: int = BIGGEST_ID) -> int | None:
    """Read ``text`` as a plain whole number in [lowest, highest], or None.

    Only ASCII digits: ``str.isdigit`` also accepts "²" and "١٢" (which ``int`` then refuses
    or reads), and ``int`` accepts " 1" and "1_000"; an argument or a button's id is none of
    those. The bound keeps a 30-digit id from ever reaching the database.
    """
    if not _WHOLE_NUMBER.fullmatch(text):
        return None
    value = int(text)
    return value if lowest <= value <= highest else None


def parse_number(text: str) -> ParsedNumber:
    """Read a number written the Indonesian way, or raise InvalidInput saying how to write it."""
    cleaned = text.translate(_NORMALISE).strip()
    if not cleaned:
        raise InvalidInput(_EMPTY)
    shape = _SHAPE.match(cleaned)
    if shape is None:
        raise _not_a_number(cleaned)
    sign = shape["sign"] or shape["sign_after_rp"]
    money = bool(shape["rupiah"] or shape["dash"])
    percent = shape["percent"] is not None
    number = shape["number"]
    if (shape["sign"] and shape["sign_after_rp"]) or (money and percent):
        raise _not_a_number(cleaned)
    if shape["dash"] and "," in number:  # ",-" says "no cents", so "1,5,-" contradicts itself
        raise _not_a_number(cleaned)
    if _GROUPED.match(number) or _PLAIN.match(number):
        digits = number.replace(".", "").replace(" ", "").replace(",", ".")
    elif _DOT_DECIMAL.match(number):
        digits = number
    else:
        raise _not_a_number(cleaned)
    value = Decimal(digits)
    if sign == "-" and value != 0:
        value = -value
    return ParsedNumber(value, percent)


def _not_a_number(text: str) -> InvalidInput:
    shown = text if len(text) <= _ECHO_LIMIT else text[: _ECHO_LIMIT - 1] + "…"
    return InvalidInput(_NOT_A_NUMBER.format(text=shown))


def format_number(value: Decimal, *, max_decimals: int = 2) -> str:
    """Show a number the Indonesian way: 1.234,5 (at most ``max_decimals`` decimals)."""
    pattern = "#,##0" + ("." + "#" * max_decimals if max_decimals else "")
    if not value.is_finite():
        return format_decimal(value, format=pattern, locale="id")
    # Enough precision for every digit, so a large amount is never rounded away or refused;
    # half-up, as reports and spreadsheets round (Babel alone would round half-even).
    with localcontext() as context:
        context.prec = max(28, value.adjusted() + max_decimals + 2)
        rounded = value.quantize(Decimal(1).scaleb(-max_decimals), rounding=ROUND_HALF_UP)
        if rounded == 0:
            rounded = rounded.copy_abs()  # "-0" would read as a loss that is not there
        return _indonesian(rounded, max_decimals)


def _indonesian(rounded: Decimal, max_decimals: int) -> str:
    """Write an already rounded number as Babel's "#,##0.##" does for locale id: 1.234,5.

    Python's own formatting, with the separators swapped: Babel took a tenth of a
    millisecond per number, and a 400-indicator report shows some 8,500 of them
    (tests/unit/test_numbers.py checks the two agree).
    """
    text = f"{rounded:,.{max_decimals}f}"  # "-1,234.50"
    whole, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    whole = whole.replace(",", ".")
    return f"{whole},{fraction}" if fraction else whole


def format_percent(value: Decimal) -> str:
    """Show a percentage: 85,5%."""
    return f"{format_number(value)}%"


def format_rupiah(value: Decimal) -> str:
    """Show an amount of money: Rp1.234.567 (a negative amount as -Rp1.500).

    No space after "Rp" (as PUEBI writes it), so a line never breaks between "Rp" and the amount.
    """
    shown = format_number(value, max_decimals=0)
    if shown.startswith("-"):
        return f"-Rp{shown[1:]}"
    return f"Rp{shown}"
