"""Import the year's Perjanjian Kinerja (sasaran and indicators) without losing submitted data."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from bot import documents
from bot.documents import WorkbookError
from bot.domain.cycles import CycleStatus
from bot.domain.errors import InvalidInput
from bot.domain.performance import (
    IndicatorSpec,
    NationalStandard,
    PerjanjianKinerja,
    Polarity,
    Target,
)
from bot.domain.pk_spec import parse_target, target_as_written
from bot.domain.roles import Role
from bot.messages import perjanjian as messages
from bot.services.audit import record_event
from bot.services.common import NOT_RENDATIN, require_role, responsible_names
from bot.services.lines import year_lock
from bot.services.people import PersonView
from storage.db import Database
from storage.models import (
    Cycle,
    CycleIndicator,
    Indicator,
    Sasaran,
    Submission,
)
from storage.queries import units_of_office

_TARGET_YEAR = re.compile(r"^target\s+(\d{4})$", re.IGNORECASE)


@dataclass
class PkImportReport:
    """What a Perjanjian Kinerja import changed."""

    year: int
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    targets_changed_with_data: list[str] = field(default_factory=list)
    added_to_open_cycles: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Tell whether anything changed."""
        return bool(self.created or self.updated or self.removed)

    def summary(self) -> str:
        """Describe the import in Indonesian (the CLI and the bot show it)."""
        return messages.import_summary(
            year=self.year,
            created=self.created,
            updated=self.updated,
            removed=self.removed,
            targets_changed_with_data=self.targets_changed_with_data,
            added_to_open_cycles=self.added_to_open_cycles,
        )


def indicator_spec(indicator: Indicator, sasaran: Sasaran, unit_code: str) -> IndicatorSpec:
    """Rebuild the domain view of a stored indicator."""
    renstra = (
        Target(indicator.renstra_low, indicator.renstra_high or indicator.renstra_low)
        if indicator.renstra_low is not None
        else None
    )
    return IndicatorSpec(
        code=indicator.code,
        sasaran_code=sasaran.code,
        sasaran_name=sasaran.name,
        name=indicator.name,
        satuan=indicator.satuan,
        polarity=Polarity(indicator.polarity),
        target=Target(Decimal(indicator.target_low), Decimal(indicator.target_high)),
        unit_code=unit_code,
        evidence_required=indicator.evidence_required,
        renstra_target=renstra,
        history={int(year): Decimal(value) for year, value in indicator.history.items()},
        history_targets={
            int(year): parse_target(value) for year, value in indicator.history_targets.items()
        },
        national_standard=(
            NationalStandard(
                Target(indicator.national_low, indicator.national_high or indicator.national_low),
                indicator.national_source,
            )
            if indicator.national_low is not None
            else None
        ),
    )


def _values(spec: IndicatorSpec, sasaran_id: int, unit_id: int) -> dict[str, Any]:
    renstra = spec.renstra_target
    standard = spec.national_standard
    return {
        "sasaran_id": sasaran_id,
        "name": spec.name,
        "satuan": spec.satuan,
        "polarity": spec.polarity.value,
        "target_low": spec.target.low,
        "target_high": spec.target.high,
        "renstra_low": renstra.low if renstra else None,
        "renstra_high": renstra.high if renstra else None,
        "unit_id": unit_id,
        "evidence_required": spec.evidence_required,
        "history": {str(year): str(value) for year, value in sorted(spec.history.items())},
        "history_targets": {
            str(year): target_as_written(target)
            for year, target in sorted(spec.history_targets.items())
        },
        "national_low": standard.value.low if standard else None,
        "national_high": standard.value.high if standard else None,
        "national_source": standard.source if standard else None,
        "active": True,
    }


def _differs(indicator: Indicator, values: dict[str, Any]) -> bool:
    for name, value in values.items():
        current = getattr(indicator, name)
        if isinstance(value, Decimal) or isinstance(current, Decimal):
            if (current is None) != (value is None) or (
                current is not None and Decimal(current) != Decimal(value)
            ):
                return True
        elif current != value:
            return True
    return False


def import_perjanjian_kinerja(
    *,
    db: Database,
    office_id: int,
    pk: PerjanjianKinerja,
    now: datetime,
    actor: str,
    actor_person_id: int | None = None,
) -> PkImportReport:
    """Create or update the year's indicators; refuse to drop an indicator that has data."""
    with db.session() as session:
        units = {u.code: u for u in units_of_office(session, office_id=office_id) if u.active}
        unknown = sorted({s.unit_code for s in pk.indicators} - set(units))
        if unknown:
            raise InvalidInput(messages.unknown_units(unknown))
        existing = {
            i.code: i
            for i in session.exec(
                select(Indicator).where(Indicator.office_id == office_id, Indicator.year == pk.year)
            )
        }
        wanted = {spec.code for spec in pk.indicators}
        with_data = _indicators_with_data(session, [i.id for i in existing.values() if i.id])
        lost = sorted(
            code
            for code, i in existing.items()
            if code not in wanted and i.id in with_data and i.active
        )
        if lost:
            raise InvalidInput(messages.would_lose_data(lost))
        report = PkImportReport(year=pk.year)
        sasaran_ids = _sync_sasaran(session, office_id=office_id, pk=pk)
        for spec in pk.indicators:
            unit = units[spec.unit_code]
            assert unit.id is not None
            values = _values(spec, sasaran_ids[spec.sasaran_code], unit.id)
            indicator = existing.get(spec.code)
            if indicator is None:
                indicator = Indicator(office_id=office_id, year=pk.year, code=spec.code, **values)
                session.add(indicator)
                report.created.append(spec.code)
            elif _differs(indicator, values):
                target_changed = (
                    Decimal(indicator.target_low) != spec.target.low
                    or Decimal(indicator.target_high) != spec.target.high
                )
                if target_changed and indicator.id in with_data:
                    report.targets_changed_with_data.append(spec.code)
                for name, value in values.items():
                    setattr(indicator, name, value)
                report.updated.append(spec.code)
        for code, indicator in existing.items():
            if code not in wanted and indicator.active:
                indicator.active = False
                report.removed.append(code)
        locked = year_lock(session, office_id=office_id, year=pk.year) if report.changed else None
        if locked is not None:
            session.rollback()
            raise InvalidInput(messages.locked(year=pk.year, reason=locked))
        session.flush()
        _sync_live_cycles(session, office_id=office_id, year=pk.year, report=report)
        if report.changed:
            record_event(
                session,
                now=now,
                actor=actor,
                actor_person_id=actor_person_id,
                action="pk.imported",
                object_type="perjanjian_kinerja",
                object_id=pk.year,
                office_id=office_id,
                details={
                    "created": report.created,
                    "updated": report.updated,
                    "removed": report.removed,
                    "targets_changed_with_data": report.targets_changed_with_data,
                },
            )
        session.commit()
        return report


def _indicators_with_data(session: Session, indicator_ids: list[int]) -> set[int]:
    if not indicator_ids:
        return set()
    query = (
        select(CycleIndicator.indicator_id)
        .join(Submission, col(Submission.cycle_indicator_id) == col(CycleIndicator.id))
        .where(col(CycleIndicator.indicator_id).in_(indicator_ids))
    )
    return set(session.exec(query))


def _sync_sasaran(session: Session, *, office_id: int, pk: PerjanjianKinerja) -> dict[str, int]:
    current = {
        s.code: s
        for s in session.exec(
            select(Sasaran).where(Sasaran.office_id == office_id, Sasaran.year == pk.year)
        )
    }
    for spec in pk.indicators:
        sasaran = current.get(spec.sasaran_code)
        if sasaran is None:
            sasaran = Sasaran(
                office_id=office_id, year=pk.year, code=spec.sasaran_code, name=spec.sasaran_name
            )
            session.add(sasaran)
            current[spec.sasaran_code] = sasaran
        elif sasaran.name != spec.sasaran_name:
            sasaran.name = spec.sasaran_name
    session.flush()
    return {code: s.id for code, s in current.items() if s.id is not None}


def _sync_live_cycles(
    session: Session, *, office_id: int, year: int, report: PkImportReport
) -> None:
    """Keep the Rencana Aksi of a running cycle in step with the new indicator list."""
    cycles = session.exec(
        select(Cycle).where(
            Cycle.office_id == office_id, Cycle.year == year, col(Cycle.status) == CycleStatus.OPEN
        )
    ).all()
    for cycle in cycles:
        lines = {
            line.indicator_id: line
            for line in session.exec(
                select(CycleIndicator).where(CycleIndicator.cycle_id == cycle.id)
            )
        }
        for indicator in session.exec(
            select(Indicator).where(Indicator.office_id == office_id, Indicator.year == year)
        ):
            line = lines.get(indicator.id or 0)
            if indicator.active and line is None:
                assert cycle.id is not None and indicator.id is not None
                session.add(
                    CycleIndicator(
                        cycle_id=cycle.id,
                        indicator_id=indicator.id,
                        unit_id=indicator.unit_id,
                        responsible=responsible_names(session, unit_id=indicator.unit_id),
                        deadline=cycle.deadline,
                    )
                )
                report.added_to_open_cycles.append(indicator.code)
            elif line is None or line.current_version > 0:
                continue  # answered lines stay as they are: nothing submitted is lost
            elif not indicator.active:
                session.delete(line)
            elif line.unit_id != indicator.unit_id:
                line.unit_id = indicator.unit_id


def import_pk_workbook(*, db: Database, actor: PersonView, data: bytes, now: datetime) -> str:
    """Import a Perjanjian Kinerja workbook a rendatin member sent in chat; return the summary."""
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    year = detect_pk_year(data)
    if year is None:
        raise InvalidInput(messages.YEAR_UNREADABLE)
    with db.session() as session:
        units = [u.code for u in units_of_office(session, office_id=actor.office_id) if u.active]
    try:
        pk = documents.parse_pk_workbook(data, year=year, unit_codes=units)
    except WorkbookError as error:
        raise InvalidInput(messages.workbook_unreadable(error.report())) from None
    report = import_perjanjian_kinerja(
        db=db, office_id=actor.office_id, pk=pk, now=now, actor=actor.name, actor_person_id=actor.id
    )
    return report.summary()


def detect_pk_year(data: bytes) -> int | None:
    """Find the year of a PK workbook from its "Target YYYY" header, or None."""
    try:
        workbook = documents.open_workbook(data)
    except WorkbookError:
        return None
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(min_row=1, max_row=10, values_only=True):
            for value in row:
                if isinstance(value, str) and (match := _TARGET_YEAR.match(value.strip())):
                    return int(match[1])
    return None


def looks_like_pk_workbook(data: bytes) -> bool:
    """Tell whether an uploaded workbook is a Perjanjian Kinerja (not an entry template)."""
    return detect_pk_year(data) is not None
