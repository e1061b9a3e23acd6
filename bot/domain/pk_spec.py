"""The Perjanjian Kinerja and the budget as written in the organisation file.

``perjanjian_kinerja:`` holds each year's indicators, ``anggaran:`` each year's budget.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from bot.domain.budget import LARGEST_AMOUNT, BudgetLine, parse_amount, parse_sasaran_codes
from bot.domain.errors import InvalidInput
from bot.domain.numbers import parse_number
from bot.domain.performance import (
    IndicatorSpec,
    NationalStandard,
    PerjanjianKinerja,
    Polarity,
    Target,
)

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
_RANGE = re.compile(r"^\s*(?P<low>[^–-]+?)\s*[–-]\s*(?P<high>[^–-]+?)\s*$")


def parse_target(value: object) -> Target:
    """Read a target written as a number (85,5) or a range (80-90); raise ValueError."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return Target.exactly(Decimal(str(value)))
    text = str(value).strip()
    try:
        if match := _RANGE.match(text):
            low, high = parse_number(match["low"]).value, parse_number(match["high"]).value
            if low > high:
                raise ValueError(f"range '{text}' runs backwards")
            return Target(low, high)
        return Target.exactly(parse_number(text).value)
    except InvalidInput:
        raise ValueError(f"'{text}' is not a number or a range such as 80-90") from None


def target_as_written(target: Target) -> str:
    """Write a target back the way people write it, for ``parse_target``: 85.5 or 80-90."""
    low, high = format(target.low, "f"), format(target.high, "f")
    return low if low == high else f"{low}-{high}"


class PkIndicatorEntry(BaseModel):
    """One indicator in the organisation file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: Text
    sasaran_code: Text
    sasaran: Text
    name: Text
    satuan: Text
    polaritas: Polarity = Polarity.HIGHER_IS_BETTER
    target: Target
    target_renstra: Target | None = None
    unit: Text
    bukti_wajib: bool = False
    realisasi_sebelumnya: dict[int, Decimal] = Field(default_factory=dict)
    # Earlier years' targets, so the report can compare their capaian with this year's.
    target_sebelumnya: dict[int, Target] = Field(default_factory=dict)
    # A national standard for the indicator, where one exists, and who sets it.
    standar_nasional: Target | None = None
    standar_nasional_sumber: Text | None = None

    @field_validator("target", "target_renstra", "standar_nasional", mode="before")
    @classmethod
    def _target(cls, value: object) -> object:
        return None if value is None else parse_target(value)

    @field_validator("realisasi_sebelumnya", mode="before")
    @classmethod
    def _history(cls, value: object) -> object:
        years = targets_by_year(value, "realisasi_sebelumnya", example="{2025: 81,5}")
        return {year: target.low for year, target in years.items()}

    @field_validator("target_sebelumnya", mode="before")
    @classmethod
    def _history_targets(cls, value: object) -> object:
        return targets_by_year(value, "target_sebelumnya", example="{2025: 100, 2024: 80-90}")

    def national_standard(self) -> NationalStandard | None:
        """The indicator's national standard, None when it has none."""
        if self.standar_nasional is None:
            return None
        return NationalStandard(self.standar_nasional, self.standar_nasional_sumber)


def targets_by_year(value: object, name: str, *, example: str) -> dict[int, Target]:
    """Read a mapping of years to numbers or ranges, e.g. {2024: 100, 2025: 80-90}."""
    if not isinstance(value, dict):
        raise ValueError(f"{name} must map a year to a number, e.g. {example}")
    try:
        return {int(year): parse_target(amount) for year, amount in value.items()}
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name}: {error}") from None


class PkYearEntry(BaseModel):
    """One year's Perjanjian Kinerja in the organisation file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    year: int = Field(ge=2000, le=2100)
    indicators: tuple[PkIndicatorEntry, ...] = Field(min_length=1)

    def to_domain(self) -> PerjanjianKinerja:
        """Convert to the domain's Perjanjian Kinerja."""
        return PerjanjianKinerja(
            year=self.year,
            indicators=tuple(
                IndicatorSpec(
                    code=entry.code,
                    sasaran_code=entry.sasaran_code,
                    sasaran_name=entry.sasaran,
                    name=entry.name,
                    satuan=entry.satuan,
                    polarity=entry.polaritas,
                    target=entry.target,
                    unit_code=entry.unit,
                    evidence_required=entry.bukti_wajib,
                    renstra_target=entry.target_renstra,
                    history=dict(entry.realisasi_sebelumnya),
                    history_targets=dict(entry.target_sebelumnya),
                    national_standard=entry.national_standard(),
                )
                for entry in self.indicators
            ),
        )


Amount = Annotated[Decimal, Field(ge=0, le=LARGEST_AMOUNT)]


class BudgetEntry(BaseModel):
    """One program/kegiatan of a year's budget in the organisation file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    program: Text
    kegiatan: Text
    pagu: Amount
    realisasi: Amount
    # The sasaran the kegiatan serves ("SS 1", "SS 1, SS 3" or a list); none: it supports
    # the whole office (dukungan manajemen).
    sasaran: tuple[Text, ...] = ()

    @field_validator("sasaran", mode="before")
    @classmethod
    def _sasaran(cls, value: object) -> object:
        if value is None:
            return ()
        if isinstance(value, str):
            return parse_sasaran_codes(value)
        if isinstance(value, list | tuple) and all(isinstance(code, str) for code in value):
            return parse_sasaran_codes(value)
        raise ValueError('write the sasaran code(s) it serves, e.g. "SS 1" or [SS 1, SS 3]')

    @field_validator("pagu", "realisasi", mode="before")
    @classmethod
    def _amount(cls, value: object) -> object:
        # Numbers pass through to the range check; text is read as Indonesians write money.
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
            raise ValueError('write an amount such as 1234567 or "Rp 1.234.567"')
        try:
            return parse_amount(value)
        except InvalidInput:
            raise ValueError(
                f"'{value}' is not an amount; write 1234567 or \"Rp 1.234.567\" "
                "(dots group thousands, the comma is the decimal mark)"
            ) from None


class BudgetYearEntry(BaseModel):
    """One year's budget in the organisation file (``anggaran:``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    year: int = Field(ge=2000, le=2100)
    lines: tuple[BudgetEntry, ...] = Field(min_length=1)

    def to_domain(self) -> tuple[BudgetLine, ...]:
        """Convert to the domain's budget lines, in file order."""
        return tuple(
            BudgetLine(
                program=entry.program,
                kegiatan=entry.kegiatan,
                pagu=entry.pagu,
                realisasi=entry.realisasi,
                sasaran_codes=entry.sasaran,
            )
            for entry in self.lines
        )
