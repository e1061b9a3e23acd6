"""A synthetic province: a KPU Provinsi and its kabupaten/kota offices, for tests and bench/."""

from __future__ import annotations

from bot.domain.organisation import OfficeSpec, OrganisationSpec, PersonSpec, UnitSpec
from bot.domain.roles import Role

PARENT_CODE = "kpu-provinsi-uji"


def child_code(n: int) -> str:
    """Return the code of the ``n``-th kabupaten/kota (1-based)."""
    return f"kpu-kab-uji-{n:02d}"


def _nip(office: int, person: int) -> str:
    return f"1990{office:04d}2020{person:04d}1"


def parent_spec() -> OrganisationSpec:
    """Return the KPU Provinsi: a Sekretaris, a pimpinan, a rendatin and a provinsi recipient."""
    people = (
        PersonSpec(
            nip=_nip(0, 1),
            name="Sekretaris Provinsi",
            jabatan="Sekretaris",
            roles=(Role.SEKRETARIS,),
        ),
        PersonSpec(nip=_nip(0, 2), name="Ketua Provinsi", jabatan="Ketua", roles=(Role.PIMPINAN,)),
        PersonSpec(
            nip=_nip(0, 3),
            name="Rendatin Provinsi",
            jabatan="Staf",
            unit="U01",
            roles=(Role.STAF, Role.RENDATIN),
        ),
        PersonSpec(
            nip=_nip(0, 4),
            name="Penerima Provinsi",
            jabatan="Kasubbag Umum",
            roles=(Role.PROVINSI,),
        ),
    )
    return OrganisationSpec(
        office=OfficeSpec(
            code=PARENT_CODE,
            name="KPU Provinsi Uji",
            city="Uji",
            address="Jl. Provinsi",
            region_code="99",
            parent_office="KPU RI",
        ),
        units=(UnitSpec(code="U01", name="Bagian Perencanaan", number=1),),
        people=people,
    )


def child_spec(n: int, *, units: int = 2, staff_per_unit: int = 1) -> OrganisationSpec:
    """Return the ``n``-th kabupaten/kota naming the province as its induk.

    It has a Sekretaris, a Kasubbag per unit (the first one also rendatin and team lead) and
    ``staff_per_unit`` staf per unit; no provinsi recipient of its own.
    """
    people = [
        PersonSpec(
            nip=_nip(n, 1),
            name=f"Sekretaris Kab {n}",
            jabatan="Sekretaris",
            roles=(Role.SEKRETARIS,),
        ),
    ]
    for u in range(1, units + 1):
        roles = (Role.KASUBBAG, Role.RENDATIN) if u == 1 else (Role.KASUBBAG,)
        people.append(
            PersonSpec(
                nip=_nip(n, 10 * u),
                name=f"Kasubbag {u} Kab {n}",
                jabatan="Kepala Sub Bagian",
                unit=f"U{u:02d}",
                roles=roles,
            )
        )
        for s in range(1, staff_per_unit + 1):
            people.append(
                PersonSpec(
                    nip=_nip(n, 10 * u + s),
                    name=f"Staf {u}.{s} Kab {n}",
                    jabatan="Staf",
                    unit=f"U{u:02d}",
                    roles=(Role.STAF,),
                )
            )
    return OrganisationSpec(
        office=OfficeSpec(
            code=child_code(n),
            name=f"KPU Kabupaten Uji {n}",
            city=f"Uji {n}",
            address=f"Jl. Kabupaten {n}",
            region_code=f"99{n:02d}",
            parent_office="KPU Provinsi Uji",
            induk=PARENT_CODE,
        ),
        units=tuple(
            UnitSpec(code=f"U{u:02d}", name=f"Sub Bagian {u}", number=u)
            for u in range(1, units + 1)
        ),
        people=tuple(people),
    )


def province(children: int, **child: int) -> list[OrganisationSpec]:
    """Return the parent and ``children`` kabupaten/kota, children first (as a folder might)."""
    return [*(child_spec(n, **child) for n in range(1, children + 1)), parent_spec()]
