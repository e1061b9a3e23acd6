"""SOP step 2a by spreadsheet: a unit sends back its filled entry template."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlmodel import Session, col, select

from bot import documents
from bot.documents import WorkbookError
from bot.domain.checks import CheckThresholds, Level, check_submission
from bot.domain.errors import DomainError, InvalidInput, NotAllowed
from bot.domain.numbers import format_percent, parse_number
from bot.domain.roles import Role
from bot.services.entry import copy_evidence, record_submission
from bot.services.lines import LineContext, current_submission, evidence_of, load_line
from bot.services.people import PersonView
from storage.db import Database
from storage.models import Cycle, CycleIndicator, Indicator, Office, Unit


@dataclass
class WorkbookOutcome:
    """What became of each row of an uploaded workbook."""

    accepted: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def message(self, *, unit_name: str, period_label: str) -> str:
        """Summarise the upload for the person who sent it."""
        lines = [f"📊 Template {unit_name} · {period_label}"]
        if self.accepted:
            lines.append(f"\n✅ Diterima ({len(self.accepted)}):")
            lines += [f"• {item}" for item in self.accepted]
        if self.warnings:
            lines.append("\n⚠️ Mohon periksa kembali:")
            lines += [f"• {item}" for item in self.warnings]
        if self.rejected:
            lines.append(f"\n❌ Ditolak ({len(self.rejected)}):")
            lines += [f"• {item}" for item in self.rejected]
            lines.append("Perbaiki baris yang ditolak lalu kirim ulang, atau isi lewat tombol.")
        return "\n".join(lines)


def submit_entry_workbook(
    *, db: Database, actor: PersonView, data: bytes, now: datetime
) -> tuple[str, bool]:
    """Check every row of the upload and store the good ones as new versions.

    Returns the summary message and whether anything was stored. A file-level problem (not
    an xlsx, another unit's, another cycle's, changed headers) refuses the whole file.
    """
    if not actor.has_role(Role.STAF, Role.KASUBBAG) or actor.unit_code is None:
        raise NotAllowed("Maaf, hanya staf dan Kasubbag sebuah unit yang dapat mengirim isian.")
    try:
        parsed = documents.parse_entry_workbook(data)
    except WorkbookError as error:
        raise InvalidInput("Berkas tidak dapat diproses:\n" + error.report()) from None
    meta = parsed.meta
    with db.session() as session:
        office = session.get(Office, actor.office_id)
        assert office is not None
        if meta.office_code != office.code:
            raise InvalidInput(
                "Berkas ini bukan template dari kantor Anda. Gunakan template yang dikirim bot."
            )
        if meta.unit_code != actor.unit_code:
            raise InvalidInput(
                f"Berkas ini template milik unit {meta.unit_name}, bukan {actor.unit_name}. "
                "Anda hanya dapat mengirim data unit Anda sendiri."
            )
        cycle = session.get(Cycle, meta.cycle_id)
        if (
            cycle is None
            or cycle.office_id != office.id
            or cycle.year != meta.year
            or cycle.period != meta.period
        ):
            raise InvalidInput(
                f"Berkas ini untuk periode {meta.period_label} yang tidak sedang dikumpulkan. "
                "Gunakan template terbaru yang dikirim bot."
            )
        if cycle.status != "open":
            raise InvalidInput(f"Pengumpulan data {meta.period_label} sudah ditutup.")
        unit = session.exec(
            select(Unit).where(Unit.office_id == office.id, Unit.code == meta.unit_code)
        ).one()
        lines = {
            indicator.code: line
            for line, indicator in session.exec(
                select(CycleIndicator, Indicator)
                .join(Indicator, col(Indicator.id) == col(CycleIndicator.indicator_id))
                .where(CycleIndicator.cycle_id == cycle.id, CycleIndicator.unit_id == unit.id)
            )
        }
        outcome = WorkbookOutcome()
        seen: set[str] = set()
        for row in parsed.rows:
            label = f"baris {row.row_number} ({row.code or 'tanpa kode'})"
            line = lines.get(row.code)
            if line is None:
                outcome.rejected.append(f"{label}: kode indikator tidak dikenal untuk unit ini")
                continue
            if row.code in seen:
                outcome.rejected.append(f"{label}: indikator ini muncul dua kali")
                continue
            seen.add(row.code)
            assert line.id is not None
            context = load_line(session, line_id=line.id, office_id=actor.office_id)
            try:
                _store_row(session, context=context, row=row, actor=actor, now=now, outcome=outcome)
            except DomainError as error:
                outcome.rejected.append(f"{label}: {error.message}")
        session.commit()
        return outcome.message(unit_name=unit.name, period_label=meta.period_label), bool(
            outcome.accepted
        )


def _store_row(
    session: Session,
    *,
    context: LineContext,
    row: documents.EntryRow,
    actor: PersonView,
    now: datetime,
    outcome: WorkbookOutcome,
) -> None:
    if context.line.status == "accepted":
        raise InvalidInput("data sudah diterima Tim; hubungi Tim bila perlu koreksi")
    if row.realisasi is None:
        raise InvalidInput("kolom Realisasi kosong")
    value = (
        row.realisasi if isinstance(row.realisasi, Decimal) else parse_number(row.realisasi).value
    )
    previous = current_submission(session, context.line)
    carried = evidence_of(session, previous.id if previous else None)
    findings = check_submission(
        realisasi=value,
        satuan=context.indicator.satuan,
        target=context.target,
        polarity=context.polarity,
        evidence_required=context.indicator.evidence_required,
        evidence_count=len(carried),
        penjelasan=row.penjelasan,
        kendala=row.kendala,
        upaya=row.upaya,
        thresholds=CheckThresholds(),
    )
    errors = [f for f in findings if f.level is Level.ERROR]
    if errors:
        reasons = "; ".join(
            "bukti wajib belum ada — unggah lewat chat (tombol Mulai isi data)"
            if f.code == "evidence_missing"
            else f.message
            for f in errors
        )
        raise InvalidInput(reasons)
    warnings = [f for f in findings if f.level is Level.WARNING]
    submission = record_submission(
        session,
        context=context,
        actor=actor,
        realisasi=value,
        penjelasan=row.penjelasan or "",
        kendala=row.kendala,
        upaya=row.upaya,
        warnings=[f.code for f in warnings],
        source="xlsx",
        now=now,
    )
    assert submission.id is not None
    copy_evidence(session, submission_id=submission.id, evidence=carried)
    capaian = context.capaian(value)
    shown = format_percent(capaian.value) if capaian.value is not None else "-"
    outcome.accepted.append(
        f"{context.indicator.code}: capaian {shown} (versi {submission.version})"
    )
    outcome.warnings += [f"{context.indicator.code}: {f.message}" for f in warnings]
