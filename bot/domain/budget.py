"""The budget beside the performance (LKjIP chapter III.B): amounts, totals and their checks.

Rules for a line's amounts (pagu, the ceiling, and realisasi, what was spent):

- Each is a finite number of rupiah from 0 up to 10^18 (beyond that it is an accident).
  Negative amounts are refused: ``budget_problems``.
- A realisasi above its pagu is allowed, since revisions and reporting lags make it happen,
  but it is flagged, as is realisasi against a pagu of 0 and a program/kegiatan listed
  twice: ``budget_warnings``.
- Text is read as Indonesians write money: "Rp 1.234.567", "1.234.567,50", "Rp1.500,-";
  a lone "-" (also "Rp -") is nil, as accounting formats show 0. A percentage is refused.
- Absorption is total realisasi / total pagu × 100, half-up to 2 decimals, and None when
  the total pagu is not above 0 (nothing to absorb).
- A line may name the sasaran strategis it serves (``sasaran_codes``, one or several codes
  such as "SS 1"); a line without one is dukungan manajemen, serving the whole office. Codes
  are compared ignoring case and spaces ("ss1" is "SS 1"); a code that is not a sasaran of
  the year's Perjanjian Kinerja is refused where the PK is known (``unknown_sasaran``).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

from bot.domain.errors import InvalidInput
from bot.domain.numbers import format_percent, format_rupiah, parse_number

LARGEST_AMOUNT = Decimal("1e18")
_CENT = Decimal("0.01")
_NIL = re.compile(r"^(?:rp\.?\s*)?[-–—]$", re.IGNORECASE)
# Enough digits for any sum of amounts up to LARGEST_AMOUNT; no traps, so a broken amount
# makes a total that is not finite (and no absorption) instead of raising.
_SUMS = Context(prec=60, traps=[])


@dataclass(frozen=True)
class BudgetLine:
    """A program or kegiatan with its ceiling (pagu) and what was spent (realisasi)."""

    program: str
    kegiatan: str
    pagu: Decimal
    realisasi: Decimal
    sasaran_codes: tuple[str, ...] = ()  # the sasaran it serves; none: dukungan manajemen

    @property
    def absorption(self) -> Decimal | None:
        """Return realisasi / pagu in percent (2 decimals), None for a zero pagu."""
        if self.pagu == 0:
            return None
        return (self.realisasi / self.pagu * 100).quantize(Decimal("0.01"))


def parse_amount(value: Decimal | int | float | str) -> Decimal:
    """Read an amount of rupiah, a number or Indonesian text; raise InvalidInput saying why not."""
    if not isinstance(value, str):
        return Decimal(str(value))
    text = value.strip()
    if _NIL.match(text):
        return Decimal(0)
    parsed = parse_number(text)
    if parsed.percent:
        raise InvalidInput(
            f'"{text}" adalah persentase; tulis jumlah rupiahnya, misalnya Rp 1.234.567.'
        )
    return parsed.value


def parse_sasaran_codes(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """Read the sasaran a line serves: "SS 1", "SS 1, SS 3" or a list; each code once."""
    if value is None:
        return ()
    pieces = re.split(r"[,;\n]", value) if isinstance(value, str) else list(value)
    codes: list[str] = []
    for piece in pieces:
        code = " ".join(str(piece).split())
        if code and sasaran_key(code) not in {sasaran_key(c) for c in codes}:
            codes.append(code)
    return tuple(codes)


def sasaran_key(code: str) -> str:
    """Return a sasaran code compared leniently: "ss1", "SS 1" and "SS  1" are one code."""
    return "".join(code.split()).casefold()


def unknown_sasaran(codes: Iterable[str], known: Collection[str]) -> list[str]:
    """Return the codes that are not among ``known`` (the year's sasaran), in their order."""
    keys = {sasaran_key(code) for code in known}
    return [code for code in codes if sasaran_key(code) not in keys]


def unknown_sasaran_message(codes: Sequence[str], known: Sequence[str], year: int) -> str:
    """Say that a line names sasaran the year's Perjanjian Kinerja does not have."""
    named = ", ".join(codes)
    listed = ", ".join(known) or "belum ada sasaran"
    return (
        f"sasaran {named} tidak ada dalam Perjanjian Kinerja {year} (sasarannya: {listed}); "
        "perbaiki kodenya, atau kosongkan bila kegiatan ini dukungan manajemen untuk seluruh "
        "sasaran"
    )


def amount_problem(value: Decimal) -> str | None:
    """Return why ``value`` cannot be a pagu or realisasi ("tidak boleh negatif"), or None."""
    if not value.is_finite():
        return "bukan angka yang sah"
    if value < 0:
        return f"tidak boleh negatif ({format_rupiah(value)})"
    if value > LARGEST_AMOUNT:
        return f"terlalu besar ({format_rupiah(value)}); periksa kembali angkanya"
    return None


def budget_totals(lines: Iterable[BudgetLine]) -> tuple[Decimal, Decimal, Decimal | None]:
    """Return the total pagu, the total realisasi and the absorption in percent (or None)."""
    with localcontext(_SUMS):
        pagu = Decimal(0)
        realisasi = Decimal(0)
        for line in lines:
            pagu += line.pagu
            realisasi += line.realisasi
        if not (pagu.is_finite() and realisasi.is_finite()) or pagu <= 0:
            return pagu, realisasi, None
        absorption = (realisasi / pagu * 100).quantize(_CENT, rounding=ROUND_HALF_UP)
    return pagu, realisasi, absorption


def budget_problems(lines: Sequence[BudgetLine]) -> list[str]:
    """List the lines whose amounts break the rules (not a number, negative, too large)."""
    problems: list[str] = []
    for line in lines:
        for label, value in (("pagu", line.pagu), ("realisasi", line.realisasi)):
            problem = amount_problem(value)
            if problem:
                problems.append(f"{_name(line)}: {label} {problem}.")
    return problems


def budget_warnings(lines: Sequence[BudgetLine]) -> list[str]:
    """List what is allowed but worth a second look: overspending, realisasi without pagu, twins."""
    warnings: list[str] = []
    seen: set[tuple[str, str]] = set()
    for line in lines:
        key = (line.program.casefold(), line.kegiatan.casefold())
        if key in seen:
            warnings.append(
                f"{_name(line)}: tercatat lebih dari sekali; periksa agar tidak terhitung ganda."
            )
        seen.add(key)
        if amount_problem(line.pagu) or amount_problem(line.realisasi):
            continue  # budget_problems reports it
        if line.pagu == 0 and line.realisasi > 0:
            warnings.append(
                f"{_name(line)}: ada realisasi {format_rupiah(line.realisasi)} padahal pagunya Rp0."
            )
        elif line.realisasi > line.pagu:
            absorption = (line.realisasi / line.pagu * 100).quantize(_CENT, ROUND_HALF_UP)
            warnings.append(
                f"{_name(line)}: realisasi {format_rupiah(line.realisasi)} melebihi pagu "
                f"{format_rupiah(line.pagu)} (penyerapan {format_percent(absorption)})."
            )
    return warnings


def _name(line: BudgetLine) -> str:
    return f"{line.kegiatan} ({line.program})"
