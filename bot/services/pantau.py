"""/pantau: the KPU Provinsi's read-only view of its kabupaten/kota cycles for a year.

Every table is read once for all the children, so the view makes as many statements for
ten offices of fifteen indicators as for two of three. Nothing here writes a child's data;
the daily reminder of late reports (``late_reports``) is queued by the reminder sweep.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot import documents
from bot.domain.approval import Decision
from bot.domain.collection import LineStatus
from bot.domain.cycles import RAN, CycleStatus
from bot.domain.errors import NotAllowed
from bot.domain.organisation import SubmissionDeadlineSpec
from bot.domain.periods import Period
from bot.domain.province import ChildCycle, late_children
from bot.domain.roles import Role
from bot.messages import province as say
from bot.services.common import load_office, require_role
from bot.services.compliance import measure_offices
from bot.services.delivery import report_deadline
from bot.services.people import PersonView
from storage.db import Database
from storage.models import Approval, Cycle, CycleIndicator, Draft, Office, ReportDelivery
from storage.queries import child_offices

VIEWERS = (Role.PROVINSI, Role.RENDATIN, Role.SEKRETARIS, Role.PIMPINAN)
ANSWERED = frozenset(
    {LineStatus.SUBMITTED, LineStatus.FLAGGED, LineStatus.ACCEPTED, LineStatus.NO_DATA}
)
ACCEPTED = frozenset({LineStatus.ACCEPTED, LineStatus.NO_DATA})


@dataclass(frozen=True)
class ProvinceReport:
    """The /pantau answer: the message, the chart across offices and the workbook."""

    text: str
    chart: bytes
    workbook: bytes
    filename: str


def pantau(
    *, db: Database, actor: PersonView, year: int | None, now: datetime, tz: ZoneInfo
) -> ProvinceReport:
    """Show every child office's cycle of ``year`` (default: the newest year any child has)."""
    require_role(actor, *VIEWERS, message=say.NOT_VIEWER)
    today = now.astimezone(tz).date()
    with db.session() as session:
        parent = load_office(session, actor.office_id)
        children = child_offices(session, parent_id=actor.office_id)
        if not children:
            raise NotAllowed(say.NO_CHILDREN)
        if year is None:
            year = _newest_year(session, children) or today.year
        rows = child_cycles(session, children=children, year=year)
        measured = measure_offices(session, offices=children, year=year, now=now, tz=tz)
        parent_name = parent.name
        names = {office.id: office.name for office in children}
    text = say.overview(parent_name=parent_name, year=year, children=rows, today=today, tz=tz)
    chart = documents.province_chart(
        rows, title=f"Kemajuan Laporan Kinerja Tahun {year}", today=today
    )
    workbook = documents.build_province_workbook(
        parent_name=parent_name,
        year=year,
        children=rows,
        compliance=[(names[office_id], cycles) for office_id, cycles in measured.items()],
        today=today,
        tz=tz,
    )
    return ProvinceReport(text, chart, workbook, say.workbook_filename(parent_name, year))


def _newest_year(session: Session, children: Sequence[Office]) -> int | None:
    query = select(func.max(Cycle.year)).where(
        col(Cycle.office_id).in_([office.id for office in children]),
        col(Cycle.status).in_(sorted(RAN)),
    )
    return session.exec(query).one()


def child_cycles(session: Session, *, children: Sequence[Office], year: int) -> list[ChildCycle]:
    """Read where each child's cycle of ``year`` stands (its annual one, else its newest)."""
    ids = [office.id for office in children]
    cycles: dict[int, Cycle] = {}
    for found in session.exec(
        select(Cycle)
        .where(col(Cycle.office_id).in_(ids), Cycle.year == year)
        .where(col(Cycle.status) != CycleStatus.CANCELLED.value)
        .order_by(col(Cycle.created_at), col(Cycle.id))
    ):
        chosen = cycles.get(found.office_id)
        if chosen is None or chosen.period != Period.TAHUNAN.value:
            cycles[found.office_id] = found
    cycle_ids = [cycle.id for cycle in cycles.values()]
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for cycle_id, status, count in session.exec(
        select(CycleIndicator.cycle_id, CycleIndicator.status, func.count())
        .where(col(CycleIndicator.cycle_id).in_(cycle_ids))
        .group_by(col(CycleIndicator.cycle_id), col(CycleIndicator.status))
    ):
        counts[cycle_id][status] = count
    newest: dict[int, Draft] = {}
    for version in session.exec(select(Draft).where(col(Draft.cycle_id).in_(cycle_ids))):
        if version.cycle_id not in newest or version.version > newest[version.cycle_id].version:
            newest[version.cycle_id] = version
    decisions: dict[int, list[str]] = defaultdict(list)
    for draft_id, decision in session.exec(
        select(Approval.draft_id, Approval.decision).where(
            col(Approval.draft_id).in_([version.id for version in newest.values()]),
            col(Approval.decision) != Decision.CANCELLED.value,
        )
    ):
        decisions[draft_id].append(decision)
    deliveries = {
        delivery.cycle_id: delivery
        for delivery in session.exec(
            select(ReportDelivery).where(col(ReportDelivery.cycle_id).in_(cycle_ids))
        )
    }
    rows = []
    for office in children:
        assert office.id is not None
        spec = SubmissionDeadlineSpec.model_validate(office.settings.get("batas_kirim", {}))
        cycle = cycles.get(office.id)
        if cycle is None or cycle.id is None:
            rows.append(_not_started(office, report_deadline(Period.TAHUNAN, year, spec)))
            continue
        lines = counts.get(cycle.id, {})
        draft = newest.get(cycle.id)
        decided = decisions.get(draft.id or 0, []) if draft else []
        delivery = deliveries.get(cycle.id)
        rows.append(
            ChildCycle(
                office_code=office.code,
                office_name=office.name,
                period_label=Period(cycle.period).named(cycle.year),
                nota_dinas_sent_at=cycle.sent_at,
                indicators=sum(lines.values()),
                answered=sum(n for status, n in lines.items() if status in ANSWERED),
                accepted=sum(n for status, n in lines.items() if status in ACCEPTED),
                draft_version=draft.version if draft else None,
                draft_status=draft.status if draft else None,
                decided=sum(1 for d in decided if d == Decision.APPROVED.value),
                reviewers=len(decided),
                signed_at=draft.signed_at if draft else None,
                sent_at=delivery.sent_at if delivery else None,
                received_at=delivery.received_at if delivery else None,
                deadline=delivery.deadline
                if delivery
                else report_deadline(Period(cycle.period), cycle.year, spec),
                sent_late=delivery.late if delivery else None,
            )
        )
    return rows


def _not_started(office: Office, deadline: date) -> ChildCycle:
    return ChildCycle(
        office_code=office.code,
        office_name=office.name,
        period_label=None,
        nota_dinas_sent_at=None,
        indicators=0,
        answered=0,
        accepted=0,
        draft_version=None,
        draft_status=None,
        decided=0,
        reviewers=0,
        signed_at=None,
        sent_at=None,
        received_at=None,
        deadline=deadline,
        sent_late=None,
    )


def late_reports_text(session: Session, *, parent: Office, today: date) -> str | None:
    """The reminder to the parent's provinsi people of children's reports past batas_kirim.

    The cycles of this year and the last are looked at (an annual report is due early in
    the next year); None when no report is late. The reminder sweep sends it once a working
    day (``bot.services.reminder_sweep``).
    """
    assert parent.id is not None
    children = child_offices(session, parent_id=parent.id)
    if not children:
        return None
    parts = []
    for year in (today.year - 1, today.year):
        late = late_children(child_cycles(session, children=children, year=year), today)
        if late:
            parts.append(say.late_reminder(year=year, children=late))
    return "\n\n".join(parts) or None
