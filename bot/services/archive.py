"""SOP step 6: the cycle's archive — every file indexed with its SHA-256, searchable, exportable.

Archiving does not copy files: the file store is content-addressed, so an entry points at
the stored file and keeps the checksum it had when archived. ``verify`` recomputes every
checksum from the bytes on disk, so a file changed or removed afterwards is reported.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.domain.dates import format_day
from bot.domain.errors import NotAllowed, NotFound
from bot.domain.formatting import format_datetime
from bot.domain.periods import Period
from bot.domain.roles import Role
from bot.domain.spreadsheet_text import neutralised
from bot.messages import Reply
from bot.messages import archive as say
from bot.services.common import require_role, store_bytes
from bot.services.people import PersonView
from storage.db import Database
from storage.files import FileStore
from storage.models import (
    ArchiveEntry,
    AuditEvent,
    Cycle,
    CycleIndicator,
    Draft,
    Evidence,
    Indicator,
    Meeting,
    MeetingInput,
    Office,
    Person,
    ReportDelivery,
    StoredFile,
    Submission,
)

# What an archive entry is, in the order the archive lists them.
KINDS = (
    "laporan",  # the signed report
    "surat_pengantar",
    "nota_dinas",
    "rencana_aksi",
    "konsep",  # every draft version
    "data",  # every version of submitted data, as CSV
    "bukti",  # evidence files
    "rapat",  # meeting inputs and minutes
    "kepatuhan",  # the SOP compliance workbook
    "audit",  # the audit trail, as CSV
)
READERS = (Role.RENDATIN, Role.SEKRETARIS, Role.PIMPINAN, Role.ADMIN)
NOT_READER = say.NOT_READER
TELEGRAM_UPLOAD_LIMIT = 50 * 1000 * 1000  # bytes a bot may send in one file
MANIFEST = "MANIFEST.sha256"


@dataclass(frozen=True)
class ArchivedFile:
    """One file to put in the archive: its bytes are already in the file store."""

    kind: str
    name: str
    stored: StoredFile
    indicator_code: str | None = None


def cycle_label(cycle: Cycle) -> str:
    """ "Tahun 2026", "Triwulan I Tahun 2026"."""
    return Period(cycle.period).named(cycle.year)


def _stored(session: Session, file_id: int | None) -> StoredFile | None:
    return session.get(StoredFile, file_id) if file_id else None


def _extension(stored: StoredFile) -> str:
    return {
        "application/pdf": "pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    }.get(stored.mime_type, "bin")


def _documents(session: Session, *, cycle: Cycle, label: str) -> Iterator[ArchivedFile]:
    """The cycle's letters, drafts and the signed report."""
    nota = _stored(session, cycle.nota_dinas_file_id)
    if nota is not None:
        yield ArchivedFile("nota_dinas", f"Nota Dinas {label}.{_extension(nota)}", nota)
    rencana = _stored(session, cycle.rencana_aksi_file_id)
    if rencana is not None:
        yield ArchivedFile("rencana_aksi", f"Rencana Aksi {label}.xlsx", rencana)
    for draft in session.exec(
        select(Draft).where(Draft.cycle_id == cycle.id).order_by(col(Draft.version))
    ):
        for file_id in (draft.file_id, draft.pdf_file_id):
            stored = _stored(session, file_id)
            if stored is not None:
                name = f"konsep/KONSEP LKjIP {label} v{draft.version}.{_extension(stored)}"
                yield ArchivedFile("konsep", name, stored)
        for file_id in (draft.signed_file_id, draft.signed_pdf_file_id):
            stored = _stored(session, file_id)
            if stored is not None:
                name = f"LKjIP {label} v{draft.version} (ditandatangani).{_extension(stored)}"
                yield ArchivedFile("laporan", name, stored)
        scan = _stored(session, draft.scan_file_id)
        if scan is not None:
            name = f"LKjIP {label} v{draft.version} (pindaian bertanda tangan dan stempel).pdf"
            yield ArchivedFile("laporan", name, scan)
    delivery = session.exec(
        select(ReportDelivery).where(ReportDelivery.cycle_id == cycle.id)
    ).first()
    if delivery is not None:
        for file_id in (delivery.letter_file_id, delivery.letter_pdf_file_id):
            stored = _stored(session, file_id)
            if stored is not None:
                name = f"Surat Pengantar {label}.{_extension(stored)}"
                yield ArchivedFile("surat_pengantar", name, stored)


def _evidence(session: Session, *, cycle: Cycle) -> Iterator[ArchivedFile]:
    rows = session.exec(
        select(Evidence, Submission, Indicator)
        .join(Submission, col(Submission.id) == col(Evidence.submission_id))
        .join(CycleIndicator, col(CycleIndicator.id) == col(Submission.cycle_indicator_id))
        .join(Indicator, col(Indicator.id) == col(CycleIndicator.indicator_id))
        .where(CycleIndicator.cycle_id == cycle.id)
        .order_by(col(Indicator.code), col(Submission.version), col(Evidence.id))
    ).all()
    for evidence, submission, indicator in rows:
        stored = _stored(session, evidence.file_id)
        if stored is not None:
            name = f"bukti/{indicator.code}/v{submission.version} {evidence.original_name}"
            yield ArchivedFile("bukti", name, stored, indicator.code)


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    # Every cell, not only the typed ones: a name or a reason could start with "=" too.
    csv.writer(buffer).writerows([[neutralised(str(cell)) for cell in row] for row in rows])
    # A byte-order mark, so Excel opens the Indonesian text as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode()


def _submissions_csv(session: Session, *, cycle: Cycle, tz: ZoneInfo) -> bytes:
    rows = [
        [
            "Indikator",
            "Versi",
            "Realisasi",
            "Penjelasan",
            "Faktor pendukung",
            "Faktor penghambat",
            "Upaya",
            "Status",
            "Catatan Tim",
            "Dikirim",
            "Oleh",
            "Sumber",
        ]
    ]
    for submission, indicator, person in session.exec(
        select(Submission, Indicator, Person)
        .join(CycleIndicator, col(CycleIndicator.id) == col(Submission.cycle_indicator_id))
        .join(Indicator, col(Indicator.id) == col(CycleIndicator.indicator_id))
        .join(Person, col(Person.id) == col(Submission.submitted_by_person_id))
        .where(CycleIndicator.cycle_id == cycle.id)
        .order_by(col(Indicator.code), col(Submission.version))
    ).all():
        rows.append(
            [
                indicator.code,
                str(submission.version),
                str(submission.realisasi),
                submission.penjelasan,
                submission.pendukung or "",
                submission.kendala or "",
                submission.upaya or "",
                submission.status,
                submission.review_note or "",
                format_datetime(submission.submitted_at, tz),
                person.name,
                submission.source,
            ]
        )
    return _csv(rows)


def _meeting_text(session: Session, *, cycle: Cycle, tz: ZoneInfo) -> tuple[bytes, list[int]]:
    """The review meetings' inputs and minutes as text, and the minutes files' ids."""
    lines: list[str] = []
    files: list[int] = []
    for meeting in session.exec(
        select(Meeting).where(Meeting.cycle_id == cycle.id).order_by(col(Meeting.id))
    ):
        lines.append(
            f"Rapat reviu {format_datetime(meeting.starts_at, tz)}, {meeting.place} "
            f"({meeting.status})"
        )
        for item in session.exec(
            select(MeetingInput)
            .where(MeetingInput.meeting_id == meeting.id)
            .order_by(col(MeetingInput.id))
        ):
            author = session.get(Person, item.person_id)
            lines.append(
                f"- Masukan {author.name if author else '-'} "
                f"({format_datetime(item.created_at, tz)}): {item.text}"
            )
        if meeting.minutes:
            lines += ["Notulen:", meeting.minutes]
        if meeting.minutes_file_id:
            files.append(meeting.minutes_file_id)
        lines.append("")
    return "\n".join(lines).encode(), files


def _audit_csv(session: Session, *, cycle: Cycle, until: datetime, tz: ZoneInfo) -> bytes:
    rows = [["Waktu", "Pelaku", "Tindakan", "Objek", "Rincian"]]
    for event in session.exec(
        select(AuditEvent)
        .where(
            AuditEvent.office_id == cycle.office_id,
            col(AuditEvent.at) >= cycle.created_at,
            col(AuditEvent.at) <= until,
        )
        .order_by(col(AuditEvent.id))
    ):
        rows.append(
            [
                format_datetime(event.at, tz),
                event.actor,
                event.action,
                f"{event.object_type}:{event.object_id or ''}",
                json.dumps(event.details, ensure_ascii=False, sort_keys=True, default=str),
            ]
        )
    return _csv(rows)


def archive_cycle(
    session: Session,
    files: FileStore,
    *,
    cycle: Cycle,
    now: datetime,
    tz: ZoneInfo,
    compliance: bytes | None = None,
) -> int:
    """Index every file of ``cycle`` in the archive (in the caller's transaction); how many."""
    if session.exec(select(ArchiveEntry).where(ArchiveEntry.cycle_id == cycle.id)).first():
        raise NotAllowed(f"{cycle_label(cycle)} sudah diarsipkan.")
    label = cycle_label(cycle)
    entries = list(_documents(session, cycle=cycle, label=label))
    generated = [
        (
            "data",
            f"Data capaian {label} (semua versi).csv",
            _submissions_csv(session, cycle=cycle, tz=tz),
            "text/csv",
        ),
    ]
    minutes, minutes_files = _meeting_text(session, cycle=cycle, tz=tz)
    if minutes:
        generated.append(
            ("rapat", f"rapat/Masukan dan notulen rapat reviu {label}.txt", minutes, "text/plain")
        )
    for file_id in minutes_files:
        stored = _stored(session, file_id)
        if stored is not None:
            entries.append(
                ArchivedFile("rapat", f"rapat/Notulen {label} ({stored.sha256[:8]})", stored)
            )
    entries += list(_evidence(session, cycle=cycle))
    if compliance is not None:
        generated.append(
            (
                "kepatuhan",
                f"Kepatuhan SOP {label}.xlsx",
                compliance,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        )
    # Last, so it records everything up to the archiving itself.
    generated.append(
        (
            "audit",
            f"Jejak audit {label}.csv",
            _audit_csv(session, cycle=cycle, until=now, tz=tz),
            "text/csv",
        )
    )
    for kind, name, data, mime in generated:
        entries.append(
            ArchivedFile(kind, name, store_bytes(session, files, data, mime_type=mime, now=now))
        )
    for item in entries:
        session.add(
            ArchiveEntry(
                office_id=cycle.office_id,
                cycle_id=cycle.id or 0,
                year=cycle.year,
                kind=item.kind,
                name=item.name[:300],
                indicator_code=item.indicator_code,
                file_id=item.stored.id or 0,
                sha256=item.stored.sha256,
                size=item.stored.size,
                created_at=now,
            )
        )
    return len(entries)


# ----------------------------------------------------------------------------- reading


def require_reader(actor: PersonView) -> None:
    """Refuse anyone who may not open the archive."""
    require_role(actor, *READERS, message=NOT_READER)


def years(*, db: Database, office_id: int) -> list[int]:
    """The years that have an archive, or a report received from a kabupaten/kota, newest first."""
    with db.session() as session:
        found = session.exec(
            select(ArchiveEntry.year).where(ArchiveEntry.office_id == office_id).distinct()
        ).all()
        received = session.exec(
            select(Cycle.year)
            .join(ReportDelivery, col(ReportDelivery.cycle_id) == col(Cycle.id))
            .join(Office, col(Office.id) == col(Cycle.office_id))
            .where(Office.parent_id == office_id, col(ReportDelivery.received_at).is_not(None))
            .distinct()
        ).all()
        return sorted(set(found) | set(received), reverse=True)


def received_from_children(*, db: Database, office_id: int, year: int, tz: ZoneInfo) -> list[str]:
    """One line per report of ``year`` a KPU Provinsi received from its kabupaten/kota,
    by office: which report, when, and who pressed Terima."""
    with db.session() as session:
        rows = session.exec(
            select(Office, Cycle, ReportDelivery)
            .join(Cycle, col(Cycle.office_id) == col(Office.id))
            .join(ReportDelivery, col(ReportDelivery.cycle_id) == col(Cycle.id))
            .where(
                Office.parent_id == office_id,
                Cycle.year == year,
                col(ReportDelivery.received_at).is_not(None),
            )
            .order_by(col(Office.name), col(Cycle.id))
        ).all()
    return say.received_from_children(
        [
            (
                office.name,
                cycle_label(cycle),
                format_datetime(delivery.received_at, tz) if delivery.received_at else "",
                delivery.received_by_name or "",
            )
            for office, cycle, delivery in rows
        ]
    )


def entries(*, db: Database, office_id: int, year: int) -> list[ArchiveEntry]:
    """A year's archive entries, by cycle then kind."""
    with db.session() as session:
        rows = session.exec(
            select(ArchiveEntry)
            .where(ArchiveEntry.office_id == office_id, ArchiveEntry.year == year)
            .order_by(col(ArchiveEntry.cycle_id), col(ArchiveEntry.id))
        ).all()
        return sorted(rows, key=lambda e: (e.cycle_id, KINDS.index(e.kind), e.id or 0))


def delivery_notes(*, db: Database, office_id: int, year: int) -> list[str]:
    """One line per archived cycle of ``year``: sent on time or late, and received by whom."""
    with db.session() as session:
        rows = session.exec(
            select(Cycle, ReportDelivery)
            .join(ReportDelivery, col(ReportDelivery.cycle_id) == col(Cycle.id))
            .where(Cycle.office_id == office_id, Cycle.year == year)
            .order_by(col(Cycle.id))
        ).all()
    return [
        say.delivery_note(
            label=cycle_label(cycle),
            deadline=format_day(delivery.deadline),
            late=delivery.late,
            received_by=delivery.received_by_name,
        )
        for cycle, delivery in rows
    ]


def browse_years(*, db: Database, actor: PersonView) -> Reply:
    """/arsip: the years with an archive, each a button."""
    require_reader(actor)
    found = years(db=db, office_id=actor.office_id)
    return say.years_menu(found) if found else say.NOTHING_ARCHIVED


def browse(*, db: Database, actor: PersonView, year: int, words: str, tz: ZoneInfo) -> Reply:
    """/arsip <year> <words>: the year's files matching the words, each a button; without
    words, a KPU Provinsi also sees the reports its kabupaten/kota sent it that year."""
    require_reader(actor)
    matching = search(db=db, office_id=actor.office_id, year=year, words=words)
    received = (
        [] if words else received_from_children(db=db, office_id=actor.office_id, year=year, tz=tz)
    )
    if not matching and not received:
        return say.no_match(year, words)
    notes = [] if words else delivery_notes(db=db, office_id=actor.office_id, year=year)
    notes += received
    return say.found(
        year=year,
        words=words,
        notes=notes,
        files=[(entry.id or 0, entry.name) for entry in matching],
    )


def search(*, db: Database, office_id: int, year: int, words: str) -> list[ArchiveEntry]:
    """Entries of ``year`` whose name or indicator contains every word (any case)."""
    wanted = words.lower().split()
    return [
        entry
        for entry in entries(db=db, office_id=office_id, year=year)
        if all(word in f"{entry.name} {entry.indicator_code or ''}".lower() for word in wanted)
    ]


def entry_file(
    *, db: Database, files: FileStore, office_id: int, entry_id: int
) -> tuple[Path, str]:
    """The path and name of one archived file."""
    with db.session() as session:
        entry = session.get(ArchiveEntry, entry_id)
        if entry is None or entry.office_id != office_id:
            raise NotFound(say.FILE_NOT_FOUND)
        stored = session.get(StoredFile, entry.file_id)
        assert stored is not None
        return files.path(stored.path), entry.name.rsplit("/", 1)[-1]


def signed_reports(
    *, db: Database, files: FileStore, office_id: int, year: int
) -> list[tuple[Path, str]]:
    """The signed reports archived for ``year``."""
    return [
        entry_file(db=db, files=files, office_id=office_id, entry_id=entry.id or 0)
        for entry in entries(db=db, office_id=office_id, year=year)
        if entry.kind == "laporan"
    ]


# ----------------------------------------------------------------------------- integrity


@dataclass(frozen=True)
class Problem:
    """An archived file that is missing or no longer matches its checksum."""

    year: int
    name: str
    problem: str  # "hilang" or "berubah"


def verify(
    *, db: Database, files: FileStore, office_id: int | None = None, year: int | None = None
) -> tuple[int, list[Problem]]:
    """Recompute every archived file's SHA-256; return how many were checked and the problems."""
    with db.session() as session:
        query = select(ArchiveEntry, StoredFile).join(
            StoredFile, col(StoredFile.id) == col(ArchiveEntry.file_id)
        )
        if office_id is not None:
            query = query.where(ArchiveEntry.office_id == office_id)
        if year is not None:
            query = query.where(ArchiveEntry.year == year)
        rows = session.exec(query.order_by(col(ArchiveEntry.id))).all()
    problems = []
    for entry, stored in rows:
        path = files.path(stored.path)
        if not path.is_file():
            problems.append(Problem(entry.year, entry.name, "hilang"))
        elif _sha256(path) != entry.sha256:
            problems.append(Problem(entry.year, entry.name, "berubah"))
    return len(rows), problems


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# ----------------------------------------------------------------------------- export


def export_year(*, db: Database, files: FileStore, office_id: int, year: int, target: Path) -> int:
    """Write the year's archive as one zip with a checksum manifest; return how many files.

    Files go in as ``<cycle>/<name>``; ``MANIFEST.sha256`` lists ``<sha256>  <path>`` the way
    ``sha256sum -c`` reads it, so the zip can be checked without Lapkin.
    """
    with db.session() as session:
        rows = session.exec(
            select(ArchiveEntry, StoredFile, Cycle)
            .join(StoredFile, col(StoredFile.id) == col(ArchiveEntry.file_id))
            .join(Cycle, col(Cycle.id) == col(ArchiveEntry.cycle_id))
            .where(ArchiveEntry.office_id == office_id, ArchiveEntry.year == year)
            .order_by(col(ArchiveEntry.cycle_id), col(ArchiveEntry.id))
        ).all()
        office = session.get(Office, office_id)
    if not rows:
        raise NotFound(say.no_archive(year))
    manifest: list[str] = []
    used: set[str] = set()
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for entry, stored, cycle in rows:
            name = _unique(f"{cycle_label(cycle)}/{entry.name}", used)
            bundle.write(files.path(stored.path), arcname=name)
            manifest.append(f"{entry.sha256}  {name}")
        header = f"# Arsip Laporan Kinerja {office.name if office else ''} tahun {year}\n"
        bundle.writestr(MANIFEST, header + "\n".join(manifest) + "\n")
    return len(rows)


def _unique(name: str, used: set[str]) -> str:
    candidate, number = name, 2
    while candidate in used:
        stem, dot, extension = name.rpartition(".")
        candidate = f"{stem} ({number}).{extension}" if dot else f"{name} ({number})"
        number += 1
    used.add(candidate)
    return candidate


def split_for_telegram(
    path: Path, *, limit: int = TELEGRAM_UPLOAD_LIMIT
) -> list[tuple[str, bytes]]:
    """The zip as one file, or as numbered parts (``.001``, ``.002`` ...) below ``limit``.

    Joined back with ``cat arsip.zip.* > arsip.zip`` (or 7-Zip on Windows).
    """
    data = path.read_bytes()
    if len(data) <= limit:
        return [(path.name, data)]
    return [
        (f"{path.name}.{number:03d}", data[start : start + limit])
        for number, start in enumerate(range(0, len(data), limit), start=1)
    ]
