"""A synthetic province: a KPU Provinsi and its kabupaten/kota offices, for tests and bench/."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from bot.domain.organisation import OfficeSpec, OrganisationSpec, PersonSpec, UnitSpec
from bot.domain.periods import Period
from bot.domain.roles import Role
from bot.services.cycles import draft_cycle, send_cycle
from bot.services.organisation import import_organisations
from bot.services.people import PersonView, find_office, person_view
from bot.services.perjanjian import import_perjanjian_kinerja
from storage.db import Database
from storage.files import FileStore
from storage.models import Office, Person
from tests.office_data import perjanjian_kinerja

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


# Each person's Telegram account in these tests: this base plus their person id, so the
# provinsi person of each office has an account of its own.
ACCOUNT_BASE = 800_000_000


def import_province(
    db: Database,
    *,
    children: int,
    units: int = 2,
    staff_per_unit: int = 1,
    per_unit: int = 3,
    year: int = 2026,
    now: datetime,
) -> None:
    """Import the province, each child's PK of ``per_unit`` indicators per unit, and bind an
    account to everyone."""
    import_organisations(
        db=db, specs=province(children, units=units, staff_per_unit=staff_per_unit), now=now
    )
    for n in range(1, children + 1):
        office = find_office(db=db, office_code=child_code(n))
        pk = perjanjian_kinerja(year, units=units, per_unit=per_unit)
        import_perjanjian_kinerja(db=db, office_id=office.id, pk=pk, now=now, actor="test")
    with db.session() as session:
        for person in session.exec(select(Person)):
            person.telegram_user_id = ACCOUNT_BASE + (person.id or 0)
            person.registered_at = now
            session.add(person)
        session.commit()


def person(db: Database, *, office_code: str, nip: str) -> PersonView:
    """Return the view of the person with ``nip`` in ``office_code``."""
    with db.session() as session:
        found = session.exec(
            select(Person)
            .join(Office, col(Office.id) == col(Person.office_id))
            .where(Office.code == office_code, Person.nip == nip)
        ).one()
        return person_view(session, found)


def child_rendatin(db: Database, n: int) -> PersonView:
    """The rendatin (the first unit's Kasubbag) of the ``n``-th child."""
    return person(db, office_code=child_code(n), nip=_nip(n, 10))


def parent_person(db: Database, role: Role = Role.PROVINSI) -> PersonView:
    """The parent's person holding ``role`` (provinsi, sekretaris, pimpinan or rendatin)."""
    number = {Role.SEKRETARIS: 1, Role.PIMPINAN: 2, Role.RENDATIN: 3, Role.PROVINSI: 4}[role]
    return person(db, office_code=PARENT_CODE, nip=_nip(0, number))


def start_cycles(
    db: Database,
    files: FileStore,
    *,
    children: int,
    now: datetime,
    tz: ZoneInfo,
    deadline: date,
    year: int = 2026,
) -> None:
    """Start the annual cycle in every child: its rendatin drafts and sends the Nota Dinas."""
    for n in range(1, children + 1):
        rendatin = child_rendatin(db, n)
        draft = draft_cycle(
            db=db,
            actor=rendatin,
            year=year,
            period=Period.TAHUNAN,
            deadline=deadline,
            now=now,
            tz=tz,
        )
        send_cycle(
            db=db,
            files=files,
            actor=rendatin,
            cycle_id=draft.cycle_id,
            now=now,
            tz=tz,
            bot_username="lapkin_test_bot",
            pdf_copies=False,
        )
