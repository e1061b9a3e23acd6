"""Requests make as many SQL statements for a small office as for a large one.

Each request is run against two offices that differ only in size (units, indicators per
unit, staf per unit), and the statements sent to the database are counted: a count that
grows with the office is a query per row, which a large office pays for on every tap.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.domain.organisation import PersonSpec
from bot.domain.periods import Period
from bot.domain.roles import Role
from bot.services import entry, pantau, reminder_sweep, status
from bot.services.cycles import draft_cycle, send_cycle
from bot.services.organisation import import_organisation
from bot.services.people import PersonView, find_by_telegram_id
from bot.services.perjanjian import import_perjanjian_kinerja
from storage.db import Database
from storage.files import FileStore
from storage.models import Person
from tests.conftest import MigratedTemplates
from tests.office_data import RENDATIN, office_spec, perjanjian_kinerja
from tests.province_data import import_province, parent_person, start_cycles
from tests.statements import counting

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 09:00 WIB
TODAY = NOW.astimezone(WIB).date()
DEADLINE = date(2026, 12, 4)
DEADLINE_MORNING = datetime(2026, 12, 4, 2, 1, tzinfo=UTC)  # Friday 09:01 WIB
SMALL = (2, 3, 2)  # units, indicators per unit, staf per unit
LARGE = (6, 9, 4)


@dataclass
class Office:
    db: Database
    rendatin: PersonView
    staf: PersonView
    cycle_id: int
    first_unit_id: int


def _people(units: int, staf: int) -> tuple[PersonSpec, ...]:
    people = [RENDATIN]
    for u in range(1, units + 1):
        people.append(
            PersonSpec(
                nip=f"1980010120100{u:03d}00",
                name=f"Kasubbag {u}",
                jabatan=f"Kepala Sub Bagian {u}",
                unit=f"U{u:02d}",
                roles=(Role.KASUBBAG,),
            )
        )
        people.extend(
            PersonSpec(
                nip=f"1990010120200{u:03d}{s:02d}",
                name=f"Staf {u}.{s}",
                jabatan="Staf",
                unit=f"U{u:02d}",
                roles=(Role.STAF,),
            )
            for s in range(1, staf + 1)
        )
    people.append(
        PersonSpec(
            nip="197001012000011001",
            name="Sekretaris",
            jabatan="Sekretaris",
            unit=None,
            roles=(Role.SEKRETARIS,),
        )
    )
    return tuple(people)


def _office(db: Database, units: int, per_unit: int, staf: int, tmp: Any) -> Office:
    import_organisation(db=db, spec=office_spec(units, people=_people(units, staf)), now=NOW)
    pk = perjanjian_kinerja(2026, units=units, per_unit=per_unit)
    import_perjanjian_kinerja(db=db, office_id=1, pk=pk, now=NOW, actor="test")
    # Everyone registered: they all receive the Nota Dinas and the reminders.
    with db.session() as session:
        for person in session.exec(select(Person)):
            assert person.id is not None
            person.telegram_user_id = 700_000_000 + person.id
            person.registered_at = NOW
            session.add(person)
        session.commit()
    rendatin = find_by_telegram_id(db=db, telegram_user_id=700_000_001)
    staf = find_by_telegram_id(db=db, telegram_user_id=700_000_003)
    assert rendatin is not None and staf is not None and staf.unit_code == "U01"
    draft = draft_cycle(
        db=db,
        actor=rendatin,
        year=2026,
        period=Period.TAHUNAN,
        deadline=DEADLINE,
        now=NOW,
        tz=WIB,
    )
    return Office(db, rendatin, staf, draft.cycle_id, first_unit_id=1)


Request = Callable[[Office, FileStore], object]


def _kirim(office: Office, files: FileStore) -> object:
    return send_cycle(
        db=office.db,
        files=files,
        actor=office.rendatin,
        cycle_id=office.cycle_id,
        now=NOW,
        tz=WIB,
        bot_username="lapkin_test_bot",
        pdf_copies=False,
    )


def _status(office: Office, _files: FileStore) -> object:
    return status.overview(db=office.db, actor=office.rendatin, today=TODAY)


def _unit_page(office: Office, _files: FileStore) -> object:
    return status.unit_detail(
        db=office.db,
        actor=office.rendatin,
        cycle_id=office.cycle_id,
        unit_id=office.first_unit_id,
        page=0,
        today=TODAY,
    )


def _isi(office: Office, _files: FileStore) -> object:
    return entry.entry_menu(db=office.db, actor=office.staf)


def _sweep(office: Office, _files: FileStore) -> object:
    # The deadline's morning: every unit owes its data and is reminded.
    queued = reminder_sweep.sweep(db=office.db, now=DEADLINE_MORNING, tz=WIB)
    assert queued > 0
    return queued


# Each request, and the requests that must run before it (not counted).
REQUESTS: dict[str, tuple[Request, tuple[Request, ...]]] = {
    "kirim": (_kirim, ()),
    "status": (_status, (_kirim,)),
    "unit page": (_unit_page, (_kirim,)),
    "isi": (_isi, (_kirim,)),
    "reminder sweep": (_sweep, (_kirim,)),
}


def _count(db: Database, tmp_path: Any, size: tuple[int, int, int], name: str) -> list[str]:
    request, setup = REQUESTS[name]
    office = _office(db, *size, tmp_path)
    files = FileStore(tmp_path / f"files-{size[0]}")
    for step in setup:
        step(office, files)
    with counting(db) as statements:
        request(office, files)
    return statements


@pytest.mark.parametrize("name", list(REQUESTS))
def test_statements_do_not_grow_with_the_office(
    name: str, tmp_path: Path, migrated_templates: MigratedTemplates
) -> None:
    counts = []
    for size in (SMALL, LARGE):
        path = tmp_path / f"office-{size[0]}.sqlite3"
        migrated_templates.sqlite_copy(path)
        db = Database(f"sqlite:///{path}")
        try:
            counts.append(len(_count(db, tmp_path, size, name)))
        finally:
            db.dispose()
    assert counts[0] == counts[1], f"{name}: {counts[0]} statements small, {counts[1]} large"


def _province_view_statements(db: Database, tmp_path: Path, children: int, per_unit: int) -> int:
    import_province(db, children=children, per_unit=per_unit, now=NOW)
    start_cycles(
        db,
        FileStore(tmp_path / f"province-{children}"),
        children=children,
        now=NOW,
        tz=WIB,
        deadline=DEADLINE,
    )
    viewer = parent_person(db)
    with counting(db) as statements:
        report = pantau.pantau(db=db, actor=viewer, year=2026, now=NOW, tz=WIB)
    assert report.text.count("pengumpulan data") == children
    return len(statements)


def test_the_provincial_view_does_not_grow_with_offices_or_indicators(
    tmp_path: Path, migrated_templates: MigratedTemplates
) -> None:
    counts = []
    for children, per_unit in ((2, 3), (5, 9)):
        path = tmp_path / f"province-{children}.sqlite3"
        migrated_templates.sqlite_copy(path)
        db = Database(f"sqlite:///{path}")
        try:
            counts.append(_province_view_statements(db, tmp_path, children, per_unit))
        finally:
            db.dispose()
    assert counts[0] == counts[1], f"/pantau: {counts[0]} statements small, {counts[1]} large"
