"""SOP step 2a by spreadsheet: a unit sends back its filled entry template."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlmodel import Session, col, select

from bot import documents
from bot.documents import WorkbookError
from bot.domain.checks import CheckThresholds, Level, check_submission
from bot.domain.collection import LineEvent, line_allows
from bot.domain.cycles import collects
from bot.domain.errors import DomainError, InvalidInput, NotAllowed
from bot.domain.numbers import parse_number
from bot.domain.roles import Role
from bot.messages import entry as messages
from bot.services.entry import copy_evidence, record_submission
from bot.services.lines import LineContext, current_submission, evidence_of, load_line
from bot.services.people import PersonView
from storage.db import Database
from storage.models import Cycle, CycleIndicator, Indicator, Office, Unit

# What a refused row says in the workbook's own words, where the chat's sentence would not fit.
_ROW_REASONS = {
    "evidence_missing": messages.ROW_EVIDENCE_MISSING,
    "pendukung_missing": messages.ROW_PENDUKUNG_MISSING,
}


@dataclass
class WorkbookOutcome:
    """What became of each row of an uploaded workbook."""

    accepted: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def message(self, *, unit_name: str, period_label: str) -> str:
        """Summarise the upload for the person who sent it."""
        return messages.workbook_outcome(
            unit_name=unit_name,
            period_label=period_label,
            accepted=self.accepted,
            warnings=self.warnings,
            rejected=self.rejected,
        )


def submit_entry_workbook(
    *, db: Database, actor: PersonView, data: bytes, now: datetime
) -> tuple[str, bool]:
    """Check every row of the upload and store the good ones as new versions.

    Returns the summary message and whether anything was stored. A file-level problem (not
    an xlsx, another unit's, another cycle's, changed headers) refuses the whole file.
    """
    if not actor.has_role(Role.STAF, Role.KASUBBAG) or actor.unit_code is None:
        raise NotAllowed(messages.NOT_A_WORKBOOK_SENDER)
    try:
        parsed = documents.parse_entry_workbook(data)
    except WorkbookError as error:
        raise InvalidInput(messages.workbook_unreadable(error.report())) from None
    meta = parsed.meta
    with db.session() as session:
        office = session.get(Office, actor.office_id)
        assert office is not None
        if meta.office_code != office.code:
            raise InvalidInput(messages.NOT_OUR_OFFICE)
        if meta.unit_code != actor.unit_code:
            raise InvalidInput(
                messages.workbook_of_another_unit(
                    unit_name=meta.unit_name, own_unit=f"{actor.unit_name}"
                )
            )
        cycle = session.get(Cycle, meta.cycle_id)
        if (
            cycle is None
            or cycle.office_id != office.id
            or cycle.year != meta.year
            or cycle.period != meta.period
        ):
            raise InvalidInput(messages.workbook_of_another_period(meta.period_label))
        if not collects(cycle.status):
            raise InvalidInput(messages.collection_closed(meta.period_label))
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
            label = messages.row_label(row_number=row.row_number, code=row.code)
            line = lines.get(row.code)
            if line is None:
                outcome.rejected.append(f"{label}: {messages.ROW_UNKNOWN_CODE}")
                continue
            if row.code in seen:
                outcome.rejected.append(f"{label}: {messages.ROW_TWICE}")
                continue
            seen.add(row.code)
            assert line.id is not None
            context = load_line(session, line_id=line.id, office_id=actor.office_id)
            try:
                _store_row(
                    session,
                    context=context,
                    row=row,
                    pendukung_asked=parsed.asks_pendukung,
                    actor=actor,
                    now=now,
                    outcome=outcome,
                )
            except DomainError as error:
                outcome.rejected.append(f"{label}: {error.message}")
        if outcome.accepted and not parsed.asks_pendukung:
            outcome.warnings.append(messages.WORKBOOK_WITHOUT_PENDUKUNG)
        session.commit()
        return outcome.message(unit_name=unit.name, period_label=meta.period_label), bool(
            outcome.accepted
        )


def _store_row(
    session: Session,
    *,
    context: LineContext,
    row: documents.EntryRow,
    pendukung_asked: bool,
    actor: PersonView,
    now: datetime,
    outcome: WorkbookOutcome,
) -> None:
    if not line_allows(context.line.status, LineEvent.SUBMIT):
        raise InvalidInput(messages.ROW_ACCEPTED)
    if row.realisasi is None:
        raise InvalidInput(messages.ROW_NO_REALISASI)
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
        pendukung=row.pendukung,
        kendala=row.kendala,
        upaya=row.upaya,
        thresholds=CheckThresholds(),
        # A template sent before the column existed never asked: its rows are taken without.
        pendukung_asked=pendukung_asked,
    )
    errors = [f for f in findings if f.level is Level.ERROR]
    if errors:
        reasons = "; ".join(_ROW_REASONS.get(f.code, f.message) for f in errors)
        raise InvalidInput(reasons)
    warnings = [f for f in findings if f.level is Level.WARNING]
    submission = record_submission(
        session,
        context=context,
        actor=actor,
        realisasi=value,
        penjelasan=row.penjelasan or "",
        pendukung=row.pendukung,
        kendala=row.kendala,
        upaya=row.upaya,
        warnings=[f.code for f in warnings],
        source="xlsx",
        now=now,
    )
    assert submission.id is not None
    copy_evidence(session, submission_id=submission.id, evidence=carried)
    outcome.accepted.append(
        messages.row_stored(
            code=context.indicator.code,
            capaian=context.capaian(value),
            version=submission.version,
        )
    )
    outcome.warnings += [f"{context.indicator.code}: {f.message}" for f in warnings]
