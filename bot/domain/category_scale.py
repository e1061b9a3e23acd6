"""The capaian scale: the bands that name a percentage ("Sangat Baik" from 91 up, ...).

The organisation file sets the office's scale; capaian, the analysis and the charts read it.
It has a module of its own so that all of them can depend on it without depending on one
another (the organisation file's models import the Perjanjian Kinerja's, which import the
budget's).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints


class CategoryBand(BaseModel):
    """One band of the capaian scale: from ``min`` percent upward, named ``label``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min: float = Field(ge=0)
    label: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
