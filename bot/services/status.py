"""/status: how far each unit is in every open cycle, and the detail of one unit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import col, select

from bot import callbacks
from bot.domain.dates import format_short_day
from bot.domain.errors import NotFound
from bot.domain.periods import Period
from bot.domain.roles import Role
from bot.messages import Button, Reply
from bot.services.common import require_role
from bot.services.lines import STATUS_ICONS, is_overdue
from bot.services.people import PersonView
from storage.db import Database
from storage.models import Cycle, CycleIndicator, Indicator, Unit
from storage.queries import units_of_office

PAGE_SIZE = 10
VIEWERS = (Role.RENDATIN, Role.PIMPINAN, Role.SEKRETARIS)
NOT_VIEWER = "Maaf, /status hanya untuk Tim Rendatin, Pimpinan dan Sekretaris."


@dataclass(frozen=True)
class UnitProgress:
    """One unit's counts in one cycle."""

    unit_id: int
    unit_name: str
    total: int
    answered: int  # submitted, flagged or accepted at least once
    accepted: int
    flagged: int
    overdue: int


def _progress(lines: list[CycleIndicator], unit: Unit, today: date) -> UnitProgress:
    assert unit.id is not None
    return UnitProgress(
        unit_id=unit.id,
        unit_name=unit.name,
        total=len(lines),
        answered=sum(1 for line in lines if line.current_version > 0),
        accepted=sum(1 for line in lines if line.status == "accepted"),
        flagged=sum(1 for line in lines if line.status == "flagged"),
        overdue=sum(1 for line in lines if is_overdue(line, today)),
    )


def overview(*, db: Database, actor: PersonView, today: date) -> Reply:
    """Summarise every open cycle per unit, with a button per unit for the detail."""
    require_role(actor, *VIEWERS, message=NOT_VIEWER)
    with db.session() as session:
        cycles = session.exec(
            select(Cycle)
            .where(Cycle.office_id == actor.office_id, Cycle.status == "open")
            .order_by(col(Cycle.id))
        ).all()
        if not cycles:
            return Reply("Belum ada pengumpulan data yang berjalan. Mulai dengan /siklus.")
        text: list[str] = []
        keyboard: list[list[Button]] = []
        units_by_id = {
            unit.id: unit for unit in units_of_office(session, office_id=actor.office_id)
        }
        for cycle in cycles:
            assert cycle.id is not None
            lines = session.exec(
                select(CycleIndicator).where(CycleIndicator.cycle_id == cycle.id)
            ).all()
            by_unit: dict[int, list[CycleIndicator]] = {}
            for line in lines:
                by_unit.setdefault(line.unit_id, []).append(line)
            units = sorted(
                (units_by_id.get(unit_id) for unit_id in by_unit),
                key=lambda u: u.number if u else 0,
            )
            text.append(
                f"📊 {Period(cycle.period).label} {cycle.year} · batas {format_short_day(cycle.deadline)}"
            )
            for unit in units:
                assert unit is not None and unit.id is not None
                progress = _progress(by_unit[unit.id], unit, today)
                extra = []
                if progress.flagged:
                    extra.append(f"⚠️ {progress.flagged} perlu perbaikan")
                if progress.overdue:
                    extra.append(f"⏰ {progress.overdue} terlambat")
                text.append(
                    f"• {unit.name}: {progress.answered}/{progress.total} terisi, "
                    f"{progress.accepted} diterima" + (f" · {', '.join(extra)}" if extra else "")
                )
                keyboard.append(
                    [
                        Button(
                            f"{unit.code}: {progress.answered}/{progress.total}",
                            data=callbacks.encode(
                                callbacks.STATUS, callbacks.StatusAction.UNIT, cycle.id, unit.id, 0
                            ),
                        )
                    ]
                )
            total = sum(len(v) for v in by_unit.values())
            answered = sum(1 for line in lines if line.current_version > 0)
            text.append(f"Jumlah: {answered}/{total} indikator terisi.\n")
            if cycle.rencana_aksi_file_id is not None:
                keyboard.append(
                    [
                        Button(
                            f"📥 Rencana Aksi {Period(cycle.period).label} {cycle.year}",
                            data=callbacks.encode(
                                callbacks.STATUS, callbacks.StatusAction.RENCANA_AKSI, cycle.id
                            ),
                        )
                    ]
                )
        return Reply("\n".join(text).rstrip(), keyboard)


def unit_detail(
    *, db: Database, actor: PersonView, cycle_id: int, unit_id: int, page: int, today: date
) -> Reply:
    """List one unit's indicators in a cycle, a page at a time, each with a button to look."""
    require_role(actor, *VIEWERS, message=NOT_VIEWER)
    with db.session() as session:
        cycle = session.get(Cycle, cycle_id)
        unit = session.get(Unit, unit_id)
        if cycle is None or unit is None or cycle.office_id != actor.office_id:
            raise NotFound("Maaf, data ini tidak ditemukan.")
        rows = session.exec(
            select(CycleIndicator, Indicator)
            .join(Indicator, col(Indicator.id) == col(CycleIndicator.indicator_id))
            .where(CycleIndicator.cycle_id == cycle_id, CycleIndicator.unit_id == unit_id)
            .order_by(col(Indicator.code))
        ).all()
        pages = max(1, -(-len(rows) // PAGE_SIZE))
        page = min(max(page, 0), pages - 1)
        shown = rows[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
        text = [
            f"📋 {unit.name} · {Period(cycle.period).label} {cycle.year}",
            f"Halaman {page + 1}/{pages}",
        ]
        keyboard: list[list[Button]] = []
        for line, indicator in shown:
            late = " ⏰" if is_overdue(line, today) else ""
            version = f" v{line.current_version}" if line.current_version else ""
            text.append(
                f"{STATUS_ICONS[line.status]} {indicator.code} — {indicator.name}{version}{late}"
            )
            # Every line gets a button: answered ones show their versions, unanswered ones
            # let rendatin mark them "tidak ada data".
            assert line.id is not None
            keyboard.append(
                [
                    Button(
                        f"🔎 {indicator.code}",
                        data=callbacks.encode(
                            callbacks.REVIEW, callbacks.ReviewAction.HISTORY, line.id
                        ),
                    )
                ]
            )
        navigation = []
        if page > 0:
            navigation.append(
                Button(
                    "◀️ Sebelumnya",
                    data=callbacks.encode(
                        callbacks.STATUS, callbacks.StatusAction.UNIT, cycle_id, unit_id, page - 1
                    ),
                )
            )
        navigation.append(
            Button(
                "↩️ Ringkasan",
                data=callbacks.encode(callbacks.STATUS, callbacks.StatusAction.OVERVIEW),
            )
        )
        if page < pages - 1:
            navigation.append(
                Button(
                    "Berikutnya ▶️",
                    data=callbacks.encode(
                        callbacks.STATUS, callbacks.StatusAction.UNIT, cycle_id, unit_id, page + 1
                    ),
                )
            )
        keyboard.append(navigation)
        return Reply("\n".join(text), keyboard)
