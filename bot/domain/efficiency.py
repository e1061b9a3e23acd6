"""The budget per sasaran strategis: LKjIP Bab III.A analyses (6) and (7), and Bab III.B.

PermenPANRB 53/2014 asks, per sasaran, for (6) the efficiency of the resources used and (7)
the programs and kegiatan behind its success or failure. Each budget line may name the
sasaran it serves (``BudgetLine.sasaran_codes``); the rules:

- **Counting.** A kegiatan serving several sasaran counts with its whole pagu and realisasi
  for each of them (its absorption is the same whatever share one would give it); so the
  sums per sasaran may exceed the office's total, which counts every line once.
- **Dukungan manajemen.** A line naming no sasaran supports the whole office and is shown
  apart, in no sasaran's efficiency.
- **Unknown codes.** A code that is not a sasaran of the analysed year (the PK changed after
  the budget was imported) is left out and reported (``BudgetBySasaran.unknown``); a line
  left with none of its codes is counted as dukungan manajemen.
- **Efficiency (6).** Efficient when the sasaran's mean capaian is at least the absorption of
  the kegiatan serving it, the rule the overall view uses (``measure.is_efficient``). The
  index is capaian ÷ absorption, rounded down to 2 decimals so that it shows 1,00 or more
  exactly when the verdict is efficient. Nothing to judge, and said why, when no kegiatan is
  mapped, their pagu is 0, nothing was spent, or the mean is missing.
- **Programs (7).** A sasaran at or above target (mean ≥ 100%) is supported by its kegiatan;
  one below target is hindered by each kegiatan that absorbed less than ``LOW_ABSORPTION``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum

from bot.domain.analysis import Analysis, SasaranResult
from bot.domain.budget import BudgetLine, budget_totals, sasaran_key
from bot.domain.capaian import HUNDRED

LOW_ABSORPTION = Decimal(90)  # percent: below it, a kegiatan's absorption counts as low
_INDEX_PLACES = Decimal("0.01")


class Verdict(StrEnum):
    """What can be said of a sasaran's use of resources."""

    EFFICIENT = "efisien"
    NOT_EFFICIENT = "belum efisien"
    NO_KEGIATAN = "tidak ada kegiatan"  # no budget line is mapped to the sasaran
    NO_PAGU = "pagu nol"  # its kegiatan have a pagu of Rp0 in all
    NO_SPENDING = "belum ada realisasi"  # nothing spent: no index to compute
    NO_MEAN = "capaian belum terukur"


class Contribution(StrEnum):
    """What a kegiatan did for the sasaran it serves (analysis 7)."""

    SUPPORTED = "mendukung"  # the sasaran reached its target
    SUPPORTED_SHORT = "mendukung, belum cukup"  # below target, absorption not low
    HINDERED = "menghambat"  # below target and absorption low
    SAVED = "mendukung dengan penghematan"  # target reached with a low absorption
    UNKNOWN = "belum dapat dinilai"  # no mean, or a pagu of 0


@dataclass(frozen=True)
class KegiatanUse:
    """A budget line as it serves one sasaran."""

    line: BudgetLine
    also_serves: tuple[str, ...]  # the other sasaran it is counted for
    contribution: Contribution


@dataclass(frozen=True)
class SasaranEfficiency:
    """One sasaran's kegiatan, their amounts, its mean capaian and the verdict."""

    sasaran: SasaranResult
    kegiatan: tuple[KegiatanUse, ...]
    pagu: Decimal
    realisasi: Decimal
    absorption: Decimal | None
    index: Decimal | None  # mean ÷ absorption, rounded down to 2 decimals
    verdict: Verdict

    @property
    def mean(self) -> Decimal | None:
        """The sasaran's mean capaian (None when no indicator was measured)."""
        return self.sasaran.mean

    @property
    def reached(self) -> bool | None:
        """Whether the mean capaian is 100% or more; None without a mean."""
        return None if self.mean is None else self.mean >= HUNDRED


@dataclass(frozen=True)
class BudgetBySasaran:
    """The year's budget arranged by the Perjanjian Kinerja's sasaran, in its order."""

    sasaran: tuple[SasaranEfficiency, ...]
    support: tuple[BudgetLine, ...]  # dukungan manajemen: lines serving no (known) sasaran
    unknown: tuple[tuple[BudgetLine, tuple[str, ...]], ...]  # lines naming codes not in the PK

    @property
    def mapped(self) -> bool:
        """Whether any line names a sasaran of the year."""
        return any(item.kegiatan for item in self.sasaran)


def budget_by_sasaran(analysis: Analysis) -> BudgetBySasaran:
    """Arrange the analysis's budget by sasaran and judge each (rules in the module docstring)."""
    by_key = {sasaran_key(s.code): s.code for s in analysis.sasaran}
    served: dict[str, list[tuple[BudgetLine, tuple[str, ...]]]] = {
        s.code: [] for s in analysis.sasaran
    }
    support: list[BudgetLine] = []
    unknown: list[tuple[BudgetLine, tuple[str, ...]]] = []
    for line in analysis.budget:
        known = list(
            dict.fromkeys(by_key[k] for c in line.sasaran_codes if (k := sasaran_key(c)) in by_key)
        )
        missing = tuple(c for c in line.sasaran_codes if sasaran_key(c) not in by_key)
        if missing:
            unknown.append((line, missing))
        if not known:
            support.append(line)
        for code in known:
            served[code].append((line, tuple(other for other in known if other != code)))
    return BudgetBySasaran(
        sasaran=tuple(_judge(s, served[s.code]) for s in analysis.sasaran),
        support=tuple(support),
        unknown=tuple(unknown),
    )


def sasaran_efficiency(analysis: Analysis, code: str) -> SasaranEfficiency | None:
    """Return the efficiency of the sasaran ``code`` of the analysis (None if it has none)."""
    return next(
        (item for item in budget_by_sasaran(analysis).sasaran if item.sasaran.code == code), None
    )


def _judge(
    sasaran: SasaranResult, served: Sequence[tuple[BudgetLine, tuple[str, ...]]]
) -> SasaranEfficiency:
    lines = [line for line, _ in served]
    pagu, realisasi, absorption = budget_totals(lines)
    mean = sasaran.mean
    index: Decimal | None = None
    if not lines:
        verdict = Verdict.NO_KEGIATAN
    elif absorption is None:
        verdict = Verdict.NO_PAGU
    elif absorption == 0:
        verdict = Verdict.NO_SPENDING
    elif mean is None:
        verdict = Verdict.NO_MEAN
    else:
        index = (mean / absorption).quantize(_INDEX_PLACES, rounding=ROUND_FLOOR)
        verdict = Verdict.EFFICIENT if mean >= absorption else Verdict.NOT_EFFICIENT
    return SasaranEfficiency(
        sasaran=sasaran,
        kegiatan=tuple(
            KegiatanUse(line=line, also_serves=others, contribution=_contribution(line, mean))
            for line, others in served
        ),
        pagu=pagu,
        realisasi=realisasi,
        absorption=absorption,
        index=index,
        verdict=verdict,
    )


def _contribution(line: BudgetLine, mean: Decimal | None) -> Contribution:
    absorption = line.absorption
    if mean is None or absorption is None:
        return Contribution.UNKNOWN
    low = absorption < LOW_ABSORPTION
    if mean >= HUNDRED:
        return Contribution.SAVED if low else Contribution.SUPPORTED
    return Contribution.HINDERED if low else Contribution.SUPPORTED_SHORT
