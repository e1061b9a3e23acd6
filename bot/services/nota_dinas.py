"""The Nota Dinas of SOP step 1: its content from the office and the Perjanjian Kinerja,
rendered from the office's template, and numbered and stored when it is sent."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlmodel import Session

from bot import documents
from bot.documents import convert_to_pdf
from bot.domain.files import DOCX_MIME
from bot.domain.organisation import LetterKind
from bot.domain.periods import Period
from bot.messages import cycles as messages
from bot.services.common import (
    sekretaris_of,
    store_bytes,
    team_lead,
    unit_heads,
)
from bot.services.letter_numbers import next_letter_number, placeholder_number
from bot.services.template_errors import render_or_explain
from storage.files import FileStore
from storage.models import (
    Cycle,
    Indicator,
    Office,
    Person,
    StoredFile,
    Unit,
)
from storage.queries import active_indicators, unit_of, units_of_office


def indicators_by_unit(
    session: Session, *, office_id: int, year: int
) -> dict[int, list[Indicator]]:
    """Return the year's active indicators by the unit answering for them (by code)."""
    grouped: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in active_indicators(session, office_id=office_id, year=year):
        grouped[indicator.unit_id].append(indicator)
    return grouped


def target_text(indicator: Indicator) -> str:
    """Write the indicator's target with its unit, as the Nota Dinas and templates show it."""
    return messages.target_text(indicator.target_low, indicator.target_high, indicator.satuan)


def nota_dinas_content(
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
    """Gather the Nota Dinas: from the Ketua Tim to every other unit's head, indicators listed."""
    assert office.id is not None
    grouped = indicators_by_unit(session, office_id=office.id, year=year)
    all_units = {unit.id: unit for unit in units_of_office(session, office_id=office.id)}
    units = sorted((all_units[unit_id] for unit_id in grouped), key=lambda u: u.number)
    heads = unit_heads(session, office_id=office.id)
    signer = team_lead(session, office_id=office.id) or actor
    kepada = []
    rows = []
    for unit in units:
        assert unit.id is not None
        head = heads.get(unit.id)
        # The sender does not write to herself: her own unit's indicators are listed, and
        # her staff receive the letter in the bot, but she is not an addressee.
        if head is None or head.id != signer.id:
            kepada.append(head.jabatan if head else f"Kepala {unit.name}")
        rows += [
            documents.NotaDinasIndicator(
                unit_name=unit.name,
                code=indicator.code,
                name=indicator.name,
                satuan=indicator.satuan,
                target_text=target_text(indicator),
            )
            for indicator in grouped[unit.id]
        ]
    sekretaris = sekretaris_of(session, office_id=office.id)
    period_label = messages.period_label(period, year)
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


def unnumbered_content(
    session: Session,
    *,
    office: Office,
    actor: Person,
    period: Period,
    year: int,
    deadline: date,
    today: date,
) -> documents.NotaDinasContent:
    """The Nota Dinas as it is checked before it is sent: a placeholder for its number.

    The number is given when the letter is sent, so a discarded draft leaves no gap.
    """
    unit = unit_of(session, actor)
    placeholder = placeholder_number(
        office,
        kind=LetterKind.NOTA_DINAS,
        unit_number=unit.number if unit else 0,
        year=today.year,
    )
    return nota_dinas_content(
        session,
        office=office,
        actor=actor,
        period=period,
        year=year,
        deadline=deadline,
        nomor=placeholder,
        today=today,
    )


def unit_counts(session: Session, grouped: dict[int, list[Indicator]]) -> list[tuple[str, int]]:
    """Each unit that answers (by its number) and how many indicators it owes."""
    units = [session.get(Unit, unit_id) for unit_id in grouped]
    return [
        (unit.name, len(grouped[unit.id]))
        for unit in sorted((u for u in units if u is not None), key=lambda u: u.number)
        if unit.id is not None
    ]


def render(content: documents.NotaDinasContent, template: Path | None) -> bytes:
    """Render the Nota Dinas; a broken office template becomes a message naming the tag."""
    return render_or_explain(lambda: documents.render_nota_dinas(content, template=template))


@dataclass(frozen=True)
class Letter:
    """The numbered Nota Dinas as stored: what every unit receives."""

    nomor: str
    period_label: str
    docx: StoredFile
    pdf: StoredFile | None
    filename: str


def number_and_store(
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
) -> Letter:
    """Take the letter number, render the Nota Dinas and store it (and its PDF)."""
    period = Period(cycle.period)
    sender_unit = unit_of(session, signer)
    nomor = next_letter_number(
        session,
        office=office,
        kind=LetterKind.NOTA_DINAS,
        unit_number=sender_unit.number if sender_unit else 0,
        year=today.year,
    )
    content = nota_dinas_content(
        session,
        office=office,
        actor=signer,
        period=period,
        year=cycle.year,
        deadline=cycle.deadline,
        nomor=nomor,
        today=today,
    )
    nota_bytes = render(content, template)
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
    period_label = messages.period_label(period, cycle.year)
    return Letter(
        nomor=nomor,
        period_label=period_label,
        docx=nota,
        pdf=nota_pdf,
        filename=messages.nota_dinas_filename(nomor=nomor, period_label=period_label),
    )
