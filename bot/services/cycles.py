"""SOP step 1: start a data-collection cycle and send the Nota Dinas to every unit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from bot import documents
from bot.domain.cycles import LIVE, CycleEvent, CycleStatus, moves_from, next_cycle_status
from bot.domain.dates import parse_date
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.domain.files import XLSX_MIME
from bot.domain.organisation import LetterKind
from bot.domain.pending import CycleDeadline
from bot.domain.periods import Period
from bot.domain.roles import Role
from bot.messages import cycles as messages
from bot.messages.common import UNEXPECTED_TEXT
from bot.services.audit import record_event
from bot.services.common import (
    NOT_RENDATIN,
    load_office,
    office_calendar,
    people_with_role,
    require_role,
    store_bytes,
    unit_people,
)
from bot.services.letter_numbers import placeholder_number
from bot.services.nota_dinas import (
    indicators_by_unit,
    nota_dinas_content,
    number_and_store,
    render,
)
from bot.services.outbox import enqueue_rows, message_row
from bot.services.pending import read_pending, wait_for
from bot.services.people import PersonView
from bot.services.unit_requests import groups_by_unit, open_lines, unit_requests
from storage.db import Database
from storage.files import FileStore
from storage.models import (
    Cycle,
    Person,
    StoredFile,
    Unit,
)
from storage.queries import unit_of, units_of_office

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


@dataclass(frozen=True)
class SentCycle:
    """What "Kirim" did."""

    cycle_id: int
    nota_dinas_number: str
    units: int
    recipients: int


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
            cycle.status = next_cycle_status(
                cycle.status,
                CycleEvent.REPLACE,
                refusal=messages.already_running(period.named(year)),
            )
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
        unit = unit_of(session, person)
        # The number is given when the letter is sent, so a discarded draft leaves no gap.
        placeholder = placeholder_number(
            office,
            kind=LetterKind.NOTA_DINAS,
            unit_number=unit.number if unit else 0,
            year=today.year,
        )
        content = nota_dinas_content(
            session,
            office=office,
            actor=person,
            period=period,
            year=year,
            deadline=deadline,
            nomor=placeholder,
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
        units = [
            (u.name, len(grouped[u.id]))
            for u in sorted(
                (session.get(Unit, unit_id) for unit_id in grouped),
                key=lambda u: u.number if u else 0,
            )
            if u is not None and u.id is not None
        ]
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
) -> SentCycle:
    """Number and send the Nota Dinas, each unit's template, and record the Rencana Aksi."""
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    today = now.astimezone(tz).date()
    with db.session() as session:
        # Claim the draft first: a double tap on "Kirim" sends exactly once.
        claimed = session.execute(
            update(Cycle)
            .where(col(Cycle.id) == cycle_id, col(Cycle.status).in_(moves_from(CycleEvent.SEND)))
            .where(col(Cycle.office_id) == actor.office_id)
            .values(status=CycleStatus.OPEN, sent_at=now)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            raise NotAllowed(messages.ALREADY_SENT_OR_CANCELLED)
        cycle = session.get(Cycle, cycle_id)
        assert cycle is not None and cycle.id is not None
        office = load_office(session, cycle.office_id)
        assert office.id is not None
        person = session.get(Person, actor.id)
        assert person is not None
        letter = number_and_store(
            session,
            files,
            cycle=cycle,
            office=office,
            signer=person,
            today=today,
            now=now,
            template=template,
            pdf_copies=pdf_copies,
        )
        # Everything per unit is read up front, so Kirim makes as many statements for twenty
        # units as for two.
        grouped = sorted(indicators_by_unit(session, office_id=office.id, year=cycle.year).items())
        units = {unit.id: unit for unit in units_of_office(session, office_id=office.id)}
        people = unit_people(session, office_id=office.id)
        rencana_rows, template_paths = open_lines(
            session,
            files,
            cycle=cycle,
            office=office,
            grouped=grouped,
            units=units,
            people=people,
            now=now,
        )
        queued, recipients = unit_requests(
            cycle=cycle,
            letter=letter,
            grouped=list(zip(grouped, template_paths, strict=True)),
            units=units,
            people=people,
            groups=groups_by_unit(session, office_id=office.id),
            bot_username=bot_username,
            now=now,
        )
        rencana = documents.build_rencana_aksi_workbook(
            title=messages.RENCANA_AKSI_TITLE,
            office_name=office.name,
            period_label=letter.period_label,
            rows=rencana_rows,
        )
        rencana_file = store_bytes(session, files, rencana, mime_type=XLSX_MIME, now=now)
        cycle.rencana_aksi_file_id = rencana_file.id
        sent = messages.cycle_sent(nomor=letter.nomor, units=len(grouped), recipients=recipients)
        for member in people_with_role(session, office_id=office.id, role=Role.RENDATIN):
            assert member.telegram_user_id is not None
            queued.append(
                message_row(
                    chat_id=member.telegram_user_id,
                    now=now,
                    person_id=member.id,
                    office_id=office.id,
                    document_path=rencana_file.path,
                    document_name=messages.rencana_aksi_filename(period_label=letter.period_label),
                    text=sent,
                )
            )
        enqueue_rows(session, queued)
        record_event(
            session,
            now=now,
            actor=actor.name,
            actor_person_id=actor.id,
            action="cycle.sent",
            object_type="cycle",
            object_id=cycle.id,
            office_id=office.id,
            details={
                "nomor": letter.nomor,
                "units": len(grouped),
                "recipients": recipients,
                "indicators": len(rencana_rows),
                "nota_dinas_sha256": letter.docx.sha256,
            },
        )
        session.commit()
        return SentCycle(
            cycle_id=cycle.id,
            nota_dinas_number=letter.nomor,
            units=len(grouped),
            recipients=recipients,
        )


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
