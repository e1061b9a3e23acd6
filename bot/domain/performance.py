"""The Perjanjian Kinerja's vocabulary: sasaran, indikator, targets and realisations."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class Polarity(StrEnum):
    """Which way is better for an indicator."""

    HIGHER_IS_BETTER = "naik"  # e.g. persentase partisipasi pemilih
    LOWER_IS_BETTER = "turun"  # e.g. jumlah temuan pemeriksaan


@dataclass(frozen=True)
class Target:
    """A target: one value (``low == high``) or a range such as 80–90."""

    low: Decimal
    high: Decimal

    @classmethod
    def exactly(cls, value: Decimal) -> Target:
        """Return a single-value target."""
        return cls(value, value)

    @property
    def is_range(self) -> bool:
        """Tell whether this is a range target."""
        return self.low != self.high


@dataclass(frozen=True)
class NationalStandard:
    """A national standard an indicator can be compared with (LKjIP Bab III.A, analysis 4)."""

    value: Target
    source: str | None = None  # the regulation or body that sets it


@dataclass(frozen=True)
class IndicatorSpec:
    """One indicator of the year's Perjanjian Kinerja, as imported."""

    code: str  # e.g. "IK 1.1", unique within a year
    sasaran_code: str  # e.g. "SS 1"
    sasaran_name: str
    name: str
    satuan: str  # persen, dokumen, laporan, kegiatan, ...
    polarity: Polarity
    target: Target
    unit_code: str  # the responsible unit (PIC), a code from the organisation file
    evidence_required: bool = False
    renstra_target: Target | None = None
    # Realisations of earlier years, e.g. {2023: Decimal("78.5"), 2024: Decimal("81")}.
    history: dict[int, Decimal] = field(default_factory=dict)
    # Targets of earlier years, so their capaian can be compared with this year's.
    history_targets: dict[int, Target] = field(default_factory=dict)
    national_standard: NationalStandard | None = None


@dataclass(frozen=True)
class PerjanjianKinerja:
    """The indicators an office committed to for one year."""

    year: int
    indicators: tuple[IndicatorSpec, ...]
