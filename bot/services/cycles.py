"""SOP step 1: start a data-collection cycle and send the Nota Dinas to every unit."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot import documents
from bot.documents import convert_to_pdf
from bot.domain.cycles import LIVE, CycleEvent, CycleStatus, moves_from, next_cycle_status
from bot.domain.dates import format_short_day
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.domain.files import DOCX_MIME, XLSX_MIME
from bot.domain.periods import Period
from bot.domain.roles import Role
from bot.messages import cycles as messages
from bot.services.audit import record_event
from bot.services.common import (
    NOT_RENDATIN,
    load_office,
    office_calendar,
    people_with_role,
    registered,
    require_role,
    responsible_text,
    sekretaris_of,
    store_bytes,
    store_many,
    team_lead,
    unit_heads,
    unit_people,
)
from bot.services.letter_numbers import next_letter_number, placeholder_number
from bot.services.outbox import enqueue_rows, message_row
from bot.services.pending import get_pending, set_pending
from bot.services.people import PersonView
from bot.services.template_errors import render_or_explain
from storage.db import Database
from storage.files import FileStore
from storage.models import (
    Cycle,
    CycleIndicator,
    Indicator,
    Office,
    Person,
    Sasaran,
    StoredFile,
    TelegramGroup,
    Unit,
)
from storage.queries import active_indicators, unit_of, units_of_office

WORKING_DAYS_TO_ANSWER = 7  # the SOP's time standard for step 2
DEADLINE_QUESTION = "cycle_deadline"  # pending input: rendatin is typing a deadline


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
        set_pending(
            session,
            person_id=actor.id,
            kind=DEADLINE_QUESTION,
            payload={"year": year, "period": period.value},
            now=now,
        )
        session.commit()
    return suggested_deadline(db=db, office_id=actor.office_id, today=today)


def _indicators_by_unit(
    session: Session, *, office_id: int, year: int
) -> dict[int, list[Indicator]]:
    grouped: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in active_indicators(session, office_id=office_id, year=year):
        grouped[indicator.unit_id].append(indicator)
    return grouped


def _target_text(indicator: Indicator) -> str:
    return messages.target_text(indicator.target_low, indicator.target_high, indicator.satuan)


def _nota_dinas(
    session: Session,
    *,
    office: Office,
    actor: Person,
    period: Period,
    year: int,
    deadline: date,
    nomor: str,
    today: date,
) -> documents.NotaDinasContent:
    assert office.id is not None
    grouped = _indicators_by_unit(session, office_id=office.id, year=year)
    all_units = {unit.id: unit for unit in units_of_office(session, office_id=office.id)}
    units = sorted((all_units[unit_id] for unit_id in grouped), key=lambda u: u.number)
    heads = unit_heads(session, office_id=office.id)
    kepada = []
    rows = []
    for unit in units:
        assert unit.id is not None
        head = heads.get(unit.id)
        kepada.append(head.jabatan if head else f"Kepala {unit.name}")
        rows += [
            documents.NotaDinasIndicator(
                unit_name=unit.name,
                code=indicator.code,
                name=indicator.name,
                satuan=indicator.satuan,
                target_text=_target_text(indicator),
            )
            for indicator in grouped[unit.id]
        ]
    signer = team_lead(session, office_id=office.id) or actor
    sekretaris = sekretaris_of(session, office_id=office.id)
    period_label = messages.period_label(period.label, year)
    return documents.NotaDinasContent(
        office_name=office.name,
        office_address=office.address,
        city=office.city,
        nomor=nomor,
        kepada=kepada,
        dari=signer.jabatan,
        tembusan=[sekretaris.jabatan] if sekretaris else [],
        tanggal=today,
        sifat="Segera",
        lampiran="1 (satu) berkas",
        hal=f"Permintaan Data Capaian Kinerja {period_label}",
        period_label=period_label,
        deadline=deadline,
        indicators=rows,
        signer_jabatan=signer.jabatan,
        signer_name=signer.name,
        signer_nip=signer.nip,
    )


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
        grouped = _indicators_by_unit(session, office_id=office.id, year=year)
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
                refusal=messages.already_running(f"{period.label} {year}"),
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
        pending = get_pending(session, person_id=actor.id)
        if pending is not None and pending.kind == DEADLINE_QUESTION:
            session.delete(pending)
        try:
            session.flush()
        except IntegrityError:
            raise NotAllowed(messages.ALREADY_PREPARED) from None
        person = session.get(Person, actor.id)
        assert person is not None and cycle.id is not None
        unit = unit_of(session, person)
        # The number is given when the letter is sent, so a discarded draft leaves no gap.
        placeholder = placeholder_number(
            office, unit_number=unit.number if unit else 0, year=today.year
        )
        content = _nota_dinas(
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
        docx=_render(content, template),
        filename=messages.preview_filename(period_label=f"{period.label} {year}"),
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
        letter = _number_and_store(
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
        grouped = sorted(_indicators_by_unit(session, office_id=office.id, year=cycle.year).items())
        units = {unit.id: unit for unit in units_of_office(session, office_id=office.id)}
        people = unit_people(session, office_id=office.id)
        rencana_rows, template_paths = _open_lines(
            session,
            files,
            cycle=cycle,
            office=office,
            grouped=grouped,
            units=units,
            people=people,
            now=now,
        )
        queued, recipients = _unit_requests(
            cycle=cycle,
            letter=letter,
            grouped=list(zip(grouped, template_paths, strict=True)),
            units=units,
            people=people,
            groups=_groups_by_unit(session, office_id=office.id),
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


@dataclass(frozen=True)
class _Letter:
    """The numbered Nota Dinas as stored: what every unit receives."""

    nomor: str
    period_label: str
    docx: StoredFile
    pdf: StoredFile | None
    filename: str


def _number_and_store(
    session: Session,
    files: FileStore,
    *,
    cycle: Cycle,
    office: Office,
    signer: Person,
    today: date,
    now: datetime,
    template: Path | None,
    pdf_copies: bool,
) -> _Letter:
    """Take the letter number, render the Nota Dinas and store it (and its PDF)."""
    period = Period(cycle.period)
    sender_unit = unit_of(session, signer)
    nomor = next_letter_number(
        session,
        office=office,
        unit_number=sender_unit.number if sender_unit else 0,
        year=today.year,
    )
    content = _nota_dinas(
        session,
        office=office,
        actor=signer,
        period=period,
        year=cycle.year,
        deadline=cycle.deadline,
        nomor=nomor,
        today=today,
    )
    nota_bytes = _render(content, template)
    nota = store_bytes(session, files, nota_bytes, mime_type=DOCX_MIME, now=now)
    # A PDF reads the same on every phone; it needs LibreOffice, so it is optional.
    nota_pdf_bytes = convert_to_pdf(nota_bytes) if pdf_copies else None
    nota_pdf = (
        store_bytes(session, files, nota_pdf_bytes, mime_type="application/pdf", now=now)
        if nota_pdf_bytes
        else None
    )
    cycle.nota_dinas_number = nomor
    cycle.nota_dinas_file_id = nota.id
    period_label = messages.period_label(period.label, cycle.year)
    return _Letter(
        nomor=nomor,
        period_label=period_label,
        docx=nota,
        pdf=nota_pdf,
        filename=messages.nota_dinas_filename(nomor=nomor, period_label=period_label),
    )


_Grouped = list[tuple[int, list[Indicator]]]  # (unit id, its indicators), by unit id


def _open_lines(
    session: Session,
    files: FileStore,
    *,
    cycle: Cycle,
    office: Office,
    grouped: _Grouped,
    units: dict[int | None, Unit],
    people: dict[int, list[Person]],
    now: datetime,
) -> tuple[list[documents.RencanaAksiRow], list[str]]:
    """Open a line per indicator, store each unit's entry template; return the Rencana Aksi
    rows and the templates' paths (in the order of ``grouped``)."""
    assert cycle.id is not None
    period = Period(cycle.period)
    period_label = messages.period_label(period.label, cycle.year)
    sasaran_names = _sasaran_names(session, office_id=cycle.office_id, year=cycle.year)
    line_rows: list[dict[str, Any]] = []
    rencana_rows: list[documents.RencanaAksiRow] = []
    workbooks: list[tuple[bytes, str]] = []
    for unit_id, indicators in grouped:
        unit = units[unit_id]
        responsible = responsible_text(people.get(unit_id, []))
        for indicator in indicators:
            line_rows.append(
                {
                    "cycle_id": cycle.id,
                    "indicator_id": indicator.id,
                    "unit_id": unit_id,
                    "responsible": responsible,
                    "deadline": cycle.deadline,
                }
            )
            rencana_rows.append(
                documents.RencanaAksiRow(
                    unit_name=unit.name,
                    indicator_code=indicator.code,
                    indicator_name=indicator.name,
                    responsible=responsible or "-",
                    deadline=cycle.deadline,
                    status=messages.NOT_ENTERED_YET,
                )
            )
        workbook = documents.build_entry_workbook(
            documents.EntryWorkbookMeta(
                office_code=office.code,
                office_name=office.name,
                unit_code=unit.code,
                unit_name=unit.name,
                year=cycle.year,
                period=period.value,
                period_label=period_label,
                cycle_id=cycle.id,
                deadline=cycle.deadline,
            ),
            [
                documents.EntryTemplateRow(
                    code=i.code,
                    sasaran=sasaran_names.get(i.sasaran_id, ""),
                    name=i.name,
                    satuan=i.satuan,
                    target_text=_target_text(i),
                    evidence_required=i.evidence_required,
                )
                for i in indicators
            ],
        )
        workbooks.append((workbook, XLSX_MIME))
    session.execute(insert(CycleIndicator), line_rows)
    return rencana_rows, store_many(session, files, workbooks, now=now)


def _unit_requests(
    *,
    cycle: Cycle,
    letter: _Letter,
    grouped: list[tuple[tuple[int, list[Indicator]], str]],
    units: dict[int | None, Unit],
    people: dict[int, list[Person]],
    groups: dict[int, list[TelegramGroup]],
    bot_username: str,
    now: datetime,
) -> tuple[list[dict[str, Any]], int]:
    """The messages to every unit's members and groups; return them and how many people."""
    assert cycle.id is not None
    queued: list[dict[str, Any]] = []
    recipients = 0
    caption = messages.nota_dinas_caption(letter.nomor)
    for (unit_id, indicators), template_path in grouped:
        unit = units[unit_id]
        listing = messages.unit_request(
            unit_name=unit.name,
            period_label=letter.period_label,
            nomor=letter.nomor,
            deadline_text=format_short_day(cycle.deadline),
            indicators=[(i.code, i.name, _target_text(i)) for i in indicators],
        )
        start_button = messages.start_entry_keyboard(cycle.id)
        for member in registered(people.get(unit_id, [])):
            assert member.telegram_user_id is not None
            to_member = functools.partial(
                message_row,
                chat_id=member.telegram_user_id,
                now=now,
                person_id=member.id,
                office_id=cycle.office_id,
            )
            queued.append(
                to_member(
                    document_path=letter.docx.path, document_name=letter.filename, text=caption
                )
            )
            if letter.pdf is not None:
                queued.append(
                    to_member(
                        document_path=letter.pdf.path,
                        document_name=letter.filename.removesuffix(".docx") + ".pdf",
                        text=messages.nota_dinas_caption(letter.nomor, pdf=True),
                    )
                )
            queued.append(to_member(text=listing, keyboard=start_button))
            queued.append(
                to_member(
                    document_path=template_path,
                    document_name=messages.entry_workbook_filename(
                        unit_code=unit.code, period_label=letter.period_label
                    ),
                    text=messages.TEMPLATE_CAPTION,
                )
            )
            recipients += 1
        for group in groups.get(unit_id, []):
            to_group = functools.partial(
                message_row, chat_id=group.chat_id, now=now, office_id=cycle.office_id
            )
            queued.append(
                to_group(
                    document_path=letter.docx.path, document_name=letter.filename, text=caption
                )
            )
            queued.append(
                to_group(
                    text=messages.group_request(listing),
                    keyboard=messages.group_keyboard(bot_username),
                )
            )
    return queued, recipients


def _sasaran_names(session: Session, *, office_id: int, year: int) -> dict[int, str]:
    query = select(Sasaran).where(Sasaran.office_id == office_id, Sasaran.year == year)
    return {sasaran.id: sasaran.name for sasaran in session.exec(query) if sasaran.id}


def _groups_by_unit(session: Session, *, office_id: int) -> dict[int, list[TelegramGroup]]:
    by_unit: dict[int, list[TelegramGroup]] = defaultdict(list)
    query = select(TelegramGroup).where(TelegramGroup.office_id == office_id)
    for group in session.exec(query.order_by(col(TelegramGroup.id))):
        if group.unit_id is not None:
            by_unit[group.unit_id].append(group)
    return by_unit


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
        period_label = f"{Period(cycle.period).label} {cycle.year}"
        return stored.path, messages.rencana_aksi_filename(period_label=period_label)


def _render(content: documents.NotaDinasContent, template: Path | None) -> bytes:
    """Render the Nota Dinas; a broken office template becomes a message naming the tag."""
    return render_or_explain(lambda: documents.render_nota_dinas(content, template=template))
