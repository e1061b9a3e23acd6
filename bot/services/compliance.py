"""SOP compliance (/kepatuhan, and the archive): each step's time from the audit trail.

The audit trail, the approvals and the units' submissions of each cycle are read here into
the plain ``CycleTrail`` of ``bot.domain.compliance``, which does the measuring in the
office's own time (its hours, national holidays and days off).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import or_
from sqlmodel import Session, col, select

from bot import documents
from bot.domain.collection import LineStatus
from bot.domain.compliance import (
    CYCLE_ACTIONS,
    DRAFT_ACTIONS,
    SUBMISSION_FLAGGED,
    CycleCompliance,
    CycleTrail,
    ReviewRecord,
    TrailEvent,
    UnitDelivery,
    calendar_years,
    comparison_lines,
    measure_cycle,
    summary_lines,
)
from bot.domain.cycles import RAN
from bot.domain.errors import NotFound
from bot.domain.periods import Period
from bot.domain.roles import Role
from bot.messages import compliance as messages
from bot.messages.analysis import NO_CYCLE_YET
from bot.services.common import load_office, office_calendar, require_role
from bot.services.people import PersonView
from storage.db import Database
from storage.models import (
    Approval,
    AuditEvent,
    Cycle,
    CycleIndicator,
    Draft,
    Office,
    Person,
    ReportDelivery,
    Submission,
    Unit,
)

VIEWERS = (Role.RENDATIN, Role.SEKRETARIS, Role.PIMPINAN, Role.ADMIN)
WIB = ZoneInfo("Asia/Jakarta")


@dataclass(frozen=True)
class ComplianceReport:
    """The /kepatuhan answer: the summary, a chart per cycle shown, and the workbook."""

    text: str
    charts: list[tuple[str, bytes]]  # caption, PNG
    workbook: bytes
    filename: str


def compliance_report(
    *, db: Database, actor: PersonView, year: int | None, now: datetime, tz: ZoneInfo
) -> ComplianceReport:
    """Measure the SOP steps: the latest cycle (or every cycle of ``year``) and the comparison."""
    require_role(actor, *VIEWERS, message=messages.NOT_VIEWER)
    with db.session() as session:
        office = load_office(session, actor.office_id)
        everything = measure_office(session, office=office, year=None, now=now, tz=tz)
    if not everything:
        raise NotFound(NO_CYCLE_YET)
    if year is None:
        shown = [everything[-1]]
        chosen = everything
    else:
        shown = chosen = [cycle for cycle in everything if cycle.year == year]
        if not shown:
            years = sorted({cycle.year for cycle in everything})
            raise NotFound(messages.no_cycle_in(year, years))
    lines: list[str] = []
    for cycle in shown:
        lines += [*summary_lines(cycle), ""]
    if len(everything) > 1:
        lines += comparison_lines(everything)
        lines.append("")
    lines.append(messages.HOW_MEASURED)
    charts = [
        (messages.chart_caption(cycle.period_label), documents.compliance_chart(cycle))
        for cycle in shown
    ]
    workbook = documents.build_compliance_workbook(
        office_name=office.name, scope=messages.scope(year), cycles=chosen, tz=tz
    )
    filename = messages.workbook_filename(office.name, year)
    return ComplianceReport("\n".join(lines).strip(), charts, workbook, filename)


def compliance_workbook(
    db: Database,
    office_id: int,
    year: int | None,
    *,
    now: datetime,
    tz: ZoneInfo = WIB,
) -> bytes:
    """Build the compliance .xlsx of one year's cycles (every cycle when ``year`` is None).

    Callable without Telegram, e.g. when a cycle is archived. ``now`` only matters for steps
    still running, which are counted up to it.
    """
    with db.session() as session:
        office = load_office(session, office_id)
        cycles = measure_office(session, office=office, year=year, now=now, tz=tz)
        name = office.name
    return documents.build_compliance_workbook(
        office_name=name, scope=messages.scope(year), cycles=cycles, tz=tz
    )


def measure_office(
    session: Session, *, office: Office, year: int | None, now: datetime, tz: ZoneInfo
) -> list[CycleCompliance]:
    """Measure every cycle of the office (of ``year`` only, when given), oldest first."""
    query = select(Cycle).where(Cycle.office_id == office.id, col(Cycle.status).in_(sorted(RAN)))
    if year is not None:
        query = query.where(Cycle.year == year)
    cycles = session.exec(query.order_by(col(Cycle.year), col(Cycle.created_at), col(Cycle.id)))
    trails = [load_trail(session, cycle=cycle) for cycle in cycles]
    if not trails:
        return []
    calendar = office_calendar(office, years=sorted(calendar_years(trails, now=now, tz=tz)))
    return [measure_cycle(trail, calendar=calendar, tz=tz, now=now) for trail in trails]


def load_trail(session: Session, *, cycle: Cycle) -> CycleTrail:
    """Read one cycle's audit trail, approvals and units' first answers."""
    assert cycle.id is not None
    cycle_id = str(cycle.id)
    lines = list(session.exec(select(CycleIndicator).where(CycleIndicator.cycle_id == cycle.id)))
    submissions = list(
        session.exec(
            select(Submission).where(
                col(Submission.cycle_indicator_id).in_([line.id for line in lines])
            )
        )
    )
    own = or_(
        (col(AuditEvent.object_type) == "cycle")
        & (col(AuditEvent.object_id) == cycle_id)
        & col(AuditEvent.action).in_(CYCLE_ACTIONS),
        col(AuditEvent.object_id).startswith(f"{cycle_id}:")
        & col(AuditEvent.action).in_(DRAFT_ACTIONS),
        (col(AuditEvent.action) == SUBMISSION_FLAGGED)
        & col(AuditEvent.object_id).in_([str(s.id) for s in submissions]),
    )
    rows = session.exec(
        select(AuditEvent)
        .where(AuditEvent.office_id == cycle.office_id, own)
        .order_by(col(AuditEvent.at), col(AuditEvent.id))
    )
    events = tuple(TrailEvent(row.at, row.action, row.actor, _version(row)) for row in rows)
    delivery = session.exec(
        select(ReportDelivery).where(ReportDelivery.cycle_id == cycle.id)
    ).first()
    if delivery is not None and delivery.letter_approved_at is None:
        delivery = None  # a Surat Pengantar waiting for approval: nothing was sent yet
    return CycleTrail(
        cycle_id=cycle.id,
        year=cycle.year,
        period_label=f"{Period(cycle.period).label} {cycle.year}",
        deadline=cycle.deadline,
        events=events,
        reviews=_reviews(session, cycle_id=cycle.id),
        units=_deliveries(session, lines, submissions),
        submission_deadline=delivery.deadline if delivery else None,
        sent_late=delivery.late if delivery else None,
    )


def _version(event: AuditEvent) -> int | None:
    version = event.details.get("version")
    if isinstance(version, int):
        return version
    _, _, suffix = (event.object_id or "").partition(":")
    return int(suffix) if suffix.isdigit() else None


def _reviews(session: Session, *, cycle_id: int) -> tuple[ReviewRecord, ...]:
    rows = session.exec(
        select(Approval, Draft)
        .join(Draft, col(Draft.id) == col(Approval.draft_id))
        .where(Draft.cycle_id == cycle_id)
        .order_by(col(Approval.assigned_at), col(Approval.id))
    ).all()
    ids = {a.reviewer_person_id for a, _ in rows} | {
        a.decided_by_person_id for a, _ in rows if a.decided_by_person_id is not None
    }
    names = {
        person.id: person.name
        for person in session.exec(select(Person).where(col(Person.id).in_(ids)))
    }
    return tuple(
        ReviewRecord(
            version=draft.version,
            stage=approval.stage,
            reviewer=names.get(approval.reviewer_person_id, "?"),
            decision=approval.decision,
            assigned_at=approval.assigned_at,
            decided_at=approval.decided_at,
            decided_by=names.get(approval.decided_by_person_id)
            if approval.decided_by_person_id is not None
            else None,
            acting_title=approval.acting_title,
        )
        for approval, draft in rows
    )


def _deliveries(
    session: Session, lines: list[CycleIndicator], submissions: list[Submission]
) -> tuple[UnitDelivery, ...]:
    """When each unit's data was complete: the latest first answer among its owed lines.

    A line rendatin marked "tidak ada data" is owed nothing. Corrections asked for later
    (step 2b) do not make a unit late: only its first answer to each line counts.
    """
    first: dict[int, datetime] = {}
    for submission in submissions:
        earlier = first.get(submission.cycle_indicator_id)
        if earlier is None or submission.submitted_at < earlier:
            first[submission.cycle_indicator_id] = submission.submitted_at
    owed: dict[int, list[datetime | None]] = defaultdict(list)
    for line in lines:
        if line.status != LineStatus.NO_DATA and line.id is not None:
            owed[line.unit_id].append(first.get(line.id))
    units = {
        unit.id: unit for unit in session.exec(select(Unit).where(col(Unit.id).in_(list(owed))))
    }
    ordered = sorted(owed, key=lambda unit_id: units[unit_id].number if unit_id in units else 0)
    return tuple(
        UnitDelivery(
            unit=units[unit_id].name if unit_id in units else str(unit_id),
            delivered_at=None
            if any(moment is None for moment in owed[unit_id])
            else max(moment for moment in owed[unit_id] if moment is not None),
        )
        for unit_id in ordered
    )
