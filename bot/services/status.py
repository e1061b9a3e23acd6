"""/status: how far each unit is in every open cycle, and the detail of one unit."""

from __future__ import annotations

from datetime import date

from sqlmodel import col, select

from bot.domain.collection import LineStatus
from bot.domain.cycles import CycleStatus
from bot.domain.errors import NotFound
from bot.domain.periods import Period
from bot.domain.roles import Role
from bot.messages import Reply
from bot.messages import status as messages
from bot.messages.status import CycleProgress, LineRow, UnitProgress
from bot.services.common import require_role
from bot.services.lines import is_overdue
from bot.services.people import PersonView
from storage.db import Database
from storage.models import Cycle, CycleIndicator, Indicator, Unit
from storage.queries import units_of_office

PAGE_SIZE = 10
VIEWERS = (Role.RENDATIN, Role.PIMPINAN, Role.SEKRETARIS)


def _progress(lines: list[CycleIndicator], unit: Unit, today: date) -> UnitProgress:
    assert unit.id is not None
    return UnitProgress(
        unit_id=unit.id,
        unit_name=unit.name,
        total=len(lines),
        answered=sum(1 for line in lines if line.current_version > 0),
        accepted=sum(1 for line in lines if line.status == LineStatus.ACCEPTED),
        flagged=sum(1 for line in lines if line.status == LineStatus.FLAGGED),
        overdue=sum(1 for line in lines if is_overdue(line, today)),
        unit_code=unit.code,
    )


def overview(*, db: Database, actor: PersonView, today: date) -> Reply:
    """Summarise every open cycle per unit, with a button per unit for the detail."""
    require_role(actor, *VIEWERS, message=messages.NOT_VIEWER)
    with db.session() as session:
        cycles = session.exec(
            select(Cycle)
            .where(Cycle.office_id == actor.office_id, Cycle.status == CycleStatus.OPEN)
            .order_by(col(Cycle.id))
        ).all()
        if not cycles:
            return messages.no_cycles()
        units_by_id = {
            unit.id: unit for unit in units_of_office(session, office_id=actor.office_id)
        }
        shown: list[CycleProgress] = []
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
            progress = []
            for unit in units:
                assert unit is not None and unit.id is not None
                progress.append(_progress(by_unit[unit.id], unit, today))
            shown.append(
                CycleProgress(
                    cycle_id=cycle.id,
                    period_label=Period(cycle.period).named(cycle.year),
                    deadline=cycle.deadline,
                    units=progress,
                    answered=sum(1 for line in lines if line.current_version > 0),
                    total=sum(len(v) for v in by_unit.values()),
                    has_rencana_aksi=cycle.rencana_aksi_file_id is not None,
                )
            )
        return messages.overview(shown)


def unit_detail(
    *, db: Database, actor: PersonView, cycle_id: int, unit_id: int, page: int, today: date
) -> Reply:
    """List one unit's indicators in a cycle, a page at a time, each with a button to look."""
    require_role(actor, *VIEWERS, message=messages.NOT_VIEWER)
    with db.session() as session:
        cycle = session.get(Cycle, cycle_id)
        unit = session.get(Unit, unit_id)
        if cycle is None or unit is None or cycle.office_id != actor.office_id:
            raise NotFound(messages.NOT_FOUND)
        rows = session.exec(
            select(CycleIndicator, Indicator)
            .join(Indicator, col(Indicator.id) == col(CycleIndicator.indicator_id))
            .where(CycleIndicator.cycle_id == cycle_id, CycleIndicator.unit_id == unit_id)
            .order_by(col(Indicator.code))
        ).all()
        pages = max(1, -(-len(rows) // PAGE_SIZE))
        page = min(max(page, 0), pages - 1)
        shown = []
        for line, indicator in rows[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]:
            assert line.id is not None
            shown.append(
                LineRow(
                    line_id=line.id,
                    code=indicator.code,
                    name=indicator.name,
                    status=line.status,
                    version=line.current_version,
                    overdue=is_overdue(line, today),
                )
            )
        return messages.unit_page(
            unit_name=unit.name,
            period_label=Period(cycle.period).named(cycle.year),
            cycle_id=cycle_id,
            unit_id=unit_id,
            page=page,
            pages=pages,
            rows=shown,
        )
