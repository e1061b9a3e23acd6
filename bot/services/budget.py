"""The year's budget (pagu and realisasi per program/kegiatan) for LKjIP chapter III.B."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, delete, select

from bot import documents
from bot.documents import WorkbookError
from bot.domain.budget import (
    BudgetLine,
    budget_totals,
    budget_warnings,
    unknown_sasaran,
    unknown_sasaran_message,
)
from bot.domain.errors import InvalidInput
from bot.domain.numbers import format_percent, format_rupiah
from bot.domain.roles import Role
from bot.messages import budget as messages
from bot.services.audit import record_event
from bot.services.common import NOT_RENDATIN, require_role
from bot.services.lines import year_lock
from bot.services.people import PersonView
from storage.db import Database
from storage.models import BudgetItem, Indicator, Sasaran


def import_budget(
    *,
    db: Database,
    office_id: int,
    year: int,
    lines: Sequence[BudgetLine],
    now: datetime,
    actor: str,
    actor_person_id: int | None = None,
) -> str:
    """Replace the year's budget with ``lines``; return a summary (unchanged when identical).

    A line naming a sasaran that the year's stored Perjanjian Kinerja does not have is refused
    (InvalidInput, every such line named); without a stored PK the codes are kept, and the
    report says which it could not place.
    """
    with db.session() as session:
        current = session.exec(
            select(BudgetItem)
            .where(BudgetItem.office_id == office_id, BudgetItem.year == year)
            .order_by(col(BudgetItem.position))
        ).all()
        existing = [
            (i.program, i.kegiatan, i.pagu, i.realisasi, tuple(i.sasaran_codes)) for i in current
        ]
        wanted = [
            (line.program, line.kegiatan, line.pagu, line.realisasi, line.sasaran_codes)
            for line in lines
        ]
        if existing == wanted:
            return messages.budget_unchanged(year)
        locked = year_lock(session, office_id=office_id, year=year)
        if locked is not None:
            return messages.budget_locked(year, locked)
        checked = _check_sasaran(session, office_id=office_id, year=year, lines=lines)
        # The budget is a table read as a whole: a new file replaces the old one.
        session.execute(
            delete(BudgetItem).where(
                col(BudgetItem.office_id) == office_id, col(BudgetItem.year) == year
            )
        )
        for position, line in enumerate(lines):
            session.add(
                BudgetItem(
                    office_id=office_id,
                    year=year,
                    position=position,
                    program=line.program,
                    kegiatan=line.kegiatan,
                    pagu=line.pagu,
                    realisasi=line.realisasi,
                    sasaran_codes=list(line.sasaran_codes),
                )
            )
        pagu, realisasi, absorption = budget_totals(lines)
        record_event(
            session,
            now=now,
            actor=actor,
            actor_person_id=actor_person_id,
            action="budget.imported",
            object_type="budget",
            object_id=year,
            office_id=office_id,
            details={"lines": len(lines), "pagu": str(pagu), "realisasi": str(realisasi)},
        )
        session.commit()
        return messages.budget_imported(
            year=year,
            lines=len(lines),
            pagu=format_rupiah(pagu),
            realisasi=format_rupiah(realisasi),
            absorbed=format_percent(absorption) if absorption is not None else None,
            warnings=budget_warnings(lines)
            + ([] if checked else [messages.sasaran_unchecked(year)]),
            mapped=sum(1 for line in lines if line.sasaran_codes),
        )


def year_sasaran(session: Session, *, office_id: int, year: int) -> list[str]:
    """Return the sasaran codes of the year's stored Perjanjian Kinerja ([] when none is)."""
    # A sasaran whose indicators all left the PK stays as a row, but is no longer one of its.
    rows = session.exec(
        select(Sasaran.code)
        .join(Indicator, col(Indicator.sasaran_id) == col(Sasaran.id))
        .where(Sasaran.office_id == office_id, Sasaran.year == year, col(Indicator.active))
        .order_by(col(Sasaran.id))
    ).all()
    return list(dict.fromkeys(rows))


def _check_sasaran(
    session: Session, *, office_id: int, year: int, lines: Sequence[BudgetLine]
) -> bool:
    """Refuse codes the year's stored PK lacks; return False when there was nothing to check
    against (codes named, but no PK stored yet)."""
    if not any(line.sasaran_codes for line in lines):
        return True
    known = year_sasaran(session, office_id=office_id, year=year)
    if not known:
        return False  # no PK yet: the LKjIP says which lines it cannot place
    problems = [
        f"{line.kegiatan} ({line.program}): {unknown_sasaran_message(unknown, known, year)}."
        for line in lines
        if (unknown := unknown_sasaran(line.sasaran_codes, known))
    ]
    if problems:
        raise InvalidInput(messages.budget_not_imported("\n".join(problems)))
    return True


def import_budget_workbook(*, db: Database, actor: PersonView, data: bytes, now: datetime) -> str:
    """Import a budget workbook a rendatin member sent in chat, for the report in progress."""
    from bot.services.analysis import latest_cycle

    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    with db.session() as session:
        year = latest_cycle(session, office_id=actor.office_id).year
        known = year_sasaran(session, office_id=actor.office_id, year=year)
    try:
        lines = documents.parse_budget_workbook(data, year=year, sasaran=known or None)
    except WorkbookError as error:
        raise InvalidInput(messages.budget_not_imported(error.report())) from None
    return import_budget(
        db=db,
        office_id=actor.office_id,
        year=year,
        lines=lines,
        now=now,
        actor=actor.name,
        actor_person_id=actor.id,
    )


def looks_like_budget_workbook(data: bytes) -> bool:
    """Tell whether an uploaded workbook is the budget template (a sheet named Anggaran)."""
    try:
        workbook = documents.open_workbook(data)
    except WorkbookError:
        return False
    return "Anggaran" in workbook.sheetnames
