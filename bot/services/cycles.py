"""SOP step 1: start a data-collection cycle and send the Nota Dinas to every unit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from bot.domain.cycles import LIVE, CycleEvent, CycleStatus, moves_from, next_cycle_status
from bot.domain.dates import parse_date
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.domain.pending import CycleDeadline
from bot.domain.periods import Period
from bot.domain.roles import Role
from bot.messages import cycles as messages
from bot.messages.common import UNEXPECTED_TEXT
from bot.services.audit import record_event
from bot.services.common import NOT_RENDATIN, load_office, office_calendar, require_role
from bot.services.nota_dinas import indicators_by_unit, render, unit_counts, unnumbered_content
from bot.services.nota_dinas_approval import AwaitingSigner, ask_signer, signer_to_ask
from bot.services.nota_dinas_sending import SentCycle, open_cycle
from bot.services.outbox import enqueue_edits
from bot.services.pending import read_pending, wait_for
from bot.services.people import PersonView
from storage.db import Database
from storage.files import FileStore
from storage.models import Cycle, Person, StoredFile

WORKING_DAYS_TO_ANSWER = 7  # the SOP's time standard for step 2


@dataclass(frozen=True)
class CycleDraft:
    """A cycle waiting for rendatin's "Kirim", with the Nota Dinas to look at."""

    cycle_id: int
    year: int
    period: Period
    deadline: date
    docx: bytes
    filename: str
    units: list[tuple[str, int]]  # unit name, number of indicators


def suggested_deadline(*, db: Database, office_id: int, today: date) -> date:
    """Return the SOP's default answer time: 7 working days after today."""
    with db.session() as session:
        office = load_office(session, office_id)
        calendar = office_calendar(office, years=[today.year, today.year + 1])
        return calendar.add_working_days(today, WORKING_DAYS_TO_ANSWER)


def ask_deadline(
    *, db: Database, actor: PersonView, year: int, period: Period, now: datetime, tz: ZoneInfo
) -> date:
    """Remember that rendatin is choosing a deadline for ``period``; return the SOP's suggestion."""
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    today = now.astimezone(tz).date()
    with db.session() as session:
        wait_for(
            session,
            person_id=actor.id,
            payload=CycleDeadline(year=year, period=period.value),
            now=now,
        )
        session.commit()
    return suggested_deadline(db=db, office_id=actor.office_id, today=today)


def typed_deadline(*, db: Database, actor: PersonView, text: str) -> tuple[int, Period, date]:
    """Read the deadline rendatin typed while /siklus waits for one: (year, period, date)."""
    with db.session() as session:
        found = read_pending(session, person_id=actor.id, expected=CycleDeadline)
    if found is None:
        raise NotFound(UNEXPECTED_TEXT)
    asked = found[1]
    return asked.year, Period(asked.period), parse_date(text)


def draft_cycle(
    *,
    db: Database,
    actor: PersonView,
    year: int,
    period: Period,
    deadline: date,
    now: datetime,
    tz: ZoneInfo,
    template: Path | None = None,
) -> CycleDraft:
    """Prepare a cycle and its Nota Dinas for review; nothing is sent yet."""
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    today = now.astimezone(tz).date()
    if deadline <= today:
        raise InvalidInput(messages.DEADLINE_NOT_AFTER_TODAY)
    with db.session() as session:
        office = load_office(session, actor.office_id)
        assert office.id is not None
        grouped = indicators_by_unit(session, office_id=office.id, year=year)
        if not grouped:
            raise NotFound(messages.no_perjanjian(year))
        # A draft nobody sent does not block a new one; an open cycle does.
        live = session.exec(
            select(Cycle).where(
                Cycle.office_id == office.id,
                Cycle.year == year,
                Cycle.period == period.value,
                col(Cycle.status).in_(LIVE),
            )
        ).all()
        for cycle in live:
            awaited = CycleStatus(cycle.status) is CycleStatus.AWAITING_SIGNER
            cycle.status = next_cycle_status(
                cycle.status,
                CycleEvent.REPLACE,
                refusal=messages.already_running(period.named(year)),
            )
            if awaited:  # a request still before the signer is withdrawn: her copy says so
                enqueue_edits(session, cycle.approval_message_ids, messages.WITHDRAWN_EDIT, now=now)
        session.flush()
        cycle = Cycle(
            office_id=office.id,
            year=year,
            period=period.value,
            deadline=deadline,
            created_by_person_id=actor.id,
            created_at=now,
        )
        session.add(cycle)
        found = read_pending(session, person_id=actor.id, expected=CycleDeadline)
        if found is not None:
            session.delete(found[0])
        try:
            session.flush()
        except IntegrityError:
            raise NotAllowed(messages.ALREADY_PREPARED) from None
        person = session.get(Person, actor.id)
        assert person is not None and cycle.id is not None
        content = unnumbered_content(
            session,
            office=office,
            actor=person,
            period=period,
            year=year,
            deadline=deadline,
            today=today,
        )
        record_event(
            session,
            now=now,
            actor=actor.name,
            actor_person_id=actor.id,
            action="cycle.drafted",
            object_type="cycle",
            object_id=cycle.id,
            office_id=office.id,
            details={"year": year, "period": period.value, "deadline": deadline.isoformat()},
        )
        session.commit()
        units = unit_counts(session, grouped)
    return CycleDraft(
        cycle_id=cycle.id,
        year=year,
        period=period,
        deadline=deadline,
        docx=render(content, template),
        filename=messages.preview_filename(period_label=period.named(year)),
        units=units,
    )


def cancel_draft(*, db: Database, actor: PersonView, cycle_id: int, now: datetime) -> None:
    """Discard a cycle that was not sent."""
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    with db.session() as session:
        changed = session.execute(
            update(Cycle)
            .where(col(Cycle.id) == cycle_id, col(Cycle.status).in_(moves_from(CycleEvent.CANCEL)))
            .where(col(Cycle.office_id) == actor.office_id)
            .values(status=CycleStatus.CANCELLED)
        )
        if changed.rowcount != 1:  # type: ignore[attr-defined]
            raise NotAllowed(messages.PREVIEW_GONE)
        record_event(
            session,
            now=now,
            actor=actor.name,
            actor_person_id=actor.id,
            action="cycle.cancelled",
            object_type="cycle",
            object_id=cycle_id,
            office_id=actor.office_id,
        )
        session.commit()


def send_cycle(
    *,
    db: Database,
    files: FileStore,
    actor: PersonView,
    cycle_id: int,
    now: datetime,
    tz: ZoneInfo,
    bot_username: str,
    template: Path | None = None,
    pdf_copies: bool = True,
) -> SentCycle | AwaitingSigner:
    """Kirim: the signer's sends the Nota Dinas at once (numbered, each unit's template, the
    Rencana Aksi); anyone else's asks the signer to approve it first."""
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    today = now.astimezone(tz).date()
    with db.session() as session:
        office = load_office(session, actor.office_id)
        signer = signer_to_ask(session, office_id=actor.office_id, actor=actor)
        result: SentCycle | AwaitingSigner
        if signer is not None:
            result = ask_signer(
                session,
                files,
                cycle_id=cycle_id,
                office=office,
                signer=signer,
                actor=actor,
                today=today,
                now=now,
                template=template,
            )
        else:
            result = open_cycle(
                session,
                files,
                cycle_id=cycle_id,
                event=CycleEvent.SEND,
                refusal=messages.ALREADY_SENT_OR_CANCELLED,
                actor=actor,
                today=today,
                now=now,
                bot_username=bot_username,
                template=template,
                pdf_copies=pdf_copies,
            )
        session.commit()
        return result


def rencana_aksi_file(*, db: Database, actor: PersonView, cycle_id: int) -> tuple[str, str]:
    """Return the path and a name of the cycle's Rencana Aksi workbook."""
    require_role(actor, Role.RENDATIN, Role.PIMPINAN, Role.SEKRETARIS, message=NOT_RENDATIN)
    with db.session() as session:
        cycle = session.get(Cycle, cycle_id)
        if (
            cycle is None
            or cycle.office_id != actor.office_id
            or cycle.rencana_aksi_file_id is None
        ):
            raise NotFound(messages.RENCANA_AKSI_MISSING)
        stored = session.get(StoredFile, cycle.rencana_aksi_file_id)
        assert stored is not None
        period_label = Period(cycle.period).named(cycle.year)
        return stored.path, messages.rencana_aksi_filename(period_label=period_label)
