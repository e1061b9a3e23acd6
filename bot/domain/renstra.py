"""The Rencana Strategis (Renstra): the five-year plan the yearly Perjanjian Kinerja follow.

The LKjIP's Bab II presents it (visi, misi, tujuan, sasaran and the yearly targets of each
indicator) and Bab III.A measures each indicator's path toward the Renstra's end target
(PermenPANRB 53/2014, analysis 3). Indicators are matched to the Perjanjian Kinerja by
code: "IK 1.1" of the Renstra is "IK 1.1" of every year's PK.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain.performance import Target


@dataclass(frozen=True)
class RenstraIndicator:
    """An indicator of the Renstra with its target for each year of the plan."""

    code: str
    name: str
    satuan: str
    targets: dict[int, Target] = field(default_factory=dict)


@dataclass(frozen=True)
class RenstraSasaran:
    """A sasaran strategis of the Renstra and the indicators that measure it."""

    code: str
    name: str
    indicators: tuple[RenstraIndicator, ...] = ()


@dataclass(frozen=True)
class Renstra:
    """The office's Renstra for the years ``start_year``–``end_year``."""

    start_year: int
    end_year: int
    visi: str
    misi: tuple[str, ...] = ()
    tujuan: tuple[str, ...] = ()
    sasaran: tuple[RenstraSasaran, ...] = ()

    @property
    def years(self) -> tuple[int, ...]:
        """Every year of the plan, first to last."""
        return tuple(range(self.start_year, self.end_year + 1))

    @property
    def period(self) -> str:
        """The period as Indonesians write it: "2025–2029"."""
        return f"{self.start_year}–{self.end_year}"

    def covers(self, year: int) -> bool:
        """Tell whether ``year`` is one of the plan's years."""
        return self.start_year <= year <= self.end_year

    def targets_of(self, code: str) -> dict[int, Target]:
        """The yearly targets of the indicator ``code`` (empty when the plan lacks it)."""
        for sasaran in self.sasaran:
            for indicator in sasaran.indicators:
                if indicator.code == code:
                    return dict(indicator.targets)
        return {}

    def end_target_of(self, code: str) -> Target | None:
        """The indicator's target for the plan's last year, None when the plan has none."""
        return self.targets_of(code).get(self.end_year)
