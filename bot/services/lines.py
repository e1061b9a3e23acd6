"""Reading a Rencana Aksi line (one indicator of one cycle) with what a person may do to it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from bot.domain.approval import FINAL, DraftStatus
from bot.domain.capaian import Capaian, compute_capaian
from bot.domain.collection import is_owing
from bot.domain.cycles import collects
from bot.domain.errors import NotAllowed, NotFound
from bot.domain.numbers import format_number
from bot.domain.performance import Polarity, Target
from bot.domain.periods import Period
from bot.domain.roles import Role
from bot.messages import entry as messages
from bot.messages.status import LINE_ICONS, LINE_LABELS
from bot.services.people import PersonView
from storage.models import (
    Cycle,
    CycleIndicator,
    Draft,
    Evidence,
    Indicator,
    Sasaran,
    Submission,
    Unit,
)

# How a line's status reads, for the services of other areas that list lines.
STATUS_ICONS = LINE_ICONS
STATUS_LABELS = LINE_LABELS


@dataclass(frozen=True)
class LineContext:
    """A Rencana Aksi line with its indicator, cycle and unit loaded."""

    line: CycleIndicator
    indicator: Indicator
    cycle: Cycle
    unit: Unit
    sasaran: Sasaran

    @property
    def target(self) -> Target:
        """Return the indicator's target."""
        return Target(Decimal(self.indicator.target_low), Decimal(self.indicator.target_high))

    @property
    def polarity(self) -> Polarity:
        """Return the indicator's polarity."""
        return Polarity(self.indicator.polarity)

    @property
    def target_text(self) -> str:
        """Show the target with its unit of measure."""
        target = self.target
        low, high = format_number(target.low), format_number(target.high)
        return f"{low if low == high else f'{low}–{high}'} {self.indicator.satuan}".strip()

    @property
    def period_label(self) -> str:
        """Name the cycle's period, e.g. 'Tahun 2026'."""
        return Period(self.cycle.period).named(self.cycle.year)

    def capaian(self, realisasi: Decimal) -> Capaian:
        """Compute the capaian of ``realisasi`` for this indicator."""
        return compute_capaian(realisasi=realisasi, target=self.target, polarity=self.polarity)


def load_line(session: Session, *, line_id: int, office_id: int) -> LineContext:
    """Load a line of the person's office, or raise NotFound (also for another office's)."""
    line = session.get(CycleIndicator, line_id)
    cycle = session.get(Cycle, line.cycle_id) if line else None
    if line is None or cycle is None or cycle.office_id != office_id:
        raise NotFound(messages.LINE_NOT_FOUND)
    indicator = session.get(Indicator, line.indicator_id)
    unit = session.get(Unit, line.unit_id)
    assert indicator is not None and unit is not None
    sasaran = session.get(Sasaran, indicator.sasaran_id)
    assert sasaran is not None
    return LineContext(line=line, indicator=indicator, cycle=cycle, unit=unit, sasaran=sasaran)


def require_unit_member(person: PersonView, context: LineContext) -> None:
    """Allow only the unit's own staff and Kasubbag to submit for its indicators."""
    if not person.has_role(Role.STAF, Role.KASUBBAG) or person.unit_code != context.unit.code:
        raise NotAllowed(
            messages.another_units_line(code=context.indicator.code, unit_name=context.unit.name)
        )


def require_open_cycle(session: Session, context: LineContext) -> None:
    """Refuse changes once the cycle no longer collects data, or its report is being decided.

    While a version of the report waits for initials or a signature, or once it is signed,
    the data it shows must stay as the reviewers see it.
    """
    if not collects(context.cycle.status):
        raise NotAllowed(messages.collection_closed_for_changes(context.period_label))
    locked = report_lock(session, cycle_id=context.cycle.id or 0)
    if locked is not None:
        raise NotAllowed(locked)


def year_lock(session: Session, *, office_id: int, year: int) -> str | None:
    """Say why the figures of ``year`` cannot change now (a report of that year is being
    decided or is signed), or None when they can."""
    for cycle in session.exec(
        select(Cycle).where(Cycle.office_id == office_id, Cycle.year == year)
    ):
        locked = report_lock(session, cycle_id=cycle.id or 0)
        if locked is not None:
            return locked
    return None


def report_lock(session: Session, *, cycle_id: int) -> str | None:
    """Say why the cycle's data cannot change now, or None when it can."""
    draft = session.exec(
        select(Draft)
        .where(
            Draft.cycle_id == cycle_id,
            col(Draft.status).in_(
                [DraftStatus.REVIEW_KASUBBAG.value, DraftStatus.REVIEW_SEKRETARIS.value]
                + [status.value for status in FINAL]
            ),
        )
        .order_by(col(Draft.version).desc())
    ).first()
    if draft is None:
        return None
    return messages.report_lock(version=draft.version, status=DraftStatus(draft.status))


def current_submission(session: Session, line: CycleIndicator) -> Submission | None:
    """Return the newest version submitted for a line."""
    if line.current_version == 0:
        return None
    return session.exec(
        select(Submission).where(
            Submission.cycle_indicator_id == line.id, Submission.version == line.current_version
        )
    ).first()


def evidence_of(session: Session, submission_id: int | None) -> list[Evidence]:
    """Return a submission's evidence files, in upload order."""
    if submission_id is None:
        return []
    query = (
        select(Evidence).where(Evidence.submission_id == submission_id).order_by(col(Evidence.id))
    )
    return list(session.exec(query))


def is_overdue(line: CycleIndicator, today: date) -> bool:
    """Tell whether a line still owes data after its deadline."""
    return is_owing(line.status) and today > line.deadline
