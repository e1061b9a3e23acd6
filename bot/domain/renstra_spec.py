"""The Renstra as written in the organisation file (``renstra:``).

    renstra:
      periode: 2025-2029
      visi: Menjadi penyelenggara pemilu yang mandiri, profesional dan berintegritas
      misi: [..., ...]
      tujuan: [..., ...]
      sasaran:
        - code: SS 1
          name: Terselenggaranya pemutakhiran data pemilih berkelanjutan yang akurat
          indikator:
            - {code: IK 1.1, name: ..., satuan: persen, target: {2025: 100, ..., 2029: 100}}

Indicator codes are those of the Perjanjian Kinerja, which is how a year's report finds an
indicator's path through the plan.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from bot.domain.performance import Target
from bot.domain.pk_spec import target_as_written, targets_by_year
from bot.domain.renstra import Renstra, RenstraIndicator, RenstraSasaran

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
_PERIOD = re.compile(r"^\s*(\d{4})\s*[–-]\s*(\d{4})\s*$")
LONGEST_PLAN = 10  # years; a Renstra runs five, a longer span is a typing error


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RenstraIndicatorEntry(_Strict):
    """One indicator of the Renstra with its yearly targets."""

    code: Text
    name: Text
    satuan: Text
    target: dict[int, Target] = Field(min_length=1)

    @field_validator("target", mode="before")
    @classmethod
    def _yearly(cls, value: object) -> object:
        return targets_by_year(value, "target", example="{2025: 90, 2026: 95}")


class RenstraSasaranEntry(_Strict):
    """One sasaran strategis of the Renstra."""

    code: Text
    name: Text
    indikator: tuple[RenstraIndicatorEntry, ...] = ()


class RenstraEntry(_Strict):
    """The ``renstra:`` section: the plan's years, visi, misi, tujuan and sasaran."""

    periode: tuple[int, int]
    visi: LongText
    misi: tuple[LongText, ...] = ()
    tujuan: tuple[LongText, ...] = ()
    sasaran: tuple[RenstraSasaranEntry, ...] = ()

    @field_validator("periode", mode="before")
    @classmethod
    def _period(cls, value: object) -> object:
        match = _PERIOD.match(str(value))
        if match is None:
            raise ValueError("write the Renstra's years as a span, e.g. periode: 2025-2029")
        start, end = int(match[1]), int(match[2])
        if not 2000 <= start <= end <= 2100 or end - start >= LONGEST_PLAN:
            raise ValueError(f"'{value}' is not a plan of up to {LONGEST_PLAN} years")
        return start, end

    @model_validator(mode="after")
    def _targets_inside_the_plan(self) -> RenstraEntry:
        start, end = self.periode
        codes: set[str] = set()
        for sasaran in self.sasaran:
            for indicator in sasaran.indikator:
                if indicator.code in codes:
                    raise ValueError(f"indicator {indicator.code} appears twice in the Renstra")
                codes.add(indicator.code)
                outside = sorted(year for year in indicator.target if not start <= year <= end)
                if outside:
                    raise ValueError(
                        f"{indicator.code}: target for {outside[0]} lies outside the Renstra's "
                        f"years {start}-{end}"
                    )
        return self

    def as_written(self) -> dict[str, Any]:
        """The section as the organisation file writes it (read back by ``model_validate``)."""
        start, end = self.periode
        return {
            "periode": f"{start}-{end}",
            "visi": self.visi,
            "misi": list(self.misi),
            "tujuan": list(self.tujuan),
            "sasaran": [
                {
                    "code": sasaran.code,
                    "name": sasaran.name,
                    "indikator": [
                        {
                            "code": item.code,
                            "name": item.name,
                            "satuan": item.satuan,
                            "target": {
                                str(year): target_as_written(target)
                                for year, target in sorted(item.target.items())
                            },
                        }
                        for item in sasaran.indikator
                    ],
                }
                for sasaran in self.sasaran
            ],
        }

    def to_domain(self) -> Renstra:
        """Convert to the domain's Renstra."""
        start, end = self.periode
        return Renstra(
            start_year=start,
            end_year=end,
            visi=self.visi,
            misi=self.misi,
            tujuan=self.tujuan,
            sasaran=tuple(
                RenstraSasaran(
                    code=sasaran.code,
                    name=sasaran.name,
                    indicators=tuple(
                        RenstraIndicator(
                            code=item.code,
                            name=item.name,
                            satuan=item.satuan,
                            targets=dict(item.target),
                        )
                        for item in sasaran.indikator
                    ),
                )
                for sasaran in self.sasaran
            ),
        )
