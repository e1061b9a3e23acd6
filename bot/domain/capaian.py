"""Capaian (achievement) of an indicator, its category, and the mean per sasaran.

The rules of PRODUCT.md §2, written as one function of the realisasi, the target's bounds
and the polarity. A single target is the range ``low == high``, so one rule covers both
and reduces to the textbook formulas:

- Within the range (low ≤ realisasi ≤ high): 100.
- Higher is better: below the range ``realisasi / low × 100``, above it
  ``realisasi / high × 100``.
- Lower is better: above the range ``(2 × high − realisasi) / high × 100``, below it
  ``(2 × low − realisasi) / low × 100``.

Outside a range the realisasi is measured against the nearer bound, so the capaian is
continuous (exactly 100 at either bound) and monotonic in the realisasi. There is no upper
cap, as in the formula: a lower-is-better indicator with realisasi 0 scores 200, and
realisasi 95 against a higher-is-better 80–90 scores 105,56. The value never goes below 0.

A bound of 0 cannot be divided by, so it has its own explicit rule:

- Target 0, higher is better: any realisasi ≥ 0 is 100 (nothing was asked, so nothing
  is missing; over-achievement cannot be measured against 0); a negative one is 0.
- Target 0, lower is better (e.g. "jumlah temuan"): realisasi 0 is 100, anything above
  0 is 0. A negative realisasi counts as 100 so the rule stays monotonic; the checks
  refuse negative realisasi before it gets here anyway.
- A range starting at 0 (e.g. 0–5) only meets its 0 bound with a negative realisasi:
  0 for higher is better, 100 for lower is better, by the same reasoning.

A missing realisasi is NO_DATA. A target that is not a finite number, is negative, or is
a range whose low is above its high, and a result too large to compute, are
NOT_MEASURABLE with a note, as is a realisasi or target beyond 10^18 (an accident, not
a count); ``compute_capaian`` never raises.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import (
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from enum import StrEnum

from bot.domain.category_scale import CategoryBand
from bot.domain.numbers import format_number
from bot.domain.performance import Polarity, Target

ZERO = Decimal(0)
HUNDRED = Decimal(100)
_CENT = Decimal("0.01")
# No indicator counts past a quintillion (the state budget is about 4e15 rupiah); beyond it
# the value is a typing or import accident, and formatting it for a note would take ages.
_LARGEST = Decimal("1e18")
# Our own context, so a caller's changed global context cannot change a capaian, and every
# arithmetic surprise raises (and becomes NOT_MEASURABLE) instead of passing silently.
_ARITHMETIC = Context(prec=28, traps=[InvalidOperation, DivisionByZero, Overflow])


class CapaianStatus(StrEnum):
    """Whether a capaian could be computed."""

    OK = "ok"
    NO_DATA = "no_data"  # no realisasi yet
    NOT_MEASURABLE = "not_measurable"  # the rule cannot give a number for these inputs


@dataclass(frozen=True)
class Capaian:
    """An indicator's achievement in percent, and the note a report shows beside it."""

    value: Decimal | None  # percent, rounded half-up to 2 decimals; None unless OK
    status: CapaianStatus
    note: str = ""  # Indonesian; set when not OK or when a special rule was used
    # The same percent before rounding: means are taken from it, so that a mean is not off
    # by the indicators' rounding (none: ``value`` is exact, or there is no value).
    exact: Decimal | None = field(default=None, compare=False, repr=False)

    @property
    def for_mean(self) -> Decimal | None:
        """The value a mean counts: the unrounded percent; None unless OK."""
        if self.status is not CapaianStatus.OK:
            return None
        return self.exact if self.exact is not None else self.value


def compute_capaian(*, realisasi: Decimal | None, target: Target, polarity: Polarity) -> Capaian:
    """Return the capaian of ``realisasi`` against ``target`` (rules in the module docstring)."""
    if realisasi is None:
        return Capaian(None, CapaianStatus.NO_DATA, "Realisasi belum diisi.")
    problem = _unmeasurable_reason(realisasi, target)
    if problem:
        return Capaian(None, CapaianStatus.NOT_MEASURABLE, problem)
    try:
        with localcontext(_ARITHMETIC):
            value, note = _percent(realisasi, target, polarity)
            exact = max(ZERO, value)
            rounded = exact.quantize(_CENT, rounding=ROUND_HALF_UP)
    except ArithmeticError:
        return Capaian(
            None,
            CapaianStatus.NOT_MEASURABLE,
            "Capaian tidak dapat dihitung karena angka realisasi atau target terlalu besar "
            "atau terlalu kecil; mohon periksa kembali.",
        )
    return Capaian(rounded, CapaianStatus.OK, note, exact=exact)


def _unmeasurable_reason(realisasi: Decimal, target: Target) -> str:
    # is_finite() first: comparing a signalling NaN would raise.
    if not realisasi.is_finite():
        return "Realisasi bukan angka yang sah, sehingga capaian tidak dapat dihitung."
    if not (target.low.is_finite() and target.high.is_finite()):
        return "Target bukan angka yang sah, sehingga capaian tidak dapat dihitung."
    if max(abs(realisasi), abs(target.low), abs(target.high)) > _LARGEST:
        return "Angka realisasi atau target terlalu besar, sehingga capaian tidak dapat dihitung."
    if target.low < 0:
        return "Target bernilai negatif, sehingga capaian tidak dapat dihitung."
    if target.low > target.high:
        return (
            "Rentang target tidak sah (batas bawah lebih besar dari batas atas), "
            "sehingga capaian tidak dapat dihitung."
        )
    return ""


def _percent(realisasi: Decimal, target: Target, polarity: Polarity) -> tuple[Decimal, str]:
    low, high = target.low, target.high
    higher = polarity is Polarity.HIGHER_IS_BETTER
    if high == 0:
        return _zero_target(realisasi, higher=higher)
    if low <= realisasi <= high:
        return HUNDRED, _range_note(target, "di dalam rentang dihitung 100%")
    below = realisasi < low
    bound = low if below else high
    if bound == 0:  # a range such as 0–5 with a negative realisasi
        value = ZERO if higher else HUNDRED
    elif higher:
        value = realisasi / bound * HUNDRED
    else:
        value = (2 * bound - realisasi) / bound * HUNDRED
    side = "bawah" if below else "atas"
    return value, _range_note(
        target, f"di {side} rentang dihitung terhadap batas {side} ({format_number(bound)})"
    )


def _zero_target(realisasi: Decimal, *, higher: bool) -> tuple[Decimal, str]:
    shown = format_number(realisasi)
    if higher:
        if realisasi >= 0:
            return HUNDRED, "Target 0: setiap realisasi yang tidak negatif dihitung tercapai 100%."
        return ZERO, f"Target 0 dan realisasi {shown}: capaian dihitung 0%."
    if realisasi <= 0:
        return HUNDRED, f"Target 0 dan realisasi {shown}: target tercapai, capaian 100%."
    return ZERO, (
        f"Target 0 dan realisasi {shown}: setiap angka di atas 0 berarti target tidak "
        "tercapai, sehingga capaian dihitung 0%."
    )


def _range_note(target: Target, where: str) -> str:
    if not target.is_range:
        return ""
    bounds = f"{format_number(target.low)}–{format_number(target.high)}"
    return f"Target berupa rentang {bounds}; realisasi {where}."


def category(value: Decimal, scale: Sequence[CategoryBand]) -> str:
    """Return the label of the band ``value`` (percent) falls in: the highest band it reaches."""
    if not scale:
        raise ValueError("the category scale is empty")
    # Decimal(str(...)) so a band of 90.1 means 90,1 and not the float just below it.
    ordered = sorted(scale, key=lambda band: band.min, reverse=True)
    for band in ordered:
        if value >= Decimal(str(band.min)):
            return band.label
    return ordered[-1].label


def sasaran_mean(values: Iterable[Capaian]) -> Decimal | None:
    """Return the mean of the computed capaian (half-up, 2 decimals), or None if none is.

    The mean is of the unrounded capaian, rounded once at the end: three indicators at
    33,334 % each have a mean of 33,33 %, not of three rounded 33,33 % that may drift.
    """
    measured = [c.for_mean for c in values if c.for_mean is not None]
    if not measured:
        return None
    with localcontext(_ARITHMETIC):
        return (sum(measured, ZERO) / len(measured)).quantize(_CENT, rounding=ROUND_HALF_UP)
