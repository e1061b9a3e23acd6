"""The measured year (SOP step 2a/2c): results per indicator and sasaran, and the budget.

These are the shapes the analysis, the charts and the LKjIP document share. Building them
from data is ``analyse`` (pure); rendering them is bot.documents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from bot.domain.budget import BudgetLine
from bot.domain.capaian import Capaian
from bot.domain.category_scale import CategoryBand
from bot.domain.performance import NationalStandard, Polarity, Target
from bot.domain.renstra import Renstra


@dataclass(frozen=True)
class YearResult:
    """An earlier year of an indicator: its target, realisasi and capaian where known."""

    year: int
    target: Target | None
    realisasi: Decimal | None
    capaian: Capaian | None  # None unless both the target and the realisasi are known


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator's outcome for the period, with what the unit wrote about it."""

    code: str
    name: str
    satuan: str
    sasaran_code: str
    unit_name: str
    polarity: Polarity
    target: Target
    realisasi: Decimal | None
    capaian: Capaian
    category: str | None  # None when the capaian could not be computed
    renstra_target: Target | None = None
    renstra_capaian: Capaian | None = None  # realisasi measured against the Renstra target
    history: dict[int, Decimal] = field(default_factory=dict)  # earlier years' realisasi
    earlier: tuple[YearResult, ...] = ()  # earlier years with a target or realisasi, oldest first
    # The Renstra's target for each of its years (empty without a Renstra for this indicator),
    # and the last year, whose target is ``renstra_target``.
    renstra_targets: dict[int, Target] = field(default_factory=dict)
    renstra_end_year: int | None = None
    national_standard: NationalStandard | None = None
    national_capaian: Capaian | None = None  # realisasi measured against the standard
    penjelasan: str | None = None
    pendukung: str | None = None  # faktor pendukung (None for versions sent before it was asked)
    kendala: str | None = None  # faktor penghambat
    upaya: str | None = None  # upaya / alternatif solusi
    no_data_reason: str | None = None  # set when rendatin marked "tidak ada data"


@dataclass(frozen=True)
class SasaranResult:
    """A strategic goal with its indicators and their mean capaian."""

    code: str
    name: str
    indicators: tuple[IndicatorResult, ...]
    mean: Decimal | None
    category: str | None

    @property
    def left_out_of_mean(self) -> tuple[IndicatorResult, ...]:
        """The indicators the mean does not count: no data, or a capaian not computable."""
        return tuple(result for result in self.indicators if result.capaian.for_mean is None)


@dataclass(frozen=True)
class Analysis:
    """Everything measured for one office, year and period."""

    office_name: str
    year: int
    period_label: str
    sasaran: tuple[SasaranResult, ...]
    budget: tuple[BudgetLine, ...]
    scale: tuple[CategoryBand, ...]
    renstra: Renstra | None = None  # the Renstra whose years include ``year``

    @property
    def indicators(self) -> tuple[IndicatorResult, ...]:
        """Return every indicator, in sasaran order."""
        return tuple(result for sasaran in self.sasaran for result in sasaran.indicators)
