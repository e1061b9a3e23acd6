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

from bot import callbacks, documents
from bot.documents import TemplateError, convert_to_pdf
from bot.domain.calendar import WorkingCalendar
from bot.domain.dates import format_short_day, parse_date
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.domain.files import DOCX_MIME, XLSX_MIME
from bot.domain.letter_numbers import draft_letter_number, format_letter_number
from bot.domain.numbers import format_number
from bot.domain.organisation import LetterNumberSpec, OfficeHoursSpec
from bot.domain.pending import CycleDeadline
from bot.domain.periods import Period
from bot.domain.roles import Role
from bot.messages import Button
from bot.messages import cycles as messages
from bot.messages.common import UNEXPECTED_TEXT
from bot.services.audit import record_event
from bot.services.common import (
    NOT_RENDATIN,
    load_office,
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
from bot.services.outbox import enqueue_rows, message_row
from bot.services.pending import read_pending, wait_for
from bot.services.people import PersonView
from storage.db import Database
from storage.files import FileStore
from storage.models import (
    Cycle,
    CycleIndicator,
    Indicator,
    LetterSequence,
    Office,
    Person,
    Sasaran,
    StoredFile,
    TelegramGroup,
    Unit,
)
from storage.queries import units_of_office

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


def office_calendar(office: Office, *, years: list[int]) -> WorkingCalendar:
    """Return the office's working calendar (its hours, national holidays, cuti bersama)."""
    hours = OfficeHoursSpec.model_validate(office.settings.get("office_hours", {}))
    return WorkingCalendar.for_office(hours, years)


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


def _indicators_by_unit(
    session: Session, *, office_id: int, year: int
) -> dict[int, list[Indicator]]:
    grouped: dict[int, list[Indicator]] = defaultdict(list)
    query = (
        select(Indicator)
        .where(Indicator.office_id == office_id, Indicator.year == year, col(Indicator.active))
        .order_by(col(Indicator.code))
    )
    for indicator in session.exec(query):
        grouped[indicator.unit_id].append(indicator)
    return grouped


def _target_text(indicator: Indicator) -> str:
    low, high = format_number(indicator.target_low), format_number(indicator.target_high)
    value = low if low == high else f"{low}–{high}"
    return f"{value} {indicator.satuan}".strip()


def _letter_spec(office: Office) -> LetterNumberSpec:
    return LetterNumberSpec.model_validate(office.settings.get("letter_number", {}))


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
    period_label = f"{period.label} {year}"
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
        raise InvalidInput("Batas waktu harus setelah hari ini.")
    with db.session() as session:
        office = load_office(session, actor.office_id)
        assert office.id is not None
        grouped = _indicators_by_unit(session, office_id=office.id, year=year)
        if not grouped:
            raise NotFound(
                f"Belum ada Perjanjian Kinerja tahun {year}. Kirim berkas PK (.xlsx) ke bot "
                "atau impor lewat perintah pk import terlebih dahulu."
            )
        # A draft nobody sent does not block a new one; an open cycle does.
        live = session.exec(
            select(Cycle).where(
                Cycle.office_id == office.id,
                Cycle.year == year,
                Cycle.period == period.value,
                col(Cycle.status).in_(("draft", "open")),
            )
        ).all()
        for cycle in live:
            if cycle.status == "open":
                raise NotAllowed(
                    f"Siklus {period.label} {year} sudah berjalan. Lihat /status untuk kemajuannya."
                )
            cycle.status = "cancelled"
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
            raise NotAllowed(
                "Siklus yang sama baru saja disiapkan oleh anggota tim lain."
            ) from None
        person = session.get(Person, actor.id)
        assert person is not None and cycle.id is not None
        spec = _letter_spec(office)
        unit = session.get(Unit, person.unit_id) if person.unit_id else None
        # The number is given when the letter is sent, so a discarded draft leaves no gap.
        placeholder = draft_letter_number(
            spec.pattern,
            classification=spec.classification,
            region=office.region_code,
            unit=unit.number if unit else 0,
            year=today.year,
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
        filename=f"Nota Dinas - {period.label} {year} (pratinjau).docx",
        units=units,
    )


def cancel_draft(*, db: Database, actor: PersonView, cycle_id: int, now: datetime) -> None:
    """Discard a cycle that was not sent."""
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    with db.session() as session:
        changed = session.execute(
            update(Cycle)
            .where(col(Cycle.id) == cycle_id, col(Cycle.status) == "draft")
            .where(col(Cycle.office_id) == actor.office_id)
            .values(status="cancelled")
        )
        if changed.rowcount != 1:  # type: ignore[attr-defined]
            raise NotAllowed("Pratinjau ini sudah tidak berlaku (sudah dikirim atau dibatalkan).")
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


def next_letter_number(session: Session, *, office: Office, unit_number: int, year: int) -> str:
    """Take the next letter number for the office, classification and year (never reused)."""
    assert office.id is not None
    spec = _letter_spec(office)
    key = (
        col(LetterSequence.office_id) == office.id,
        col(LetterSequence.classification) == spec.classification,
        col(LetterSequence.year) == year,
    )
    if session.exec(select(LetterSequence).where(*key)).first() is None:
        session.add(
            LetterSequence(office_id=office.id, classification=spec.classification, year=year)
        )
        session.flush()
    # An UPDATE takes the row lock, so two letters numbered at once get different numbers.
    session.execute(update(LetterSequence).where(*key).values(last_seq=LetterSequence.last_seq + 1))
    sequence = session.exec(select(LetterSequence).where(*key)).one()
    session.refresh(sequence)
    return format_letter_number(
        spec.pattern,
        seq=sequence.last_seq,
        classification=spec.classification,
        region=office.region_code,
        unit=unit_number,
        year=year,
    )


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
            .where(col(Cycle.id) == cycle_id, col(Cycle.status) == "draft")
            .where(col(Cycle.office_id) == actor.office_id)
            .values(status="open", sent_at=now)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            raise NotAllowed("Nota Dinas ini sudah dikirim atau dibatalkan.")
        cycle = session.get(Cycle, cycle_id)
        assert cycle is not None and cycle.id is not None
        office = load_office(session, cycle.office_id)
        assert office.id is not None
        person = session.get(Person, actor.id)
        assert person is not None
        period = Period(cycle.period)
        sender_unit = session.get(Unit, person.unit_id) if person.unit_id else None
        nomor = next_letter_number(
            session,
            office=office,
            unit_number=sender_unit.number if sender_unit else 0,
            year=today.year,
        )
        content = _nota_dinas(
            session,
            office=office,
            actor=person,
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
        period_label = f"{period.label} {cycle.year}"
        nota_name = (
            f"Nota Dinas {nomor.replace('/', '-')} - Permintaan Data Kinerja {period_label}.docx"
        )

        grouped = sorted(_indicators_by_unit(session, office_id=office.id, year=cycle.year).items())
        # Everything per unit is read up front, so Kirim makes as many statements for twenty
        # units as for two.
        units = {unit.id: unit for unit in units_of_office(session, office_id=office.id)}
        people = unit_people(session, office_id=office.id)
        sasaran_names = _sasaran_names(session, office_id=office.id, year=cycle.year)
        groups = _groups_by_unit(session, office_id=office.id)
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
                        status="Belum diisi",
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
        template_paths = store_many(session, files, workbooks, now=now)

        queued: list[dict[str, Any]] = []
        recipients = 0
        for (unit_id, indicators), template_path in zip(grouped, template_paths, strict=True):
            unit = units[unit_id]
            listing = messages.unit_request(
                unit_name=unit.name,
                period_label=period_label,
                nomor=nomor,
                deadline_text=format_short_day(cycle.deadline),
                indicators=[(i.code, i.name, _target_text(i)) for i in indicators],
            )
            start_button = [
                [
                    Button(
                        "✍️ Mulai isi data",
                        data=callbacks.encode(
                            callbacks.ENTRY, callbacks.EntryAction.MENU, cycle.id
                        ),
                    )
                ]
            ]
            for member in registered(people.get(unit_id, [])):
                assert member.telegram_user_id is not None
                to_member = functools.partial(
                    message_row,
                    chat_id=member.telegram_user_id,
                    now=now,
                    person_id=member.id,
                    office_id=office.id,
                )
                queued.append(
                    to_member(
                        document_path=nota.path,
                        document_name=nota_name,
                        text=f"Nota Dinas {nomor}",
                    )
                )
                if nota_pdf is not None:
                    queued.append(
                        to_member(
                            document_path=nota_pdf.path,
                            document_name=nota_name.removesuffix(".docx") + ".pdf",
                            text=f"Nota Dinas {nomor} (PDF)",
                        )
                    )
                queued.append(to_member(text=listing, keyboard=start_button))
                queued.append(
                    to_member(
                        document_path=template_path,
                        document_name=f"Isian Kinerja {unit.code} {period_label}.xlsx",
                        text=messages.TEMPLATE_CAPTION,
                    )
                )
                recipients += 1
            for group in groups.get(unit_id, []):
                to_group = functools.partial(
                    message_row, chat_id=group.chat_id, now=now, office_id=office.id
                )
                queued.append(
                    to_group(
                        document_path=nota.path,
                        document_name=nota_name,
                        text=f"Nota Dinas {nomor}",
                    )
                )
                group_button = Button(
                    "✍️ Isi data di percakapan pribadi",
                    url=f"https://t.me/{bot_username}?start=isi",
                )
                queued.append(
                    to_group(
                        text=listing + "\n\n" + messages.GROUP_PRIVATE_HINT,
                        keyboard=[[group_button]],
                    )
                )

        rencana = documents.build_rencana_aksi_workbook(
            title="Rencana Aksi Pengumpulan Data Kinerja",
            office_name=office.name,
            period_label=period_label,
            rows=rencana_rows,
        )
        rencana_file = store_bytes(session, files, rencana, mime_type=XLSX_MIME, now=now)
        cycle.rencana_aksi_file_id = rencana_file.id
        for member in people_with_role(session, office_id=office.id, role=Role.RENDATIN):
            assert member.telegram_user_id is not None
            queued.append(
                message_row(
                    chat_id=member.telegram_user_id,
                    now=now,
                    person_id=member.id,
                    office_id=office.id,
                    document_path=rencana_file.path,
                    document_name=f"Rencana Aksi {period_label}.xlsx",
                    text=messages.cycle_sent(
                        nomor=nomor, units=len(grouped), recipients=recipients
                    ),
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
                "nomor": nomor,
                "units": len(grouped),
                "recipients": recipients,
                "indicators": len(rencana_rows),
                "nota_dinas_sha256": nota.sha256,
            },
        )
        session.commit()
        return SentCycle(
            cycle_id=cycle.id, nota_dinas_number=nomor, units=len(grouped), recipients=recipients
        )


def _render(content: documents.NotaDinasContent, template: Path | None) -> bytes:
    """Render the Nota Dinas; a broken office template becomes a message naming the tag."""
    try:
        return documents.render_nota_dinas(content, template=template)
    except TemplateError as error:
        raise InvalidInput(template_problem(error)) from None


def template_problem(error: TemplateError) -> str:
    """Explain a broken template to the rendatin member who tried to use it."""
    return (
        f"Dokumen tidak dapat dibuat karena templatenya bermasalah: {error.message}\n"
        "Perbaiki template itu (daftar variabelnya ada di templates/*.md) atau hapus dari "
        "folder TEMPLATES_DIR agar template bawaan dipakai. Tidak ada yang dikirim."
    )


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
            raise NotFound("Rencana Aksi siklus ini tidak ditemukan.")
        stored = session.get(StoredFile, cycle.rencana_aksi_file_id)
        assert stored is not None
        return stored.path, f"Rencana Aksi {Period(cycle.period).label} {cycle.year}.xlsx"
