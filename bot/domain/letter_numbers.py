"""Letter numbers (nomor surat) from the office's pattern, e.g. 7/ORT.06/1771/3/2023 or, with
a document-type code, 12/PR.01-ND/1771/3/2026."""

from __future__ import annotations

import string

from bot.domain.organisation import LETTER_NUMBER_FIELDS

DRAFT_SEQ = "…"  # what a draft shows where its sequence number will go


def format_letter_number(
    pattern: str,
    *,
    seq: int,
    classification: str,
    region: str,
    unit: int | str,
    year: int,
    type: str = "",
) -> str:
    """Fill ``pattern`` ("{seq}/{classification}/{region}/{unit}/{year}") with one letter's parts.

    Only the six named fields (those five and ``{type}``, the document-type code) are allowed, each optionally with a format spec such as
    ``{seq:03d}``. Attribute or index access (``{seq.real}``), conversions (``{seq!r}``)
    and positional fields are refused: the pattern comes from a configuration file, and
    str.format would otherwise reach into any object it is given. Sequences start at 1;
    0 is tolerated for callers that build a draft's number, but ``draft_letter_number``
    is the way to do that.
    """
    if seq < 0:
        raise ValueError(f"a letter's sequence number cannot be negative ({seq})")
    return _fill(
        pattern,
        {
            "seq": seq,
            "classification": classification,
            "type": type,
            "region": region,
            "unit": unit,
            "year": year,
        },
    )


def draft_letter_number(
    pattern: str, *, classification: str, region: str, unit: int | str, year: int, type: str = ""
) -> str:
    """Return the number a draft shows: the pattern with "…" where the sequence will go."""
    return _fill(
        pattern,
        {
            "seq": None,
            "classification": classification,
            "type": type,
            "region": region,
            "unit": unit,
            "year": year,
        },
    )


def _fill(pattern: str, values: dict[str, object]) -> str:
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        raise ValueError(
            f"letter-number pattern {pattern!r} is not a valid template: {exc}"
        ) from None
    parts: list[str] = []
    for literal, field, spec, conversion in parsed:
        parts.append(literal)
        if field is None:
            continue
        if field not in LETTER_NUMBER_FIELDS or conversion or (spec and "{" in spec):
            allowed = ", ".join("{" + name + "}" for name in sorted(LETTER_NUMBER_FIELDS))
            raise ValueError(f"letter-number pattern {pattern!r} may only use the fields {allowed}")
        value = values[field]
        # A draft has no sequence yet; its format spec (e.g. 03d) only fits a number.
        parts.append(DRAFT_SEQ if value is None else format(value, spec or ""))
    return "".join(parts)
