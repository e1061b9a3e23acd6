"""Test data for reminders: the example office with its 2026 PK, an open cycle, and a clock.

Rows are written directly (no Nota Dinas rendering), so a simulated month of sweeps stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import col, select

from bot.domain.organisation import OrganisationSpec
from bot.services.perjanjian import import_perjanjian_kinerja
from storage.db import Database
from storage.models import Cycle, CycleIndicator, Indicator, Person, StoredFile, Unit
from storage.queries import office_by_code

WIB = ZoneInfo("Asia/Jakarta")
OFFICE = "kpu-kota-bengkulu"

# The example office's people by first name, as tests call them.
NAMES = {
    "hendra": "197805122005021001",  # sekretaris
    "rina": "198203142009012003",  # kasubbag KUL
    "dedi": "199001052015031002",  # staf KUL
    "agus": "198407222010011004",  # kasubbag TEKNIS
    "siti": "199205172019032011",  # staf TEKNIS
    "yulia": "198011302006042002",  # kasubbag RENDATIN, rendatin (team lead)
    "fajar": "199309092020121005",  # staf RENDATIN, rendatin, admin
    "nurhayati": "198506182011012006",  # kasubbag HUKUM
    "bima": "199407252022031007",  # staf HUKUM
}


def wib(day: date, hour: int = 0, minute: int = 0) -> datetime:
    """Return ``day`` at ``hour:minute`` WIB as an aware UTC instant (what the clock gives)."""
    return datetime.combine(day, time(hour, minute), tzinfo=WIB).astimezone(UTC)


@dataclass
class Clock:
    """A clock the test moves by hand."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


def office_id(db: Database) -> int:
    with db.session() as session:
        office = office_by_code(session, code=OFFICE)
        assert office is not None and office.id is not None
        return office.id


def import_pk(db: Database, spec: OrganisationSpec) -> None:
    """Import the example's 2026 Perjanjian Kinerja (13 indicators over 4 units)."""
    for year in spec.perjanjian_kinerja:
        import_perjanjian_kinerja(
            db=db,
            office_id=office_id(db),
            pk=year.to_domain(),
            now=wib(date(2026, 1, 5), 8),
            actor="test",
        )


def register_everyone(db: Database) -> dict[str, int]:
    """Bind a Telegram account to each named person; return person ids by first name."""
    ids: dict[str, int] = {}
    with db.session() as session:
        for index, (name, nip) in enumerate(NAMES.items()):
            person = session.exec(select(Person).where(Person.nip == nip)).one()
            person.telegram_user_id = 7000 + index
            person.registered_at = wib(date(2026, 1, 5), 8)
            assert person.id is not None
            ids[name] = person.id
        session.commit()
    return ids


def chat_of(name: str) -> int:
    """Return the Telegram chat id ``register_everyone`` gave the person."""
    return 7000 + list(NAMES).index(name)


def open_cycle(db: Database, *, deadline: date, sent_at: datetime, period: str = "tahunan") -> int:
    """Open the 2026 cycle of ``period`` (annual unless told) with one Rencana Aksi line per
    indicator; return its id."""
    with db.session() as session:
        the_office = office_id(db)
        creator = session.exec(select(Person).where(Person.nip == NAMES["fajar"])).one()
        assert creator.id is not None
        cycle = Cycle(
            office_id=the_office,
            year=2026,
            period=period,
            status="open",
            deadline=deadline,
            created_by_person_id=creator.id,
            created_at=sent_at,
            sent_at=sent_at,
        )
        session.add(cycle)
        session.flush()
        assert cycle.id is not None
        for indicator in session.exec(select(Indicator).where(Indicator.year == 2026)):
            assert indicator.id is not None
            session.add(
                CycleIndicator(
                    cycle_id=cycle.id,
                    indicator_id=indicator.id,
                    unit_id=indicator.unit_id,
                    responsible="Kasubbag",
                    deadline=deadline,
                )
            )
        session.commit()
        return cycle.id


def set_status(db: Database, *, unit: str, status: str, codes: tuple[str, ...] = ()) -> None:
    """Set the lines of ``unit`` (only ``codes`` when given) to ``status``."""
    with db.session() as session:
        unit_row = session.exec(select(Unit).where(Unit.code == unit)).one()
        ids = [
            indicator.id
            for indicator in session.exec(
                select(Indicator).where(Indicator.unit_id == unit_row.id, Indicator.year == 2026)
            )
            if not codes or indicator.code in codes
        ]
        session.execute(
            update(CycleIndicator)
            .where(col(CycleIndicator.indicator_id).in_(ids))
            .values(status=status, current_version=1)
        )
        session.commit()


def stored_file(db: Database) -> int:
    """Add a stored-file row for a draft to point at; return its id."""
    with db.session() as session:
        row = StoredFile(
            sha256="0" * 64,
            size=1,
            mime_type="application/octet-stream",
            path="x",
            created_at=wib(date(2026, 1, 5)),
        )
        session.add(row)
        session.commit()
        assert row.id is not None
        return row.id
