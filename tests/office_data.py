"""Synthetic offices of any size, for tests that measure how the bot copes with size."""

from __future__ import annotations

from decimal import Decimal

from bot.domain.organisation import OfficeSpec, OrganisationSpec, PersonSpec, UnitSpec
from bot.domain.performance import IndicatorSpec, PerjanjianKinerja, Polarity, Target
from bot.domain.roles import Role

TEST_OFFICE = OfficeSpec(
    code="kpu-uji",
    name="KPU Uji",
    city="Uji",
    address="Jl. Uji",
    region_code="9999",
    parent_office="KPU Provinsi Uji",
)
# The rendatin member every synthetic office has, in its first unit.
RENDATIN = PersonSpec(
    nip="199001012020011001",
    name="Tim Rendatin",
    jabatan="Staf",
    unit="U01",
    roles=(Role.STAF, Role.RENDATIN),
)


def office_spec(
    units: int, *, people: tuple[PersonSpec, ...] = (RENDATIN,), unit_name: str = "Sub Bagian {n}"
) -> OrganisationSpec:
    """Return an office of ``units`` units (U01, U02 ..., named by ``unit_name``) and ``people``."""
    return OrganisationSpec(
        office=TEST_OFFICE,
        units=tuple(
            UnitSpec(code=f"U{n:02d}", name=unit_name.format(n=n), number=n)
            for n in range(1, units + 1)
        ),
        people=people,
    )


def perjanjian_kinerja(
    year: int, *, units: int, per_unit: int, name: str = "Indikator"
) -> PerjanjianKinerja:
    """Return a PK with ``per_unit`` indicators (IK u.ii, target 100 %) for each unit."""
    return PerjanjianKinerja(
        year,
        tuple(
            IndicatorSpec(
                code=f"IK {u}.{i:02d}",
                sasaran_code=f"SS {u}",
                sasaran_name=f"Sasaran {u}",
                name=f"{name} {i}",
                satuan="persen",
                polarity=Polarity.HIGHER_IS_BETTER,
                target=Target.exactly(Decimal(100)),
                unit_code=f"U{u:02d}",
            )
            for u in range(1, units + 1)
            for i in range(1, per_unit + 1)
        ),
    )
