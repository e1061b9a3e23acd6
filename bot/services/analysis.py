"""SOP steps 2a and 2c: measure the cycle's data and analyse it (tables, charts, summary)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from sqlalchemy import update
from sqlmodel import Session, col, select

from bot import documents
from bot.domain.analysis import Analysis
from bot.domain.budget import BudgetLine
from bot.domain.category_scale import CategoryBand
from bot.domain.collection import LineStatus, SubmissionStatus, is_settled
from bot.domain.cycles import SENT
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.domain.measure import IndicatorInput, analyse, summary_lines
from bot.domain.organisation import OrganisationSpec
from bot.domain.pending import NoDataReason
from bot.domain.performance import IndicatorSpec, Target
from bot.domain.periods import Period
from bot.domain.roles import Role
from bot.messages import Reply
from bot.messages import analysis as messages
from bot.services.audit import record_event
from bot.services.common import NOT_RENDATIN, load_office, require_role
from bot.services.lines import (
    STATUS_LABELS,
    LineContext,
    current_submission,
    load_line,
    report_lock,
)
from bot.services.organisation import office_renstra
from bot.services.pending import read_pending, wait_for
from bot.services.people import PersonView
from bot.services.perjanjian import indicator_spec
from storage.db import Database
from storage.models import (
    BudgetItem,
    Cycle,
    CycleIndicator,
    Indicator,
    Sasaran,
    Submission,
    Unit,
)

ANALYSTS = (Role.RENDATIN, Role.PIMPINAN, Role.SEKRETARIS)


def category_scale(settings: dict[str, object]) -> tuple[CategoryBand, ...]:
    """Return the office's category scale (the default one when the office has none)."""
    bands = settings.get("category_scale")
    if isinstance(bands, list) and bands:
        return tuple(CategoryBand.model_validate(band) for band in bands)
    default: tuple[CategoryBand, ...] = OrganisationSpec.model_fields["category_scale"].get_default(
        call_default_factory=True
    )
    return default


def budget_of(session: Session, *, office_id: int, year: int) -> tuple[BudgetLine, ...]:
    """Return the year's budget lines in their original order."""
    items = session.exec(
        select(BudgetItem)
        .where(BudgetItem.office_id == office_id, BudgetItem.year == year)
        .order_by(col(BudgetItem.position))
    )
    return tuple(
        BudgetLine(
            program=item.program,
            kegiatan=item.kegiatan,
            pagu=Decimal(item.pagu),
            realisasi=Decimal(item.realisasi),
            sasaran_codes=tuple(item.sasaran_codes),
        )
        for item in items
    )


def analyse_cycle(session: Session, *, cycle: Cycle, accepted_only: bool) -> Analysis:
    """Measure a cycle from its current versions (only accepted ones for the draft)."""
    office = load_office(session, cycle.office_id)
    rows = session.exec(
        select(CycleIndicator, Indicator, Unit, Sasaran)
        .join(Indicator, col(Indicator.id) == col(CycleIndicator.indicator_id))
        .join(Unit, col(Unit.id) == col(CycleIndicator.unit_id))
        .join(Sasaran, col(Sasaran.id) == col(Indicator.sasaran_id))
        .where(CycleIndicator.cycle_id == cycle.id)
    ).all()
    earlier = _earlier_years(
        session,
        office_id=cycle.office_id,
        year=cycle.year,
        codes=sorted({indicator.code for _, indicator, _, _ in rows}),
    )
    inputs = []
    for line, indicator, unit, sasaran in rows:
        submission = current_submission(session, line)
        counted = submission is not None and (
            not accepted_only or submission.status == SubmissionStatus.ACCEPTED
        )
        inputs.append(
            IndicatorInput(
                spec=earlier.added_to(indicator_spec(indicator, sasaran, unit.code)),
                unit_name=unit.name,
                realisasi=Decimal(submission.realisasi) if counted and submission else None,
                penjelasan=submission.penjelasan if counted and submission else None,
                pendukung=submission.pendukung if counted and submission else None,
                kendala=submission.kendala if counted and submission else None,
                upaya=submission.upaya if counted and submission else None,
                no_data_reason=line.no_data_reason if line.status == LineStatus.NO_DATA else None,
            )
        )
    return analyse(
        office_name=office.name,
        year=cycle.year,
        period_label=Period(cycle.period).named(cycle.year),
        indicators=inputs,
        budget=budget_of(session, office_id=office.id or 0, year=cycle.year),
        scale=category_scale(office.settings),
        renstra=office_renstra(office),
    )


@dataclass(frozen=True)
class _EarlierYears:
    """What Lapkin itself holds of earlier years: their PK targets and accepted realisasi."""

    targets: dict[str, dict[int, Target]]
    realisasi: dict[str, dict[int, Decimal]]

    def added_to(self, spec: IndicatorSpec) -> IndicatorSpec:
        """The spec with these years; Lapkin's own records win over the file's typed history."""
        return replace(
            spec,
            history={**spec.history, **self.realisasi.get(spec.code, {})},
            history_targets={**spec.history_targets, **self.targets.get(spec.code, {})},
        )


def _earlier_years(
    session: Session, *, office_id: int, year: int, codes: Sequence[str]
) -> _EarlierYears:
    """Read the earlier years' targets and annual realisasi of ``codes`` (three statements).

    An earlier year's realisasi is the accepted value of that year's annual cycle (the last
    one sent, when a cycle was cancelled and started again).
    """
    targets: dict[str, dict[int, Target]] = defaultdict(dict)
    for indicator in session.exec(
        select(Indicator).where(
            Indicator.office_id == office_id,
            col(Indicator.year) < year,
            col(Indicator.code).in_(codes),
        )
    ):
        targets[indicator.code][indicator.year] = Target(
            Decimal(indicator.target_low), Decimal(indicator.target_high)
        )
    annual: dict[int, int] = {}
    for earlier in session.exec(
        select(Cycle)
        .where(
            Cycle.office_id == office_id,
            col(Cycle.year) < year,
            Cycle.period == Period.TAHUNAN,
            col(Cycle.status).in_(sorted(SENT)),
        )
        .order_by(col(Cycle.sent_at))
    ):
        annual[earlier.year] = earlier.id or 0  # the last one sent wins
    realisasi: dict[str, dict[int, Decimal]] = defaultdict(dict)
    if annual:
        for cycle_year, code, value in session.exec(
            select(col(Cycle.year), col(Indicator.code), col(Submission.realisasi))
            .join(CycleIndicator, col(CycleIndicator.cycle_id) == col(Cycle.id))
            .join(Indicator, col(Indicator.id) == col(CycleIndicator.indicator_id))
            .join(
                Submission,
                (col(Submission.cycle_indicator_id) == col(CycleIndicator.id))
                & (col(Submission.version) == col(CycleIndicator.current_version)),
            )
            .where(
                col(Cycle.id).in_(sorted(annual.values())),
                Submission.status == SubmissionStatus.ACCEPTED,
                col(Indicator.code).in_(codes),
            )
        ):
            realisasi[code][cycle_year] = Decimal(value)
    return _EarlierYears(dict(targets), dict(realisasi))


def latest_cycle(session: Session, *, office_id: int) -> Cycle:
    """Return the office's most recent cycle that was sent out."""
    cycle = session.exec(
        select(Cycle)
        .where(Cycle.office_id == office_id, col(Cycle.status).in_(sorted(SENT)))
        .order_by(col(Cycle.sent_at).desc())
    ).first()
    if cycle is None:
        raise NotFound(messages.NO_CYCLE_YET)
    return cycle


@dataclass(frozen=True)
class AnalysisMessage:
    """The /analisis answer: a summary and the charts."""

    text: str
    charts: list[tuple[str, bytes]]  # caption, PNG


def analysis_message(*, db: Database, actor: PersonView) -> AnalysisMessage:
    """Summarise the latest cycle and draw its charts."""
    require_role(actor, *ANALYSTS, message=messages.NOT_ANALYST)
    with db.session() as session:
        cycle = latest_cycle(session, office_id=actor.office_id)
        analysis = analyse_cycle(session, cycle=cycle, accepted_only=False)
    lines = [messages.analysis_heading(analysis.period_label), *summary_lines(analysis)]
    return AnalysisMessage("\n".join(lines), chat_charts(analysis))


# One image reads well on a phone up to about this many bars; beyond, one chart per sasaran.
SINGLE_CHART_LIMIT = 30


def chat_charts(analysis: Analysis) -> list[tuple[str, bytes]]:
    """Draw the charts for the chat: capaian, trend over the years, budget absorption."""
    charts: list[tuple[str, bytes]] = []
    if len(analysis.indicators) <= SINGLE_CHART_LIMIT:
        charts.append((messages.CAPAIAN_CHART, documents.capaian_chart(analysis)))
        trend = documents.trend_chart(analysis)
        if trend is not None:
            charts.append((messages.TREND_CHART, trend))
    else:
        charts += [(chart.title, chart.png) for chart in documents.capaian_charts(analysis)]
        charts += [(chart.title, chart.png) for chart in documents.trend_charts(analysis)]
    budget = documents.budget_chart(analysis)
    if budget is not None:
        charts.append((messages.BUDGET_CHART, budget))
    return charts


def missing_for_draft(session: Session, *, cycle: Cycle) -> dict[str, list[str]]:
    """List, per unit, the indicators without an accepted value or a "tidak ada data" mark."""
    missing: dict[str, list[str]] = defaultdict(list)
    rows = session.exec(
        select(CycleIndicator, Indicator, Unit)
        .join(Indicator, col(Indicator.id) == col(CycleIndicator.indicator_id))
        .join(Unit, col(Unit.id) == col(CycleIndicator.unit_id))
        .where(CycleIndicator.cycle_id == cycle.id)
        .order_by(col(Unit.number), col(Indicator.code))
    ).all()
    for line, indicator, unit in rows:
        if not is_settled(line.status):
            missing[unit.name].append(
                messages.missing_indicator(
                    indicator.code, STATUS_LABELS.get(line.status, line.status)
                )
            )
    return dict(missing)


def _require_unlocked(session: Session, context: LineContext) -> None:
    locked = report_lock(session, cycle_id=context.cycle.id or 0)
    if locked is not None:
        raise NotAllowed(locked)


def begin_no_data(*, db: Database, actor: PersonView, line_id: int, now: datetime) -> Reply:
    """Ask rendatin why an indicator will have no data in the report."""
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    with db.session() as session:
        context = load_line(session, line_id=line_id, office_id=actor.office_id)
        _require_unlocked(session, context)
        if context.line.status == LineStatus.ACCEPTED:
            raise NotAllowed(messages.already_accepted(context.indicator.code))
        wait_for(session, person_id=actor.id, payload=NoDataReason(line=line_id), now=now)
        session.commit()
        return messages.ask_no_data_reason(context.indicator.code, context.unit.name)


def mark_no_data(*, db: Database, actor: PersonView, reason: str, now: datetime) -> Reply:
    """Mark the indicator rendatin is writing about as "tidak ada data", with the reason."""
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    reason = reason.strip()
    if len(reason) < 5:
        raise InvalidInput(messages.REASON_TOO_SHORT)
    with db.session() as session:
        found = read_pending(session, person_id=actor.id, expected=NoDataReason)
        if found is None:
            raise NotFound(messages.NOTHING_BEING_MARKED)
        pending, marking = found
        context = load_line(session, line_id=marking.line, office_id=actor.office_id)
        _require_unlocked(session, context)
        changed = session.execute(
            update(CycleIndicator)
            .where(
                col(CycleIndicator.id) == context.line.id,
                col(CycleIndicator.status) != LineStatus.ACCEPTED,
            )
            .values(status=LineStatus.NO_DATA, no_data_reason=reason[:1000])
        )
        if changed.rowcount != 1:  # type: ignore[attr-defined]
            raise NotAllowed(messages.accepted_meanwhile(context.indicator.code))
        record_event(
            session,
            now=now,
            actor=actor.name,
            actor_person_id=actor.id,
            action="line.no_data",
            object_type="cycle_indicator",
            object_id=context.line.id,
            office_id=actor.office_id,
            details={"indicator": context.indicator.code, "reason": reason},
        )
        session.delete(pending)
        session.commit()
        return messages.marked_no_data(context.indicator.code, reason)
