"""SOP compliance: each step's actual duration, in office time, against the SOP's standard.

The audit trail of one cycle (loaded by ``bot.services.compliance``) is measured step by
step. Where a step starts and ends:

1. ``cycle.drafted`` → ``cycle.sent``: the Nota Dinas and the Rencana Aksi (120 minutes).
2. ``cycle.sent`` → every unit's data complete: collecting, measuring, confirming and
   reviewing the data, against the deadline the office set in the Nota Dinas (the SOP
   suggests 7 working days). Counted in working days passed, as that deadline is (the day
   sent excluded, the day done included), so data complete on the deadline day is on time
   (100 %); a unit is late when its data was complete only after it. Without unit records
   the step ends at the first ``draft.submitted``.
3. each ``draft.submitted`` → ``draft.initialled`` or the Kasubbag's return (60 minutes,
   the rounds summed); a Kasubbag is late when their own decision took longer than that.
4. each ``draft.initialled`` → ``draft.signed`` or the Sekretaris's return (30 minutes).
5. ``draft.signed`` → ``report.sent``: the Surat Pengantar and the report delivered to
   the KPU Provinsi (30 minutes).
6. ``report.received`` → ``archive.created`` (15 minutes). When the team archived before any
   receipt came, the step starts at the delivery instead.

Time between a return and the next submission is the team's correction (step 2e), not
part of step 3 or 4. Durations count office minutes only (working days, office hours,
holidays and days off excluded). A step that has not started is "belum": it never gets
a number. A step that has started and not ended counts up to ``now``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.calendar import WorkingCalendar
from bot.domain.dates import format_day, format_short_day
from bot.domain.numbers import format_number
from bot.domain.working_time import office_minutes_between

KASUBBAG_STAGE = "kasubbag"
SEKRETARIS_STAGE = "sekretaris"
PENDING = "pending"
CANCELLED = "cancelled"

# The audit actions the report reads.
CYCLE_DRAFTED = "cycle.drafted"
CYCLE_SENT = "cycle.sent"
SUBMISSION_FLAGGED = "submission.flagged"
DRAFT_SUBMITTED = "draft.submitted"
DRAFT_INITIALLED = "draft.initialled"
KASUBBAG_RETURNED = "draft.kasubbag.returned"
DRAFT_SIGNED = "draft.signed"
SEKRETARIS_RETURNED = "draft.sekretaris.returned"
REPORT_SENT = "report.sent"
REPORT_RECEIVED = "report.received"
ARCHIVE_CREATED = "archive.created"
CYCLE_ACTIONS = (CYCLE_DRAFTED, CYCLE_SENT, ARCHIVE_CREATED)  # object id: "<cycle_id>"
DRAFT_ACTIONS = (  # object id: "<cycle_id>:<version>"
    DRAFT_SUBMITTED,
    DRAFT_INITIALLED,
    KASUBBAG_RETURNED,
    DRAFT_SIGNED,
    SEKRETARIS_RETURNED,
    REPORT_SENT,
    REPORT_RECEIVED,
)


class StepStatus(StrEnum):
    """Where a step stands."""

    NOT_REACHED = "belum"
    RUNNING = "belum selesai"
    DONE = "selesai"
    UNRECORDED = "tidak tercatat"  # it ended, but its start is not in the audit trail


@dataclass(frozen=True)
class Standard:
    """A step's time standard: office minutes, or working days (step 2)."""

    minutes: int | None = None
    working_days: int | None = None

    @property
    def label(self) -> str:
        """Return the standard as the SOP writes it: '120 menit', '7 hari kerja'."""
        if self.working_days is not None:
            return f"{self.working_days} hari kerja"
        return f"{self.minutes} menit"


@dataclass(frozen=True)
class StepSpec:
    """One step of the SOP's flowchart."""

    number: int
    name: str
    standard: Standard
    short: str  # for a chart's label


STEPS: tuple[StepSpec, ...] = (
    StepSpec(
        1, "Kompilasi data (Nota Dinas, Rencana Aksi)", Standard(minutes=120), "Kompilasi data"
    ),
    StepSpec(2, "Penyusunan laporan kinerja", Standard(working_days=7), "Penyusunan laporan"),
    StepSpec(3, "Pemeriksaan konsep (paraf Kasubbag)", Standard(minutes=60), "Paraf Kasubbag"),
    StepSpec(4, "Penandatanganan oleh Sekretaris", Standard(minutes=30), "Tanda tangan Sekretaris"),
    StepSpec(
        5, "Penyampaian ke Sekretaris KPU Provinsi", Standard(minutes=30), "Penyampaian ke Provinsi"
    ),
    StepSpec(6, "Pendokumentasian laporan kinerja", Standard(minutes=15), "Pendokumentasian"),
)


# ----------------------------------------------------------------------------- input


@dataclass(frozen=True)
class TrailEvent:
    """An audit event of the cycle: when, what, who, and the draft version it is about."""

    at: datetime
    action: str
    actor: str
    version: int | None = None


@dataclass(frozen=True)
class ReviewRecord:
    """One reviewer's decision on one draft version (an Approval row)."""

    version: int
    stage: str  # "kasubbag" or "sekretaris"
    reviewer: str
    decision: str  # pending, approved, returned, cancelled
    assigned_at: datetime
    decided_at: datetime | None = None
    decided_by: str | None = None  # who pressed, when not the reviewer (a Plh./Plt.)
    acting_title: str | None = None


@dataclass(frozen=True)
class UnitDelivery:
    """When a unit's data was complete: the last first answer among the lines it owed."""

    unit: str
    delivered_at: datetime | None  # None: some line still has no answer


@dataclass(frozen=True)
class CycleTrail:
    """Everything the report needs of one cycle."""

    cycle_id: int
    year: int
    period_label: str  # "Tahun 2026"
    deadline: date
    events: tuple[TrailEvent, ...]  # in the order they happened
    reviews: tuple[ReviewRecord, ...] = ()
    units: tuple[UnitDelivery, ...] = ()
    # The office's deadline for the report to reach KPU Provinsi, and whether it was missed
    # (None: not sent yet).
    submission_deadline: date | None = None
    sent_late: bool | None = None


# ----------------------------------------------------------------------------- output


@dataclass(frozen=True)
class Detail:
    """One measured part of a step: a review round, a reviewer's decision, a unit's data."""

    who: str
    what: str  # "putaran versi 2", "paraf versi 1", "data unit"
    started_at: datetime | None
    ended_at: datetime | None
    outcome: str  # "paraf lengkap", "dikembalikan", "disetujui", "belum memutuskan", ...
    minutes: int | None
    late: bool
    note: str = ""


@dataclass(frozen=True)
class StepResult:
    """One step of one cycle, measured."""

    spec: StepSpec
    status: StepStatus
    started_at: datetime | None = None
    ended_at: datetime | None = None
    minutes: int | None = None  # office minutes, up to ``now`` while running
    working_days: int | None = None  # for a standard in working days
    returns: int = 0
    rounds: tuple[Detail, ...] = ()
    details: tuple[Detail, ...] = ()  # reviewers' decisions, units' data
    # Working days the office allowed this time (step 2: up to its deadline), instead of the
    # SOP's standard.
    allowed_days: int | None = None

    @property
    def number(self) -> int:
        """Return the SOP step number (1–6)."""
        return self.spec.number

    @property
    def measured(self) -> bool:
        """Tell whether the step has a duration (it started, and its start is known)."""
        return self.status in (StepStatus.RUNNING, StepStatus.DONE)

    @property
    def late(self) -> bool | None:
        """Tell whether the step took longer than its standard; None while that is open."""
        if not self.measured:
            return None
        standard = self.spec.standard
        over = (
            (self.working_days or 0) > self.allowed_working_days
            if standard.working_days is not None
            else (self.minutes or 0) > (standard.minutes or 0)
        )
        if self.status is StepStatus.RUNNING and not over:
            return None
        return over

    @property
    def share(self) -> Decimal | None:
        """Return the duration as a percentage of the standard (100 = exactly on time)."""
        if not self.measured:
            return None
        standard = self.spec.standard
        if standard.working_days is not None:
            used, allowed = self.working_days or 0, max(self.allowed_working_days, 1)
        else:
            used, allowed = self.minutes or 0, standard.minutes or 1
        return (Decimal(used) * 100 / Decimal(allowed)).quantize(Decimal("0.01"))

    @property
    def allowed_working_days(self) -> int:
        """Return the working days this step may take: the office's, else the SOP's."""
        if self.allowed_days is not None:
            return self.allowed_days
        return self.spec.standard.working_days or 0

    @property
    def standard_label(self) -> str:
        """Return the standard this step was measured against ('7 hari kerja', '30 menit')."""
        if self.allowed_days is not None:
            return f"{self.allowed_days} hari kerja"
        return self.spec.standard.label

    @property
    def late_people(self) -> tuple[Detail, ...]:
        """Return who was late in this step: reviewers, units, or the one who ended it."""
        return tuple(detail for detail in self.details if detail.late)

    @property
    def duration_label(self) -> str:
        """Return the duration in words, or the status when there is none."""
        if not self.measured:
            return self.status.value
        if self.spec.standard.working_days is not None:
            days = self.working_days or 0
            return f"{days} hari kerja" if days else "kurang dari 1 hari kerja"
        return format_minutes(self.minutes or 0)


@dataclass(frozen=True)
class CycleCompliance:
    """The six steps of one cycle."""

    cycle_id: int
    year: int
    period_label: str
    deadline: date
    steps: tuple[StepResult, ...]
    submission_deadline: date | None = None
    sent_late: bool | None = None

    @property
    def delivery_label(self) -> str:
        """Whether the report reached KPU Provinsi by the office's deadline."""
        if self.submission_deadline is None:
            return "belum dikirim"
        shown = format_day(self.submission_deadline)
        if self.sent_late:
            return f"TERLAMBAT (batas {shown})"
        return f"tepat waktu (batas {shown})"

    @property
    def returns(self) -> int:
        """Return how many times data or a draft went back (steps 2–4)."""
        return sum(step.returns for step in self.steps)

    @property
    def finished(self) -> list[StepResult]:
        """Return the steps that are done and measured."""
        return [step for step in self.steps if step.status is StepStatus.DONE]

    @property
    def on_time(self) -> list[StepResult]:
        """Return the finished steps that kept their standard."""
        return [step for step in self.finished if step.late is False]


def format_minutes(minutes: int) -> str:
    """Show office minutes as '45 menit' or '1.530 menit'."""
    return f"{format_number(Decimal(minutes))} menit"


# ----------------------------------------------------------------------------- measuring


def calendar_years(trails: Iterable[CycleTrail], *, now: datetime, tz: ZoneInfo) -> set[int]:
    """Return the years a calendar must know to measure ``trails`` (and count on to ``now``)."""
    years = {now.astimezone(tz).year}
    for trail in trails:
        moments = [event.at for event in trail.events]
        moments += [review.assigned_at for review in trail.reviews]
        moments += [review.decided_at for review in trail.reviews if review.decided_at]
        moments += [unit.delivered_at for unit in trail.units if unit.delivered_at]
        years.update((trail.year, trail.deadline.year))
        years.update(moment.astimezone(tz).year for moment in moments)
    return set(range(min(years), max(years) + 1))


def measure_cycle(
    trail: CycleTrail, *, calendar: WorkingCalendar, tz: ZoneInfo, now: datetime
) -> CycleCompliance:
    """Measure the six steps of one cycle from its audit trail."""
    clock = _Clock(calendar, tz, now)
    events = sorted(trail.events, key=lambda event: event.at)  # stable: ties keep their order
    steps = (
        _step_one(events, clock),
        _step_two(trail, events, clock),
        _review_step(
            STEPS[2],
            events,
            trail.reviews,
            clock,
            start=DRAFT_SUBMITTED,
            ends={DRAFT_INITIALLED: "paraf lengkap", KASUBBAG_RETURNED: "dikembalikan"},
            stage=KASUBBAG_STAGE,
        ),
        _review_step(
            STEPS[3],
            events,
            trail.reviews,
            clock,
            start=DRAFT_INITIALLED,
            ends={DRAFT_SIGNED: "ditandatangani", SEKRETARIS_RETURNED: "dikembalikan"},
            stage=SEKRETARIS_STAGE,
        ),
        _step_five(events, clock),
        _step_six(events, clock),
    )
    return CycleCompliance(
        trail.cycle_id,
        trail.year,
        trail.period_label,
        trail.deadline,
        steps,
        submission_deadline=trail.submission_deadline,
        sent_late=trail.sent_late,
    )


@dataclass(frozen=True)
class _Clock:
    calendar: WorkingCalendar
    tz: ZoneInfo
    now: datetime

    def minutes(self, start: datetime, end: datetime | None) -> int:
        return office_minutes_between(self.calendar, start, end or self.now, self.tz)

    def working_days(self, start: datetime, end: datetime | None) -> int:
        first = start.astimezone(self.tz).date()
        last = (end or self.now).astimezone(self.tz).date()
        return max(self.calendar.working_days_between(first, last), 0)

    def date(self, moment: datetime) -> date:
        return moment.astimezone(self.tz).date()


def _first(
    events: Sequence[TrailEvent], action: str, *, after: datetime | None = None
) -> TrailEvent | None:
    return next(
        (e for e in events if e.action == action and (after is None or e.at >= after)), None
    )


def _span(
    spec: StepSpec, start: TrailEvent | None, end: TrailEvent | None, clock: _Clock
) -> StepResult:
    """Measure a step that runs from one event to another (steps 1, 5 and 6)."""
    if start is None:
        status = StepStatus.NOT_REACHED if end is None else StepStatus.UNRECORDED
        return StepResult(spec, status, ended_at=end.at if end else None)
    status = StepStatus.DONE if end is not None else StepStatus.RUNNING
    minutes = clock.minutes(start.at, end.at if end else None)
    late = end is not None and minutes > (spec.standard.minutes or 0)
    details: tuple[Detail, ...] = ()
    if end is not None:
        details = (
            Detail(
                who=end.actor,
                what=f"langkah {spec.number}",
                started_at=start.at,
                ended_at=end.at,
                outcome="selesai",
                minutes=minutes,
                late=late,
            ),
        )
    return StepResult(
        spec,
        status,
        started_at=start.at,
        ended_at=end.at if end else None,
        minutes=minutes,
        details=details,
    )


def _step_one(events: Sequence[TrailEvent], clock: _Clock) -> StepResult:
    start = _first(events, CYCLE_DRAFTED)
    return _span(STEPS[0], start, _first(events, CYCLE_SENT), clock)


def _step_five(events: Sequence[TrailEvent], clock: _Clock) -> StepResult:
    start = _first(events, DRAFT_SIGNED)
    end = _first(events, REPORT_SENT, after=start.at if start else None)
    return _span(STEPS[4], start, end, clock)


def _step_six(events: Sequence[TrailEvent], clock: _Clock) -> StepResult:
    end = _first(events, ARCHIVE_CREATED)
    if end is None:
        return _span(STEPS[5], _first(events, REPORT_RECEIVED), None, clock)
    before = [e for e in events if e.action in (REPORT_RECEIVED, REPORT_SENT) and e.at <= end.at]
    received = [e for e in before if e.action == REPORT_RECEIVED]
    start = received[0] if received else (before[-1] if before else None)
    return _span(STEPS[5], start, end, clock)


def _step_two(trail: CycleTrail, events: Sequence[TrailEvent], clock: _Clock) -> StepResult:
    spec = STEPS[1]
    start = _first(events, CYCLE_SENT)
    submitted = _first(events, DRAFT_SUBMITTED, after=start.at if start else None)
    end = _data_complete(trail.units) if trail.units else (submitted.at if submitted else None)
    returns = sum(1 for e in events if e.action == SUBMISSION_FLAGGED)
    if start is None:
        status = StepStatus.NOT_REACHED if end is None else StepStatus.UNRECORDED
        return StepResult(spec, status, ended_at=end, returns=returns)
    reference = clock.date(end) if end else clock.date(clock.now)
    units = tuple(_unit_detail(unit, trail.deadline, reference, clock) for unit in trail.units)
    allowed = clock.calendar.working_days_between(clock.date(start.at), trail.deadline)
    return StepResult(
        spec,
        StepStatus.DONE if end else StepStatus.RUNNING,
        started_at=start.at,
        ended_at=end,
        minutes=clock.minutes(start.at, end),
        working_days=clock.working_days(start.at, end),
        returns=returns,
        details=units,
        allowed_days=max(allowed, 0),
    )


def _data_complete(units: Sequence[UnitDelivery]) -> datetime | None:
    """When the last unit's data was complete; None while some unit still owes data."""
    if any(unit.delivered_at is None for unit in units):
        return None
    return max(unit.delivered_at for unit in units if unit.delivered_at is not None)


def _unit_detail(unit: UnitDelivery, deadline: date, reference: date, clock: _Clock) -> Detail:
    """Tell when a unit's data was complete, and whether that was after the deadline."""
    limit = f"batas {format_short_day(deadline)}"
    if unit.delivered_at is None:
        late = reference > deadline
        days = max(clock.calendar.working_days_between(deadline, reference), 0) if late else 0
        note = f"{limit}; lewat {days} hari kerja" if late else limit
        return Detail(unit.unit, "data unit", None, None, "belum lengkap", None, late, note)
    day = clock.date(unit.delivered_at)
    late = day > deadline
    days = max(clock.calendar.working_days_between(deadline, day), 0) if late else 0
    note = f"{limit}; terlambat {days} hari kerja" if late else limit
    return Detail(unit.unit, "data unit", None, unit.delivered_at, "lengkap", None, late, note)


def _review_step(
    spec: StepSpec,
    events: Sequence[TrailEvent],
    reviews: Sequence[ReviewRecord],
    clock: _Clock,
    *,
    start: str,
    ends: dict[str, str],
    stage: str,
) -> StepResult:
    """Measure a review step (3 or 4): its rounds summed, and each reviewer's own time."""
    starts = [e for e in events if e.action == start]
    rounds: list[Detail] = []
    allowed = spec.standard.minutes or 0
    for index, opened in enumerate(starts):
        closed = next(
            (
                e
                for e in events
                if e.action in ends
                and e.at >= opened.at
                and (e.version is None or opened.version is None or e.version == opened.version)
            ),
            None,
        )
        if closed is None and index < len(starts) - 1:
            continue  # a round the trail never closed, overtaken by a later one: not counted
        minutes = clock.minutes(opened.at, closed.at if closed else None)
        rounds.append(
            Detail(
                who=("semua Kasubbag" if closed.action == DRAFT_INITIALLED else closed.actor)
                if closed
                else "",
                what=f"putaran versi {opened.version}" if opened.version else "putaran",
                started_at=opened.at,
                ended_at=closed.at if closed else None,
                outcome=ends[closed.action] if closed else "sedang berjalan",
                minutes=minutes,
                late=minutes > allowed,
            )
        )
    returned = next(action for action, outcome in ends.items() if outcome == "dikembalikan")
    returns = sum(1 for e in events if e.action == returned)
    details = tuple(
        _review_detail(review, allowed, clock)
        for review in sorted(reviews, key=lambda r: (r.assigned_at, r.version))
        if review.stage == stage
    )
    if not rounds:
        return StepResult(spec, StepStatus.NOT_REACHED, returns=returns, details=details)
    last = rounds[-1]
    done = last.ended_at is not None and last.outcome != "dikembalikan"
    return StepResult(
        spec,
        StepStatus.DONE if done else StepStatus.RUNNING,
        started_at=rounds[0].started_at,
        ended_at=last.ended_at if done else None,
        minutes=sum(r.minutes or 0 for r in rounds),
        returns=returns,
        rounds=tuple(rounds),
        details=details,
    )


_DECISION_WORDS = {
    "approved": "disetujui",
    "returned": "dikembalikan",
    PENDING: "belum memutuskan",
    # The round ended (someone else returned the version) before this reviewer decided.
    CANCELLED: "tidak sempat memutuskan",
}


def _review_detail(review: ReviewRecord, allowed: int, clock: _Clock) -> Detail:
    """Measure one reviewer's time: from being asked to deciding (or to now, or to the end)."""
    end = None if review.decision == PENDING else review.decided_at
    minutes = clock.minutes(review.assigned_at, end)
    who = review.reviewer
    if review.decided_by and review.decided_by != review.reviewer:
        who = f"{review.reviewer} ({review.acting_title or 'oleh'} {review.decided_by})"
    return Detail(
        who=who,
        what=f"versi {review.version}",
        started_at=review.assigned_at,
        ended_at=end,
        outcome=_DECISION_WORDS.get(review.decision, review.decision),
        minutes=minutes,
        late=minutes > allowed,
    )


# ----------------------------------------------------------------------------- in words


_MARK = {True: "⚠️", False: "✅", None: "⏳"}


def step_line(step: StepResult) -> str:
    """Describe one step in one line: duration against the standard, who was late, returns."""
    head = f"{step.number}. {step.spec.name}: "
    if not step.measured:
        return head + step.status.value
    text = f"{head}{step.duration_label} (standar {step.standard_label}) {_MARK[step.late]}"
    if step.status is StepStatus.RUNNING:
        text += " belum selesai"
    if step.returns and step.number == 2:
        text += f"; {step.returns} data dikembalikan ke unit"
    elif step.returns:
        text += f"; dikembalikan {step.returns} kali"
    late = step.late_people
    if late:
        text += "; terlambat: " + ", ".join(late_label(step, detail) for detail in late)
    return text


def late_label(step: StepResult, detail: Detail) -> str:
    """Name who was late and by how much: 'Agus (versi 1, 90 menit)'."""
    if step.number == 2:
        return f"{detail.who} ({detail.note.split('; ')[-1]})"
    if step.number in (3, 4):
        return f"{detail.who} ({detail.what}, {format_minutes(detail.minutes or 0)})"
    return detail.who


def summary_lines(cycle: CycleCompliance) -> list[str]:
    """Describe one cycle: a title, the six steps, and how many kept their standard."""
    lines = [f"📋 Kepatuhan SOP — {cycle.period_label}"]
    lines += [step_line(step) for step in cycle.steps]
    lines.append(f"Pengiriman laporan ke KPU Provinsi: {cycle.delivery_label}.")
    finished = cycle.finished
    if finished:
        lines.append(
            f"Sesuai waktu standar: {len(cycle.on_time)} dari {len(finished)} langkah yang "
            "sudah selesai."
        )
    return lines


def comparison_lines(cycles: Sequence[CycleCompliance]) -> list[str]:
    """Compare cycles over the years: one line each, a mark per step."""
    lines = ["📊 Perbandingan antarsiklus (✅ sesuai, ⚠️ melebihi, ⏳ belum selesai, – belum):"]
    for cycle in cycles:
        marks = " ".join(
            f"{step.number}{_MARK[step.late] if step.measured else '–'}" for step in cycle.steps
        )
        lines.append(f"{cycle.period_label}: {marks}; pengembalian {cycle.returns}")
    return lines
