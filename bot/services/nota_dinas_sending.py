"""Numbering and sending the Nota Dinas (SOP step 1): what Kirim does when its signer presses
it, and what her Setujui does for a Nota Dinas someone else prepared. One path, claimed
first, so a double tap sends nothing twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import update
from sqlmodel import Session, col

from bot import documents
from bot.domain.cycles import CycleEvent, CycleStatus, moves_from, next_cycle_status
from bot.domain.errors import NotAllowed
from bot.domain.files import XLSX_MIME
from bot.domain.roles import Role
from bot.messages import cycles as messages
from bot.services.audit import record_event
from bot.services.common import load_office, people_with_role, store_bytes, team_lead, unit_people
from bot.services.nota_dinas import indicators_by_unit, number_and_store
from bot.services.outbox import enqueue_rows, message_row
from bot.services.people import PersonView
from bot.services.unit_requests import groups_by_unit, open_lines, unit_requests
from storage.files import FileStore
from storage.models import Cycle, Person
from storage.queries import units_of_office


@dataclass(frozen=True)
class SentCycle:
    """What "Kirim" (or the signer's "Setujui") did."""

    cycle_id: int
    nota_dinas_number: str
    units: int
    recipients: int


def claim(
    session: Session,
    *,
    cycle_id: int,
    office_id: int,
    event: CycleEvent,
    refusal: str,
    **values: object,
) -> None:
    """Move the cycle by ``event`` in one conditional statement; another press (or a stale
    button) that finds it moved already is refused with ``refusal``."""
    target = next_cycle_status(moves_from(event)[0], event, refusal=refusal)
    claimed = session.execute(
        update(Cycle)
        .where(col(Cycle.id) == cycle_id, col(Cycle.status).in_(moves_from(event)))
        .where(col(Cycle.office_id) == office_id)
        .values(status=target, **values)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise NotAllowed(refusal)


def open_cycle(
    session: Session,
    files: FileStore,
    *,
    cycle_id: int,
    event: CycleEvent,
    refusal: str,
    actor: PersonView,
    today: date,
    now: datetime,
    bot_username: str,
    template: Path | None,
    pdf_copies: bool,
) -> SentCycle:
    """Open the cycle by ``event`` (the signer's Kirim or Setujui): number and send the Nota
    Dinas, each unit's template, and record the Rencana Aksi (the caller commits)."""
    # Claim the cycle first: a double tap sends exactly once.
    claim(
        session,
        cycle_id=cycle_id,
        office_id=actor.office_id,
        event=event,
        refusal=refusal,
        sent_at=now,
    )
    cycle = session.get(Cycle, cycle_id)
    assert cycle is not None and cycle.id is not None
    assert CycleStatus(cycle.status) is CycleStatus.OPEN
    office = load_office(session, cycle.office_id)
    assert office.id is not None
    person = session.get(Person, actor.id)
    assert person is not None
    letter = number_and_store(
        session,
        files,
        cycle=cycle,
        office=office,
        signer=team_lead(session, office_id=office.id) or person,
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
    return SentCycle(
        cycle_id=cycle.id,
        nota_dinas_number=letter.nomor,
        units=len(grouped),
        recipients=recipients,
    )
