"""SOP compliance (/kepatuhan, and the archive): each step's time from the audit trail.

The audit trail, the approvals and the units' submissions of each cycle are read here into
the plain ``CycleTrail`` of ``bot.domain.compliance``, which does the measuring in the
office's own time (its hours, national holidays and days off).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
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
    assert office.id is not None
    return measure_offices(session, offices=[office], year=year, now=now, tz=tz)[office.id]


def measure_offices(
    session: Session, *, offices: Sequence[Office], year: int | None, now: datetime, tz: ZoneInfo
) -> dict[int, list[CycleCompliance]]:
    """Measure the cycles of several offices at once (a province), each oldest first.

    The statements are as many for eleven offices as for one: every table is read once
    for all their cycles.
    """
    ids = [office.id for office in offices if office.id is not None]
    query = select(Cycle).where(col(Cycle.office_id).in_(ids), col(Cycle.status).in_(sorted(RAN)))
    if year is not None:
        query = query.where(Cycle.year == year)
    cycles = list(
        session.exec(query.order_by(col(Cycle.year), col(Cycle.created_at), col(Cycle.id)))
    )
    trails = load_trails(session, cycles=cycles)
    measured: dict[int, list[CycleCompliance]] = {office_id: [] for office_id in ids}
    for office in offices:
        own = [
            trail
            for cycle, trail in zip(cycles, trails, strict=True)
            if cycle.office_id == office.id
        ]
        if not own or office.id is None:
            continue
        calendar = office_calendar(office, years=sorted(calendar_years(own, now=now, tz=tz)))
        measured[office.id] = [
            measure_cycle(trail, calendar=calendar, tz=tz, now=now) for trail in own
        ]
    return measured


def load_trails(session: Session, *, cycles: Sequence[Cycle]) -> list[CycleTrail]:
    """Read the trails of ``cycles`` (of any offices), in their order, in a fixed number of
    statements."""
    if not cycles:
        return []
    cycle_ids = [cycle.id for cycle in cycles if cycle.id is not None]
    lines = list(
        session.exec(select(CycleIndicator).where(col(CycleIndicator.cycle_id).in_(cycle_ids)))
    )
    submissions = list(
        session.exec(
            select(Submission).where(
                col(Submission.cycle_indicator_id).in_([line.id for line in lines])
            )
        )
    )
    cycle_of_line = {line.id: line.cycle_id for line in lines}
    cycle_of_submission = {str(s.id): cycle_of_line[s.cycle_indicator_id] for s in submissions}
    # Draft events are named "<cycle>:<version>"; they are matched to their cycle below.
    own = or_(
        (col(AuditEvent.object_type) == "cycle")
        & col(AuditEvent.object_id).in_([str(cycle_id) for cycle_id in cycle_ids])
        & col(AuditEvent.action).in_(CYCLE_ACTIONS),
        col(AuditEvent.action).in_(DRAFT_ACTIONS),
        (col(AuditEvent.action) == SUBMISSION_FLAGGED)
        & col(AuditEvent.object_id).in_(list(cycle_of_submission)),
    )
    rows = session.exec(
        select(AuditEvent)
        .where(col(AuditEvent.office_id).in_(sorted({c.office_id for c in cycles})), own)
        .order_by(col(AuditEvent.at), col(AuditEvent.id))
    )
    events: dict[int, list[TrailEvent]] = defaultdict(list)
    for row in rows:
        owner = _cycle_of_event(row, cycle_of_submission)
        if owner is not None:
            events[owner].append(TrailEvent(row.at, row.action, row.actor, _version(row)))
    deliveries = {
        delivery.cycle_id: delivery
        for delivery in session.exec(
            select(ReportDelivery).where(col(ReportDelivery.cycle_id).in_(cycle_ids))
        )
        # A Surat Pengantar waiting for approval: nothing was sent yet.
        if delivery.letter_approved_at is not None
    }
    reviews = _reviews(session, cycle_ids=cycle_ids)
    units = {
        unit.id: unit
        for unit in session.exec(
            select(Unit).where(col(Unit.id).in_(sorted({line.unit_id for line in lines})))
        )
    }
    trails = []
    for cycle in cycles:
        assert cycle.id is not None
        delivery = deliveries.get(cycle.id)
        own_lines = [line for line in lines if line.cycle_id == cycle.id]
        own_ids = {line.id for line in own_lines}
        trails.append(
            CycleTrail(
                cycle_id=cycle.id,
                year=cycle.year,
                period_label=Period(cycle.period).named(cycle.year),
                deadline=cycle.deadline,
                events=tuple(events.get(cycle.id, ())),
                reviews=reviews.get(cycle.id, ()),
                units=_deliveries(
                    units,
                    own_lines,
                    [s for s in submissions if s.cycle_indicator_id in own_ids],
                ),
                submission_deadline=delivery.deadline if delivery else None,
                sent_late=delivery.late if delivery else None,
            )
        )
    return trails


def _cycle_of_event(event: AuditEvent, cycle_of_submission: dict[str, int]) -> int | None:
    """The cycle an event read by ``load_trails`` belongs to (None: another cycle's draft)."""
    object_id = event.object_id or ""
    if event.action == SUBMISSION_FLAGGED and object_id in cycle_of_submission:
        return cycle_of_submission[object_id]
    if event.object_type == "cycle" and event.action in CYCLE_ACTIONS and object_id.isdigit():
        return int(object_id)
    prefix, colon, _ = object_id.partition(":")
    if event.action in DRAFT_ACTIONS and colon and prefix.isdigit():
        return int(prefix)
    return None


def _version(event: AuditEvent) -> int | None:
    version = event.details.get("version")
    if isinstance(version, int):
        return version
    _, _, suffix = (event.object_id or "").partition(":")
    return int(suffix) if suffix.isdigit() else None


def _reviews(session: Session, *, cycle_ids: list[int]) -> dict[int, tuple[ReviewRecord, ...]]:
    rows = session.exec(
        select(Approval, Draft)
        .join(Draft, col(Draft.id) == col(Approval.draft_id))
        .where(col(Draft.cycle_id).in_(cycle_ids))
        .order_by(col(Approval.assigned_at), col(Approval.id))
    ).all()
    ids = {a.reviewer_person_id for a, _ in rows} | {
        a.decided_by_person_id for a, _ in rows if a.decided_by_person_id is not None
    }
    names = {
        person.id: person.name
        for person in session.exec(select(Person).where(col(Person.id).in_(ids)))
    }
    found: dict[int, list[ReviewRecord]] = defaultdict(list)
    for approval, draft in rows:
        found[draft.cycle_id].append(
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
        )
    return {cycle_id: tuple(records) for cycle_id, records in found.items()}


def _deliveries(
    units: dict[int | None, Unit], lines: list[CycleIndicator], submissions: list[Submission]
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
